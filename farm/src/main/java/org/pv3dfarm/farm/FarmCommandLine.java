package org.pv3dfarm.farm;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.pv3dfarm.embedded.InfrastructureMode;

/**
 * The launcher's command line: {@code --name value} or {@code --name=value}, flags without a value. Unknown
 * options, missing values and bad values are errors that name the option; nothing is guessed.
 */
public final class FarmCommandLine {

    /** Printed for {@code --help}. */
    public static final String USAGE = """
            Usage: bin/farm [options]

            Starts the PV3D render farm on this machine: Kafka and an S3 object store (in-process by default, data
            kept under the data directory), the job API and one render worker, and prints where to reach them.

            Options:
              --data-dir DIR           where Kafka, the object store, logs and demo videos live (default ./data)
              --infrastructure MODE    embedded (default): in-process Kafka and S3Proxy; containers: Kafka and
                                       MinIO containers (needs Docker); auto: containers where Docker answers
              --api-port PORT          job API port (default 8080, or any free port if taken; 0 = any free port)
              --kafka-port PORT        embedded Kafka port (default 9092, or any free port if taken)
              --s3-port PORT           embedded S3 port (default 9000, or any free port if taken)
              --api-jar FILE           the job API's quarkus-run.jar (default job-api/target/quarkus-app/)
              --demo                   submit a generation job, wait for it and download its MP4
              --demo-frames N          frames of the demo clip, 1..1024 (default 16; implies --demo)
              --exit                   with --demo: stop the farm once the demo is done
              -h, --help               print this help

            External servers (the job API and the worker read the same variables):
              PV3D_KAFKA_BOOTSTRAP_SERVERS=host:port     use this Kafka, start no broker
              PV3D_S3_ENDPOINT=http://host:port          use this S3/MinIO, start no object store; with
                PV3D_S3_ACCESS_KEY, PV3D_S3_SECRET_KEY and PV3D_S3_BUCKET (default pv3d)

            Ctrl-C (or SIGTERM) stops everything.
            """;

    private FarmCommandLine() {
    }

    /** Whether the arguments ask for help (then nothing else is parsed). */
    public static boolean wantsHelp(String[] args) {
        return List.of(args).stream().anyMatch(a -> a.equals("-h") || a.equals("--help"));
    }

    /**
     * Applies the arguments to {@code options} (which may hold defaults from the environment) and builds.
     *
     * @throws IllegalArgumentException with a message that names the offending option
     */
    public static FarmOptions parse(String[] args, FarmOptions.Builder options) {
        Objects.requireNonNull(args, "args");
        Objects.requireNonNull(options, "options");
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg;
            String inlineValue = null;
            int equals = arg.indexOf('=');
            if (arg.startsWith("--") && equals > 0) {
                name = arg.substring(0, equals);
                inlineValue = arg.substring(equals + 1);
            }
            if (isFlag(name)) {
                if (inlineValue != null) {
                    throw new IllegalArgumentException(name + " takes no value");
                }
                applyFlag(name, options);
                continue;
            }
            if (!isOption(name)) {
                throw new IllegalArgumentException("unknown option '" + arg + "'");
            }
            String value = inlineValue;
            if (value == null) {
                if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                    throw new IllegalArgumentException(name + " needs a value");
                }
                value = args[++i];
            }
            try {
                applyOption(name, value, options);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
            }
        }
        return options.build();
    }

    private static boolean isFlag(String name) {
        return name.equals("--demo") || name.equals("--exit");
    }

    private static boolean isOption(String name) {
        return List.of("--data-dir", "--infrastructure", "--api-port", "--kafka-port", "--s3-port", "--api-jar",
                "--demo-frames").contains(name);
    }

    private static void applyFlag(String name, FarmOptions.Builder options) {
        switch (name) {
            case "--demo" -> options.demo(true);
            case "--exit" -> options.exitAfterDemo(true);
            default -> throw new IllegalStateException(name);
        }
    }

    private static void applyOption(String name, String value, FarmOptions.Builder options) {
        switch (name) {
            case "--data-dir" -> options.dataDir(path(value));
            case "--infrastructure" -> options.infrastructure(InfrastructureMode.parse(value));
            case "--api-port" -> options.apiPort(PortRequest.exactly(integer(value)));
            case "--kafka-port" -> options.kafkaPort(PortRequest.exactly(integer(value)));
            case "--s3-port" -> options.s3Port(PortRequest.exactly(integer(value)));
            case "--api-jar" -> options.apiJar(path(value));
            case "--demo-frames" -> options.demoFrames(integer(value)).demo(true);
            default -> throw new IllegalStateException(name);
        }
    }

    private static int integer(String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("must be a whole number, was '" + value + "'");
        }
    }

    private static Path path(String value) {
        if (value.isBlank()) {
            throw new IllegalArgumentException("must be a path, was empty");
        }
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException("is not a valid path: " + e.getMessage());
        }
    }
}
