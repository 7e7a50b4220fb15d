package org.pv3dfarm.worker;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.pv3dfarm.embedded.EmbeddedKafkaBroker;
import org.pv3dfarm.embedded.EmbeddedObjectStore;

/**
 * The packaged worker ({@code java -jar target/pv3d-render-worker.jar}, built by {@code package}) as a process,
 * configured by environment variables against the embedded broker and store, its output in a log file.
 */
final class WorkerProcess {

    private WorkerProcess() {
    }

    /** The packaged jar (failsafe passes its path). */
    static Path jar() {
        return Path.of(System.getProperty("pv3d.worker.jar", "target/pv3d-render-worker.jar"));
    }

    /** A process builder with the farm's settings and {@code extra} (which may override them). */
    static ProcessBuilder builder(EmbeddedKafkaBroker broker, EmbeddedObjectStore store, String workerId,
            Path workDir, Map<String, String> extra) {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-jar", jar().toString());
        Map<String, String> env = builder.environment();
        env.put("PV3D_KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
        env.put("PV3D_S3_ENDPOINT", store.endpoint().toString());
        env.put("PV3D_S3_ACCESS_KEY", store.accessKey());
        env.put("PV3D_S3_SECRET_KEY", store.secretKey());
        env.put("PV3D_S3_BUCKET", store.bucket());
        env.put("PV3D_WORKER_ID", workerId);
        env.put("PV3D_WORKER_WORK_DIR", workDir.resolve("jobs").toString());
        env.put("PV3D_WORKER_SHUTDOWN_GRACE", "5s");
        env.put("PV3D_MODEL_CACHE", System.getProperty("pv3d.model.cache", workDir.resolve("models").toString()));
        env.remove("PV3D_MODEL_DIR");
        env.remove("PV3D_WORKER_HEALTH_PORT");
        env.putAll(extra);
        return builder;
    }

    /** Starts it with stdout and stderr in {@code log}. */
    static Process start(ProcessBuilder builder, Path log) throws IOException {
        return builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }
}
