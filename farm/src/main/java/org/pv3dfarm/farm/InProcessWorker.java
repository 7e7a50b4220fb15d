package org.pv3dfarm.farm;

import java.util.HashMap;
import java.util.Map;
import org.pv3dfarm.worker.RenderWorker;
import org.pv3dfarm.worker.WorkerConfig;
import org.pv3dfarm.worker.WorkerLogging;

/**
 * The farm's render worker, in the launcher's JVM: the same {@link RenderWorker} that the worker process runs,
 * configured the same way ({@link WorkerConfig}: this process' {@code PV3D_*} variables and {@code pv3d.*} system
 * properties, so e.g. {@code PV3D_EXECUTION_PROVIDER} or {@code PV3D_MODEL_DIR} apply), except that Kafka, the object
 * store and the work directory are this farm's.
 */
final class InProcessWorker {

    private InProcessWorker() {
    }

    static RenderWorker start(String kafkaBootstrapServers, ObjectStoreEndpoint store, FarmDataLayout layout) {
        // The model runtime logs through java.util.logging; route it to the launcher's log like the rest.
        WorkerLogging.routeJavaUtilLogging();
        return RenderWorker.start(config(System.getenv(), systemProperties(), kafkaBootstrapServers, store, layout));
    }

    /** The worker's configuration: the farm's endpoints over the given properties over the environment. */
    static WorkerConfig config(Map<String, String> environment, Map<String, String> systemProperties,
            String kafkaBootstrapServers, ObjectStoreEndpoint store, FarmDataLayout layout) {
        Map<String, String> properties = new HashMap<>(systemProperties);
        properties.put(WorkerConfig.Setting.KAFKA_BOOTSTRAP_SERVERS.property(), kafkaBootstrapServers);
        properties.put(WorkerConfig.Setting.S3_ENDPOINT.property(), store.endpoint().toString());
        properties.put(WorkerConfig.Setting.S3_ACCESS_KEY.property(), store.accessKey());
        properties.put(WorkerConfig.Setting.S3_SECRET_KEY.property(), store.secretKey());
        properties.put(WorkerConfig.Setting.S3_BUCKET.property(), store.bucket());
        properties.put(WorkerConfig.Setting.WORK_DIR.property(), layout.work().toString());
        return WorkerConfig.from(environment, properties);
    }

    private static Map<String, String> systemProperties() {
        Map<String, String> properties = new HashMap<>();
        System.getProperties().stringPropertyNames().forEach(name -> properties.put(name, System.getProperty(name)));
        return properties;
    }
}
