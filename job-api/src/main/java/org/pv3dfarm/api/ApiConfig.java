package org.pv3dfarm.api;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The job API's configuration ({@code application.properties}; every key can be overridden by its environment
 * variable, e.g. {@code PV3D_KAFKA_BOOTSTRAP_SERVERS}).
 */
@ConfigMapping(prefix = "pv3d")
public interface ApiConfig {

    Kafka kafka();

    S3 s3();

    Api api();

    Limits limits();

    /** Known models by name; read from {@code pv3d.model-manifests} too, where set. */
    Map<String, Model> models();

    /** Paths of model manifests ({@code model.json}) whose dimensions to use for validation. */
    Optional<List<Path>> modelManifests();

    /** Tenants by name ({@code [a-z0-9-]}): their API keys and quotas. */
    Map<String, Tenant> tenants();

    Auth auth();

    interface Kafka {
        /** {@code host:port[,host:port...]}. */
        String bootstrapServers();

        @WithDefault("pv3d-job-api")
        String clientId();

        /** How long a submission may wait for the broker before the API answers 503. */
        @WithDefault("30s")
        Duration deliveryTimeout();

        /** How long a send may block when the broker is unreachable. */
        @WithDefault("5s")
        Duration maxBlock();

        /** Timeout of the readiness probe's call to the broker. */
        @WithDefault("3s")
        Duration healthTimeout();
    }

    interface S3 {
        /** Where the API signs requests for; outputs are read there. */
        URI endpoint();

        /** The endpoint written into presigned URLs when clients reach the store by another address. */
        Optional<URI> presignEndpoint();

        String accessKey();

        String secretKey();

        @WithDefault("us-east-1")
        String region();

        /** How long presigned URLs stay valid (at most 7 days). */
        @WithDefault("1h")
        Duration presignExpiry();

        /** The farm's bucket: outputs and uploaded inputs. */
        @WithDefault("pv3d")
        String bucket();
    }

    Uploads uploads();

    interface Uploads {
        /** The largest image upload, in bytes. */
        @WithDefault("20971520")
        long maxImageBytes();

        /** The largest video upload, in bytes (the streaming PUT is also capped by the HTTP body limit). */
        @WithDefault("268435456")
        long maxVideoBytes();

        /** Content types accepted as images; each must be one {@link ContentSniffer} recognises. */
        @WithDefault("image/png,image/jpeg,image/webp")
        List<String> imageTypes();

        /** Content types accepted as videos; each must be one {@link ContentSniffer} recognises. */
        @WithDefault("video/mp4,video/webm,video/quicktime")
        List<String> videoTypes();

        /** How long a presigned PUT URL stays valid (at most 7 days). */
        @WithDefault("15m")
        Duration putUrlExpiry();
    }

    Retention retention();

    interface Retention {
        /** How long a finished job's output objects are kept. */
        @WithDefault("7d")
        Duration outputs();

        /** How long uploaded inputs are kept. */
        @WithDefault("7d")
        Duration uploads();

        /**
         * How long a finished job stays visible in status and listings; at most the events topic's retention.ms,
         * since a restarted API rebuilds status from that topic.
         */
        @WithDefault("7d")
        Duration jobs();

        /** Whether this replica runs the sweeper (every replica may: deletes are idempotent). */
        @WithDefault("true")
        boolean sweepEnabled();

        /** How often the sweeper lists the bucket. */
        @WithDefault("10m")
        Duration sweepInterval();

        /** Per-tenant overrides of the durations above. */
        Map<String, TenantRetention> tenants();
    }

    interface TenantRetention {
        Optional<Duration> outputs();

        Optional<Duration> uploads();

        Optional<Duration> jobs();
    }

    interface Api {
        /** Job kinds this farm has workers for; others are refused with 400 instead of queued forever. */
        @WithDefault("generate")
        List<String> enabledKinds();

        /** How long GET waits for status to load at startup before answering 503. */
        @WithDefault("PT0S")
        Duration statusLoadWait();

        /** The most jobs one bulk request may carry. */
        @WithDefault("10000")
        int bulkMaxItems();

        /** The most jobs one listing page may return. */
        @WithDefault("500")
        int listMaxLimit();
    }

    interface Auth {
        /**
         * Whether a request without an API key is served, as the default tenant. Off in production once tenants
         * are configured; on by default so that a one-machine farm works without keys.
         */
        @WithDefault("true")
        boolean allowAnonymous();

        /** Quotas of the default tenant (anonymous callers and keys of tenant {@code default}). */
        Quota anonymous();
    }

    interface Tenant {
        /** The API keys of this tenant (X-Api-Key or Authorization: Bearer). */
        List<String> apiKeys();

        Quota quota();

        /** Where to POST the tenant's final job events (completed, failed, cancelled); none when absent. */
        Optional<URI> webhookUrl();

        /** The HMAC-SHA256 key the webhook deliveries are signed with; required with a webhook URL. */
        Optional<String> webhookSecret();
    }

    Webhooks webhooks();

    interface Webhooks {
        /** Deliver webhooks from this replica (replicas share the work through one consumer group). */
        @WithDefault("true")
        boolean enabled();

        @WithDefault("pv3d-api-webhooks")
        String groupId();

        /** Attempts per delivery before it is given up (logged and counted). */
        @WithDefault("6")
        int maxAttempts();

        @WithDefault("1s")
        Duration initialBackoff();

        @WithDefault("1m")
        Duration maxBackoff();

        /** Per HTTP attempt. */
        @WithDefault("10s")
        Duration timeout();
    }

    interface Quota {
        /** The most jobs the tenant may have queued or running at once. */
        @WithDefault("100000")
        int maxActiveJobs();

        /** The most frames one job may render, over all its views. */
        @WithDefault("4096")
        int maxFramesPerJob();
    }

    interface Limits {
        @WithDefault("1024")
        int maxFrames();

        @WithDefault("60")
        int maxFps();

        @WithDefault("16")
        int maxViews();

        @WithDefault("4096")
        int maxRenderedFrames();

        @WithDefault("100")
        double maxAbsCode();

        /** Most optimisation steps of an inversion (animate, reconstruct, retarget). */
        @WithDefault("5000")
        int maxSteps();

        /** Most motions one animate job renders. */
        @WithDefault("8")
        int maxMotions();

        /** Most appearances one edit job renders. */
        @WithDefault("8")
        int maxAppearances();

        /** Most video frames one reconstruct job fits. */
        @WithDefault("64")
        int maxFitFrames();
    }

    interface Model {
        int zDim();

        int motionDim();

        int outputResolution();
    }
}
