package org.pv3dfarm.farm;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Finds the job API's runnable jar ({@code job-api/target/quarkus-app/quarkus-run.jar}, built by
 * {@code ./mvnw install}). In order: the system property {@value #PROPERTY}, the environment variable
 * {@value #ENV}, then {@value #RELATIVE_PATH} under the working directory and under each directory above the
 * launcher's own jar or classes (so the launcher finds it from anywhere inside a checkout).
 */
public final class JobApiJar {

    public static final String PROPERTY = "pv3d.api-jar";
    public static final String ENV = "PV3D_API_JAR";
    public static final String RELATIVE_PATH = "job-api/target/quarkus-app/quarkus-run.jar";

    private JobApiJar() {
    }

    /** The jar, or an exception that says where it was looked for and how to build it. */
    public static Path locate() {
        return locate(System::getProperty, System::getenv, Path.of("").toAbsolutePath(), launcherLocation());
    }

    static Path locate(Function<String, String> properties, Function<String, String> environment, Path workingDir,
            Optional<Path> launcherLocation) {
        for (String configured : new String[] {properties.apply(PROPERTY), environment.apply(ENV)}) {
            if (configured != null && !configured.isBlank()) {
                Path jar = Path.of(configured).toAbsolutePath().normalize();
                if (!Files.isRegularFile(jar)) {
                    throw new IllegalStateException("the job API jar " + jar + " (from " + PROPERTY + " / " + ENV
                            + ") does not exist; build it with ./mvnw -DskipTests install");
                }
                return jar;
            }
        }
        List<Path> candidates = new ArrayList<>();
        candidates.add(workingDir.resolve(RELATIVE_PATH));
        launcherLocation.ifPresent(location -> {
            for (Path dir = location.getParent(); dir != null; dir = dir.getParent()) {
                candidates.add(dir.resolve(RELATIVE_PATH));
            }
        });
        return candidates.stream().map(p -> p.toAbsolutePath().normalize()).filter(Files::isRegularFile).findFirst()
                .orElseThrow(() -> new IllegalStateException("the job API is not built: no " + RELATIVE_PATH
                        + " under " + workingDir + launcherLocation.map(l -> " or above " + l).orElse("")
                        + "; run ./mvnw -DskipTests install (bin/farm does), or pass --api-jar"));
    }

    private static Optional<Path> launcherLocation() {
        CodeSource source = JobApiJar.class.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Path.of(source.getLocation().toURI()));
        } catch (URISyntaxException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
