package org.pv3dfarm.embedded;

import java.util.List;
import java.util.Objects;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Sets the level of the chatty logger trees that the embedded parts bring (Kafka's broker, S3Proxy, its Jetty and
 * jclouds), whichever backend SLF4J is bound to.
 *
 * <p>Why: S3Proxy and jclouds log every request, and logback without a configuration file logs everything at DEBUG;
 * a farm on one machine should print what matters. Works with logback (the plain-Java farm and the tests) and with
 * any java.util.logging-based backend such as JBoss LogManager (Quarkus); other backends are left alone.
 */
public final class QuietLogs {

    /** Logger trees of the in-process Kafka broker (and the Kafka clients in the same JVM). */
    public static final List<String> KAFKA = List.of("kafka", "org.apache.kafka", "state.change.logger");

    /** Logger trees of S3Proxy, its shaded Jetty and jclouds. */
    public static final List<String> OBJECT_STORE = List.of("org.gaul", "org.jclouds", "jclouds", "org.eclipse.jetty");

    /** Logger trees of Testcontainers and the Docker client it drives. */
    public static final List<String> CONTAINERS = List.of("org.testcontainers", "com.github.dockerjava", "tc");

    private QuietLogs() {
    }

    /**
     * Sets {@code level} on each named logger tree. With logback that has not been configured by a file (whose
     * default is DEBUG for everything), the root logger is raised to INFO as well.
     */
    public static void apply(Level level, List<String> loggerNames) {
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(loggerNames, "loggerNames");
        String backend = LoggerFactory.getILoggerFactory().getClass().getName();
        if (backend.equals("ch.qos.logback.classic.LoggerContext")) {
            LogbackLevels.apply(level, loggerNames);
        } else if (backend.startsWith("org.slf4j.jul") || backend.startsWith("org.jboss.slf4j")) {
            JulLevels.apply(level, loggerNames);
        }
    }

    /**
     * Turns the named logger trees off entirely: for libraries that report an expected condition as an ERROR
     * (Testcontainers when there is no Docker) where the caller logs one line of its own instead.
     */
    public static void off(List<String> loggerNames) {
        Objects.requireNonNull(loggerNames, "loggerNames");
        String backend = LoggerFactory.getILoggerFactory().getClass().getName();
        if (backend.equals("ch.qos.logback.classic.LoggerContext")) {
            LogbackLevels.off(loggerNames);
        } else if (backend.startsWith("org.slf4j.jul") || backend.startsWith("org.jboss.slf4j")) {
            loggerNames.forEach(name -> java.util.logging.Logger.getLogger(name).setLevel(java.util.logging.Level.OFF));
        }
    }

    /** Loaded only when logback is the backend, so that logback stays an optional dependency. */
    private static final class LogbackLevels {
        static void apply(Level level, List<String> loggerNames) {
            var context = (ch.qos.logback.classic.LoggerContext) LoggerFactory.getILoggerFactory();
            var root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
            boolean unconfigured =
                    ch.qos.logback.core.joran.util.ConfigurationWatchListUtil.getMainWatchURL(context) == null;
            if (unconfigured && root.getLevel() != null
                    && root.getLevel().toInt() < ch.qos.logback.classic.Level.INFO.toInt()) {
                root.setLevel(ch.qos.logback.classic.Level.INFO);
            }
            ch.qos.logback.classic.Level target = ch.qos.logback.classic.Level.toLevel(level.name());
            for (String name : loggerNames) {
                context.getLogger(name).setLevel(target);
            }
        }

        static void off(List<String> loggerNames) {
            var context = (ch.qos.logback.classic.LoggerContext) LoggerFactory.getILoggerFactory();
            loggerNames.forEach(name -> context.getLogger(name).setLevel(ch.qos.logback.classic.Level.OFF));
        }
    }

    private static final class JulLevels {
        static void apply(Level level, List<String> loggerNames) {
            java.util.logging.Level target = switch (level) {
                case ERROR -> java.util.logging.Level.SEVERE;
                case WARN -> java.util.logging.Level.WARNING;
                case INFO -> java.util.logging.Level.INFO;
                case DEBUG -> java.util.logging.Level.FINE;
                case TRACE -> java.util.logging.Level.FINEST;
            };
            for (String name : loggerNames) {
                java.util.logging.Logger.getLogger(name).setLevel(target);
            }
        }
    }
}
