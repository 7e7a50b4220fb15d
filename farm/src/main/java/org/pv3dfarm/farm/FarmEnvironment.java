package org.pv3dfarm.farm;

import java.net.URI;
import java.util.Map;
import java.util.Objects;
import org.pv3dfarm.embedded.InfrastructureOptions;

/**
 * The standard configuration that switches a part of the farm to an external server: the same environment
 * variables the job API and the render worker read, so one set of variables configures all three.
 *
 * <table>
 *   <caption>Variables</caption>
 *   <tr><td>{@value #KAFKA_BOOTSTRAP_SERVERS}</td><td>set: use this Kafka cluster, start no broker</td></tr>
 *   <tr><td>{@value #S3_ENDPOINT}</td><td>set: use this S3 store (MinIO...), start no object store; then
 *       {@value #S3_ACCESS_KEY} and {@value #S3_SECRET_KEY} are required, {@value #S3_BUCKET} defaults to
 *       {@code pv3d} (created if missing)</td></tr>
 * </table>
 */
public final class FarmEnvironment {

    public static final String KAFKA_BOOTSTRAP_SERVERS = "PV3D_KAFKA_BOOTSTRAP_SERVERS";
    public static final String S3_ENDPOINT = "PV3D_S3_ENDPOINT";
    public static final String S3_ACCESS_KEY = "PV3D_S3_ACCESS_KEY";
    public static final String S3_SECRET_KEY = "PV3D_S3_SECRET_KEY";
    public static final String S3_BUCKET = "PV3D_S3_BUCKET";

    private FarmEnvironment() {
    }

    /**
     * Sets the external parts named in {@code environment} on {@code options}; blank values count as unset.
     *
     * @throws IllegalArgumentException naming the variable that is missing or malformed
     */
    public static FarmOptions.Builder apply(Map<String, String> environment, FarmOptions.Builder options) {
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(options, "options");
        String kafka = value(environment, KAFKA_BOOTSTRAP_SERVERS);
        if (kafka != null) {
            try {
                options.externalKafka(kafka);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(KAFKA_BOOTSTRAP_SERVERS + ": " + e.getMessage(), e);
            }
        }
        String endpoint = value(environment, S3_ENDPOINT);
        if (endpoint != null) {
            options.externalObjectStore(objectStore(environment, endpoint));
        }
        return options;
    }

    private static ObjectStoreEndpoint objectStore(Map<String, String> environment, String endpoint) {
        String accessKey = value(environment, S3_ACCESS_KEY);
        String secretKey = value(environment, S3_SECRET_KEY);
        if (accessKey == null || secretKey == null) {
            throw new IllegalArgumentException(S3_ENDPOINT + " is set, so " + (accessKey == null ? S3_ACCESS_KEY
                    : S3_SECRET_KEY) + " must be set too");
        }
        String bucket = value(environment, S3_BUCKET);
        try {
            return new ObjectStoreEndpoint(URI.create(endpoint), accessKey, secretKey,
                    bucket == null ? InfrastructureOptions.builder().build().bucket() : bucket);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(S3_ENDPOINT + ": " + e.getMessage(), e);
        }
    }

    private static String value(Map<String, String> environment, String name) {
        String value = environment.get(name);
        return value == null || value.isBlank() ? null : value.trim();
    }
}
