package org.pv3dfarm.worker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.UUID;
import org.pv3dfarm.model.ModelManifest;
import org.pv3dfarm.protocol.JobIds;
import org.pv3dfarm.protocol.OutputKeys;

/**
 * What the inversion jobs read from the bucket: uploads named by {@code input_key} and the {@code latents.json} of
 * earlier jobs named by {@code source_job_id} and kin. Both are scoped to the request's tenant: an upload must lie
 * under the tenant's input prefix ({@code inputs/} for the default tenant, {@code tenants/T/inputs/} otherwise),
 * and an earlier job's latents are looked up under the tenant's own output prefix, so another tenant's job, or
 * one that has not finished (no latents yet), is simply not there. Every such refusal is an
 * {@link InvalidJobException} naming the field; store trouble stays retryable. Thread-safe.
 */
public final class JobInputs {

    private final ObjectReader reader;
    private final ModelManifest manifest;
    private final long maxInputBytes;

    public JobInputs(ObjectReader reader, ModelManifest manifest, long maxInputBytes) {
        this.reader = Objects.requireNonNull(reader, "reader");
        this.manifest = Objects.requireNonNull(manifest, "manifest");
        if (maxInputBytes < 1) {
            throw new IllegalArgumentException("maxInputBytes must be positive, was " + maxInputBytes);
        }
        this.maxInputBytes = maxInputBytes;
    }

    /** The prefix a tenant's uploads lie under. */
    public static String inputPrefix(String tenant) {
        return tenant == null || tenant.equals(JobIds.DEFAULT_TENANT) ? "inputs/" : "tenants/" + tenant + "/inputs/";
    }

    /** Downloads an upload into {@code dir} (keeping its extension, which decoders may look at). */
    public Path download(String tenant, String key, String field, Path dir)
            throws InvalidJobException, UploadException {
        String prefix = inputPrefix(tenant);
        if (key == null || !key.startsWith(prefix)) {
            throw new InvalidJobException(field, "must name an upload under the tenant's input prefix " + prefix
                    + ", was " + key);
        }
        byte[] bytes;
        try {
            bytes = reader.read(key, maxInputBytes);
        } catch (MissingObjectException e) {
            throw new InvalidJobException(field, e.tooLarge() ? "is larger than the " + maxInputBytes
                    + " bytes a job reads" : "names no uploaded object (" + key + ")", e);
        }
        String name = key.substring(key.lastIndexOf('/') + 1);
        int dot = name.lastIndexOf('.');
        String suffix = dot < 0 ? "" : name.substring(dot).replaceAll("[^A-Za-z0-9.]", "");
        try {
            Path file = Files.createTempFile(dir, "input-", suffix);
            Files.write(file, bytes);
            return file;
        } catch (IOException e) {
            throw new UploadException("cannot write the input " + key + " to " + dir + ": " + e, e, true, 1);
        }
    }

    /** The stored latents of an earlier job of the same tenant, checked against this worker's model. */
    public StoredLatents latents(String tenant, UUID jobId, String field) throws InvalidJobException, UploadException {
        String key = OutputKeys.prefixFor(tenant, jobId) + StoredLatents.NAME;
        byte[] bytes;
        try {
            bytes = reader.read(key, StoredLatents.MAX_BYTES);
        } catch (MissingObjectException e) {
            throw new InvalidJobException(field, "job " + jobId + " has no stored latents: it is not a finished job "
                    + "of this tenant", e);
        }
        return StoredLatents.parse(bytes, field, manifest.name(), manifest.version(), manifest.config().wDim(),
                manifest.config().motionDim());
    }
}
