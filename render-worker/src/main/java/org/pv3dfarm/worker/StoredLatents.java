package org.pv3dfarm.worker;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A finished job's {@code latents.json} ({@value #FORMAT}): the codes later jobs reuse through
 * {@code source_job_id} / {@code motion_source_job_id}. Every job kind writes one, in its output prefix:
 *
 * <pre>
 * {"format": "pv3d-latents/1", "model": "pv3d-demo", "model_version": "0.3.0",
 *  "w": [w_dim], "z_motion": [motion_dim], "t": [per fitted frame] (reconstruct only), "camera": [25],
 *  "source": {"kind": "animate", "job_id": "..."},
 *  "tracks": [{"w": [...], "z_motion": [...]}, ...]   (only when the job rendered several identity/motion pairs;
 *                                                    w and z_motion above are the first)}
 * </pre>
 *
 * The mapping network repeats one w over num_ws, so one w is the whole identity; {@code camera} is the camera
 * the codes were fitted under (the estimated face camera) or the conditioning camera of a generated job.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StoredLatents(String format, String model, String modelVersion, float[] w, float[] zMotion, float[] t,
        float[] camera, Source source, List<Track> tracks) {

    public static final String FORMAT = "pv3d-latents/1";
    /** The object name in a job's output prefix. */
    public static final String NAME = "latents.json";
    /** Far above any real file (a few KB); a bigger object is not ours. */
    public static final long MAX_BYTES = 4L << 20;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** Which job wrote the codes. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Source(String kind, UUID jobId) {
    }

    /** One more identity/motion pair of a multi-track job. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Track(float[] w, float[] zMotion) {
    }

    public StoredLatents {
        tracks = tracks == null || tracks.size() < 2 ? null : List.copyOf(tracks);
    }

    /** The codes of a job; {@code t} may be null (only reconstruct fits it). */
    public static StoredLatents of(String model, String modelVersion, float[] w, float[] zMotion, float[] t,
            float[] camera, String kind, UUID jobId, List<Track> tracks) {
        return new StoredLatents(FORMAT, model, modelVersion, w, zMotion, t, camera, new Source(kind, jobId), tracks);
    }

    public byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write latents.json", e);
        }
    }

    /**
     * Reads and checks a stored file against the model that will use it.
     *
     * @param field the request field that named the job, for the error
     * @throws InvalidJobException when it is not this format, another model or another version of it made it, or its
     *                             codes do not fit the model
     */
    public static StoredLatents parse(byte[] json, String field, String modelName, String modelVersion, int wDim,
            int motionDim) throws InvalidJobException {
        StoredLatents latents;
        try {
            latents = JSON.readValue(json, StoredLatents.class);
        } catch (IOException e) {
            throw new InvalidJobException(field, "its latents.json cannot be read: " + e.getMessage(), e);
        }
        if (latents == null || !FORMAT.equals(latents.format())) {
            throw new InvalidJobException(field, "its latents.json is not " + FORMAT);
        }
        if (!Objects.equals(modelName, latents.model())) {
            throw new InvalidJobException(field, "its latents were made by model " + latents.model()
                    + "; this job runs " + modelName);
        }
        if (!Objects.equals(modelVersion, latents.modelVersion())) {
            // Codes mean something only to the weights that made them: a refitted model renders someone else.
            throw new InvalidJobException(field, "its latents were made by " + latents.model() + " "
                    + latents.modelVersion() + "; this job runs version " + modelVersion + " of it");
        }
        requireCode(field, "w", latents.w(), wDim);
        requireCode(field, "z_motion", latents.zMotion(), motionDim);
        if (latents.t() != null) {
            requireCode(field, "t", latents.t(), latents.t().length == 0 ? 1 : latents.t().length);
        }
        return latents;
    }

    private static void requireCode(String field, String name, float[] code, int dim) throws InvalidJobException {
        if (code == null || code.length != dim) {
            throw new InvalidJobException(field, "its latents.json " + name + " must hold " + dim + " values, holds "
                    + (code == null ? 0 : code.length));
        }
        for (float v : code) {
            if (!Float.isFinite(v)) {
                throw new InvalidJobException(field, "its latents.json " + name + " holds a non-finite value");
            }
        }
    }
}
