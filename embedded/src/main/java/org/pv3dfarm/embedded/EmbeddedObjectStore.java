package org.pv3dfarm.embedded;

import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * An S3-compatible object store in this JVM: S3Proxy serving a jclouds nio2 blob store, so the farm talks to it
 * with the same MinIO client and the same presigned URLs as it would to MinIO.
 *
 * <p>With a data directory the store is {@code filesystem-nio2}: a bucket is a directory and an object a file
 * under it, so outputs survive a restart. Without one it is {@code transient-nio2}, in memory, for tests.
 *
 * <p>Requests must be signed with the configured access and secret key. S3Proxy runs with
 * {@link AuthenticationType#AWS_V2_OR_V4}: the MinIO client signs headers with AWS Signature V4 and presigned
 * URLs with V4 query parameters ({@code X-Amz-Algorithm=AWS4-HMAC-SHA256}), which S3Proxy verifies against the
 * same secret; a URL signed with another secret, or past its expiry, gets 403.
 */
public final class EmbeddedObjectStore implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedObjectStore.class);

    /** S3's rules: 3..63 characters of lower-case letters, digits, dots and hyphens, letters or digits at the ends. */
    private static final Pattern BUCKET_NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

    private final Builder options;
    private final BlobStoreContext blobStoreContext;
    private final S3Proxy proxy;
    private final URI endpoint;
    private boolean closed;

    private EmbeddedObjectStore(Builder options, BlobStoreContext blobStoreContext, S3Proxy proxy, URI endpoint) {
        this.options = options;
        this.blobStoreContext = blobStoreContext;
        this.proxy = proxy;
        this.endpoint = endpoint;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code http://127.0.0.1:port}: the S3 endpoint for the MinIO client and for presigned URLs. */
    public URI endpoint() {
        return endpoint;
    }

    public int port() {
        return endpoint.getPort();
    }

    public String accessKey() {
        return options.accessKey;
    }

    public String secretKey() {
        return options.secretKey;
    }

    /** The bucket created on start. */
    public String bucket() {
        return options.bucket;
    }

    /** Where the objects live, or null for the in-memory store. */
    public Path dataDir() {
        return options.dataDir;
    }

    /** Stops the HTTP endpoint and releases the blob store. Objects in a data directory stay. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            proxy.stop();
        } catch (Exception e) {
            LOG.warn("S3Proxy did not stop cleanly: {}", e.toString());
        } finally {
            blobStoreContext.close();
        }
        LOG.info("embedded object store on {} stopped", endpoint);
    }

    private static EmbeddedObjectStore start(Builder options) {
        QuietLogs.apply(options.logLevel, QuietLogs.OBJECT_STORE);
        long started = System.nanoTime();
        Properties overrides = new Properties();
        String provider;
        if (options.dataDir != null) {
            provider = "filesystem-nio2";
            overrides.setProperty("jclouds.filesystem.basedir",
                    DataDirectories.createDirectories(options.dataDir).toString());
        } else {
            provider = "transient-nio2";
        }
        BlobStoreContext context = ContextBuilder.newBuilder(provider)
                .credentials(options.accessKey, options.secretKey)
                .overrides(overrides)
                .build(BlobStoreContext.class);
        S3Proxy proxy = null;
        try {
            context.getBlobStore().createContainerInLocation(null, options.bucket);
            proxy = S3Proxy.builder()
                    .blobStore(context.getBlobStore())
                    .endpoint(URI.create("http://" + LocalPorts.LOOPBACK + ":" + options.port))
                    .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, options.accessKey, options.secretKey)
                    .build();
            proxy.start();
            URI endpoint = URI.create("http://" + LocalPorts.LOOPBACK + ":" + proxy.getPort());
            LOG.info("embedded object store ready on {} in {} ms (bucket {}, {})", endpoint,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), options.bucket,
                    options.dataDir == null ? "in memory" : "data: " + options.dataDir);
            return new EmbeddedObjectStore(options, context, proxy, endpoint);
        } catch (Exception e) {
            if (proxy != null) {
                try {
                    proxy.stop();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            context.close();
            throw new IllegalStateException("embedded object store failed to start on port " + options.port, e);
        }
    }

    /**
     * Options of an embedded object store; each setter validates at once and names the field it rejects.
     * Defaults: any free port, in memory, bucket {@code pv3d}, WARN logs; the keys have no default.
     */
    public static final class Builder {
        private int port;
        private Path dataDir;
        private String accessKey;
        private String secretKey;
        private String bucket = "pv3d";
        private Level logLevel = Level.WARN;

        private Builder() {
        }

        /** The HTTP port; 0 picks a free one. */
        public Builder port(int port) {
            this.port = LocalPorts.requireValidPort("port", port);
            return this;
        }

        /** Keep objects as files under this directory (created if missing). */
        public Builder dataDir(Path dataDir) {
            this.dataDir = DataDirectories.requireUsableDirectory("dataDir", dataDir);
            return this;
        }

        /** Keep objects in memory only (the default). */
        public Builder inMemory() {
            this.dataDir = null;
            return this;
        }

        /** The access key clients sign with: 3..128 visible ASCII characters without ':' or '/'. */
        public Builder accessKey(String accessKey) {
            this.accessKey = requireKey("accessKey", accessKey, 3);
            return this;
        }

        /** The secret key clients sign with: 8..128 visible ASCII characters. */
        public Builder secretKey(String secretKey) {
            this.secretKey = requireKey("secretKey", secretKey, 8);
            return this;
        }

        /** The bucket created on start, following S3's naming rules. */
        public Builder bucket(String bucket) {
            Objects.requireNonNull(bucket, "bucket");
            if (!BUCKET_NAME.matcher(bucket).matches() || bucket.contains("..")) {
                throw new IllegalArgumentException("bucket must be 3..63 characters of a-z, 0-9, '.', '-', "
                        + "starting and ending with a letter or digit, was '" + bucket + "'");
            }
            this.bucket = bucket;
            return this;
        }

        /** Level of S3Proxy's, Jetty's and jclouds' loggers ({@link QuietLogs#OBJECT_STORE}); WARN by default. */
        public Builder logLevel(Level logLevel) {
            this.logLevel = Objects.requireNonNull(logLevel, "logLevel");
            return this;
        }

        /** Starts the store and creates the bucket (if it is not already in the data directory). */
        public EmbeddedObjectStore start() {
            if (accessKey == null || secretKey == null) {
                throw new IllegalArgumentException((accessKey == null ? "accessKey" : "secretKey") + " must be set");
            }
            Builder frozen = new Builder();
            frozen.port = port;
            frozen.dataDir = dataDir;
            frozen.accessKey = accessKey;
            frozen.secretKey = secretKey;
            frozen.bucket = bucket;
            frozen.logLevel = logLevel;
            return EmbeddedObjectStore.start(frozen);
        }

        private static String requireKey(String field, String key, int minLength) {
            Objects.requireNonNull(key, field);
            if (key.length() < minLength || key.length() > 128 || !key.chars().allMatch(c -> c > 32 && c < 127)
                    || (field.equals("accessKey") && (key.contains(":") || key.contains("/")))) {
                throw new IllegalArgumentException(field + " must be " + minLength
                        + "..128 visible ASCII characters" + (field.equals("accessKey") ? " without ':' or '/'" : ""));
            }
            return key;
        }
    }
}
