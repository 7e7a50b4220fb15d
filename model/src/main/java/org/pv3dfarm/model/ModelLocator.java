package org.pv3dfarm.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Finds the model a process should run. In order:
 * <ol>
 *   <li>the system property {@value #MODEL_DIR_PROPERTY}, a model directory;</li>
 *   <li>the environment variable {@value #MODEL_DIR_ENV}, a model directory;</li>
 *   <li>the committed demo model (the tiny architecture fitted to synthetic talking heads) packaged on the classpath under {@value #CLASSPATH_ROOT}{@value #DEFAULT_MODEL}/:
 *       used in place when the classpath entry is a directory, otherwise (inside a jar) extracted once into
 *       {@code <cache>/NAME-<sha256 of model.json>/}, where the cache is {@value #CACHE_DIR_PROPERTY},
 *       {@value #CACHE_DIR_ENV} or {@code java.io.tmpdir/pv3d-models}.</li>
 * </ol>
 * The located directory is then loaded and verified with {@link ModelManifest#load(Path)}.
 */
public final class ModelLocator {

    public static final String MODEL_DIR_PROPERTY = "pv3d.model.dir";
    public static final String MODEL_DIR_ENV = "PV3D_MODEL_DIR";
    public static final String CACHE_DIR_PROPERTY = "pv3d.model.cache";
    public static final String CACHE_DIR_ENV = "PV3D_MODEL_CACHE";
    public static final String CLASSPATH_ROOT = "pv3d-models/";
    public static final String DEFAULT_MODEL = "demo";

    private static final Logger LOG = System.getLogger(ModelLocator.class.getName());

    private final Function<String, String> properties;
    private final Function<String, String> environment;
    private final ClassLoader classLoader;

    /** A locator reading this process' system properties and environment. */
    public ModelLocator() {
        this(System::getProperty, System::getenv, ModelLocator.class.getClassLoader());
    }

    /** A locator over explicit lookups (tests, embedding applications). */
    public ModelLocator(Function<String, String> properties, Function<String, String> environment,
                        ClassLoader classLoader) {
        this.properties = properties;
        this.environment = environment;
        this.classLoader = classLoader;
    }

    /** Loads and verifies the default model of this process. */
    public static ModelManifest loadDefault() {
        return ModelManifest.load(new ModelLocator().modelDirectory());
    }

    /** Loads and verifies a model packaged on the classpath, e.g. {@code tiny} or {@code demo}, whatever is configured. */
    public static ModelManifest loadPackaged(String name) {
        return ModelManifest.load(new ModelLocator().classpathModel(name));
    }

    /** The model directory this process should use (see the class comment). */
    public Path modelDirectory() {
        String configured = blankToNull(properties.apply(MODEL_DIR_PROPERTY));
        String source = "system property " + MODEL_DIR_PROPERTY;
        if (configured == null) {
            configured = blankToNull(environment.apply(MODEL_DIR_ENV));
            source = "environment variable " + MODEL_DIR_ENV;
        }
        if (configured != null) {
            Path dir = Path.of(configured);
            if (!Files.isDirectory(dir)) {
                throw new InvalidModelException(source + " names " + dir + ", which is not a directory");
            }
            return dir;
        }
        return classpathModel(DEFAULT_MODEL);
    }

    /**
     * The directory of a model packaged on the classpath under {@value #CLASSPATH_ROOT}NAME/, extracting it to
     * the cache when it lives inside a jar.
     */
    public Path classpathModel(String name) {
        String base = CLASSPATH_ROOT + name + "/";
        URL manifestUrl = classLoader.getResource(base + ModelManifest.FILE_NAME);
        if (manifestUrl == null) {
            throw new InvalidModelException("no model '" + name + "' on the classpath (" + base + ModelManifest.FILE_NAME
                    + " not found); set " + MODEL_DIR_PROPERTY + " or " + MODEL_DIR_ENV + " to a model directory");
        }
        if ("file".equals(manifestUrl.getProtocol())) {
            try {
                return Path.of(manifestUrl.toURI()).getParent();
            } catch (URISyntaxException e) {
                throw new InvalidModelException("bad classpath location " + manifestUrl, e);
            }
        }
        return extract(name, base);
    }

    private Path extract(String name, String base) {
        byte[] manifestBytes = resource(base + ModelManifest.FILE_NAME);
        Path cacheRoot = cacheRoot();
        Path target = cacheRoot.resolve(name + "-" + sha256(manifestBytes).substring(0, 16));
        if (Files.isRegularFile(target.resolve(ModelManifest.FILE_NAME))) {
            return target; // complete: directories are moved into place only once fully written
        }
        ModelManifest manifest = ModelManifest.parse(manifestBytes, target);
        Set<String> files = new LinkedHashSet<>();
        manifest.allFiles().forEach(f -> files.add(f.file()));
        Path staging = null;
        try {
            Files.createDirectories(cacheRoot);
            staging = Files.createTempDirectory(cacheRoot, name + "-staging-");
            for (String file : files) {
                try (InputStream in = stream(base + file)) {
                    Files.copy(in, staging.resolve(file));
                }
            }
            Files.write(staging.resolve(ModelManifest.FILE_NAME), manifestBytes);
            try {
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(staging, target);
            }
            LOG.log(Level.INFO, "Extracted model {0} from the classpath to {1}", name, target);
            staging = null;
        } catch (FileAlreadyExistsException e) {
            // Another process extracted it first: use theirs.
        } catch (IOException e) {
            if (!Files.isRegularFile(target.resolve(ModelManifest.FILE_NAME))) {
                throw new InvalidModelException("cannot extract model " + name + " to " + target + ": " + e, e);
            }
        } finally {
            deleteQuietly(staging);
        }
        return target;
    }

    private Path cacheRoot() {
        String configured = blankToNull(properties.apply(CACHE_DIR_PROPERTY));
        if (configured == null) {
            configured = blankToNull(environment.apply(CACHE_DIR_ENV));
        }
        return configured != null ? Path.of(configured)
                : Path.of(System.getProperty("java.io.tmpdir"), "pv3d-models");
    }

    private byte[] resource(String name) {
        try (InputStream in = stream(name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read classpath resource " + name, e);
        }
    }

    private InputStream stream(String name) {
        InputStream in = classLoader.getResourceAsStream(name);
        if (in == null) {
            throw new InvalidModelException("classpath resource " + name + " is missing: the packaged model is incomplete");
        }
        return in;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "could not delete {0}: {1}", dir, e);
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
