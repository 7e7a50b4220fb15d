package org.pv3dfarm.worker;

import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.pv3dfarm.model.InvalidModelException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * The render worker process: {@code java -jar render-worker/target/pv3d-render-worker.jar}. Configured by
 * environment variables and system properties ({@link WorkerConfig}); stops gracefully on SIGTERM or Ctrl-C
 * (the running job gets {@code PV3D_WORKER_SHUTDOWN_GRACE} to finish, or is released for redelivery), and on a
 * drain through its health endpoint ({@code PV3D_WORKER_HEALTH_PORT}, {@link WorkerHealthServer}).
 *
 * <p>Logging: logback with {@value #LOGBACK_CONFIG} from the jar (quiet: this farm's lines at INFO, libraries at
 * WARN; {@code PV3D_LOG_LEVEL} changes the farm's level) unless {@code -Dlogback.configurationFile} names another.
 * Exit status: 143 after SIGTERM (130 after Ctrl-C), 0 after a drain over HTTP, 1 when the worker failed, 2 for an
 * invalid configuration.
 */
public final class RenderWorkerMain {

    /** The logging configuration on the classpath that the process uses by default. */
    public static final String LOGBACK_CONFIG = "pv3d-render-worker-logback.xml";
    private static final String LOGBACK_CONFIG_PROPERTY = "logback.configurationFile";

    private RenderWorkerMain() {
    }

    public static void main(String[] args) {
        // Before the first logger exists: logback reads its configuration once, at initialisation.
        if (System.getProperty(LOGBACK_CONFIG_PROPERTY) == null) {
            System.setProperty(LOGBACK_CONFIG_PROPERTY, LOGBACK_CONFIG);
        }
        WorkerLogging.routeJavaUtilLogging();
        Logger log = LoggerFactory.getLogger(RenderWorkerMain.class);

        WorkerConfig config;
        try {
            config = WorkerConfig.fromSystem();
        } catch (IllegalArgumentException e) {
            log.error("invalid configuration: {}", e.getMessage());
            System.exit(2);
            return;
        }
        log.info("starting with {}", config);
        RenderWorker worker;
        try {
            worker = RenderWorker.start(config);
        } catch (IllegalArgumentException | InvalidModelException e) {
            log.error("the render worker could not start: {}", e.getMessage()); // says what to fix; no trace needed
            System.exit(1);
            return;
        } catch (RuntimeException e) {
            log.error("the render worker could not start: {}", e.toString(), e);
            System.exit(1);
            return;
        }
        WorkerHealthServer health;
        try {
            health = config.healthPort() == WorkerConfig.NO_HEALTH_PORT ? null
                    : WorkerHealthServer.start(config.healthPort(), worker);
        } catch (RuntimeException e) {
            log.error("the render worker could not start its health endpoint: {}", e.toString());
            worker.close();
            System.exit(1);
            return;
        }
        AtomicBoolean stopping = new AtomicBoolean();
        // SIGTERM and Ctrl-C drain BEFORE the JVM shuts down: ONNX Runtime closes its environment in a shutdown
        // hook of its own, so a job still running during the hooks would crash the process (exit 134).
        SignalHandler drain = signal -> {
            Thread stop = new Thread(() -> {
                stopping.set(true);
                log.info("stop requested (SIG{}); closing the render worker", signal.getName());
                worker.close();
                closeQuietly(health);
                System.exit(128 + signal.getNumber());
            }, "pv3d-worker-shutdown");
            stop.setDaemon(false); // the signal dispatcher's threads are daemons; this one must keep the JVM up
            stop.start();
        };
        Signal.handle(new Signal("TERM"), drain);
        Signal.handle(new Signal("INT"), drain);
        // Any other exit (System.exit elsewhere): release what is left, as well as the hooks' race allows.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (stopping.compareAndSet(false, true)) {
                log.info("stop requested; closing the render worker");
            }
            worker.close();
            closeQuietly(health);
        }, "pv3d-worker-exit"));
        try {
            worker.terminated().join();
        } catch (CompletionException e) {
            if (!stopping.get()) {
                log.error("the render worker failed: {}", e.getCause().toString());
                System.exit(1); // runs the hook, which releases what is left
            }
        }
        // Ended by a stop, or drained over HTTP (preStop): the process ends once the drain has been answered.
        worker.close();
        closeQuietly(health);
    }

    private static void closeQuietly(WorkerHealthServer health) {
        if (health != null) {
            health.close();
        }
    }
}
