package org.pv3dfarm.worker;

import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * The model runtime and ONNX Runtime's Java layer log through {@code java.util.logging} ({@link System.Logger});
 * the worker logs through SLF4J. {@link #routeJavaUtilLogging()} sends the former to the latter, so one
 * configuration (levels, format) covers both, including the model's "running on CPU" fallback line.
 */
public final class WorkerLogging {

    private WorkerLogging() {
    }

    /** Installs the JUL → SLF4J bridge once for this JVM (replacing JUL's console handler). */
    public static synchronized void routeJavaUtilLogging() {
        if (!SLF4JBridgeHandler.isInstalled()) {
            SLF4JBridgeHandler.removeHandlersForRootLogger();
            SLF4JBridgeHandler.install();
        }
    }
}
