package org.pv3dfarm.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelLocatorTest {

    @TempDir
    Path tmp;

    private static final ClassLoader EMPTY = new URLClassLoader(new URL[0], null);

    @Test
    void systemPropertyWinsOverEnvironment() throws IOException {
        Path a = Files.createDirectories(tmp.resolve("a"));
        Path b = Files.createDirectories(tmp.resolve("b"));
        ModelLocator locator = new ModelLocator(map(ModelLocator.MODEL_DIR_PROPERTY, a.toString()),
                map(ModelLocator.MODEL_DIR_ENV, b.toString()), EMPTY);
        assertEquals(a, locator.modelDirectory());
        assertEquals(b, new ModelLocator(k -> null, map(ModelLocator.MODEL_DIR_ENV, b.toString()), EMPTY).modelDirectory());
    }

    @Test
    void configuredDirectoryMustExist() {
        Path missing = tmp.resolve("nope");
        InvalidModelException e = assertThrows(InvalidModelException.class, () -> new ModelLocator(k -> null,
                map(ModelLocator.MODEL_DIR_ENV, missing.toString()), EMPTY).modelDirectory());
        assertTrue(e.getMessage().contains("PV3D_MODEL_DIR") && e.getMessage().contains(missing.toString()), e.getMessage());
    }

    @Test
    void noModelAnywhereSaysHowToConfigureOne() {
        InvalidModelException e = assertThrows(InvalidModelException.class,
                () -> new ModelLocator(k -> null, k -> null, EMPTY).modelDirectory());
        assertTrue(e.getMessage().contains("pv3d-models/" + ModelLocator.DEFAULT_MODEL + "/model.json") && e.getMessage().contains("PV3D_MODEL_DIR"),
                e.getMessage());
    }

    @Test
    void classpathDirectoryIsUsedInPlace() throws IOException {
        Path root = tmp.resolve("classes");
        Path model = Files.createDirectories(root.resolve("pv3d-models/" + ModelLocator.DEFAULT_MODEL));
        new SyntheticModelDir(model);
        try (URLClassLoader cl = new URLClassLoader(new URL[] {root.toUri().toURL()}, null)) {
            Path found = new ModelLocator(k -> null, k -> null, cl).modelDirectory();
            assertEquals(model.toRealPath(), found.toRealPath());
        }
    }

    @Test
    void modelInsideAJarIsExtractedOnceAndVerifies() throws IOException {
        Path model = Files.createDirectories(tmp.resolve("export"));
        new SyntheticModelDir(model);
        Path jar = tmp.resolve("models.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar)); Stream<Path> files = Files.list(model)) {
            for (Path f : files.toList()) {
                out.putNextEntry(new JarEntry("pv3d-models/" + ModelLocator.DEFAULT_MODEL + "/" + f.getFileName()));
                out.write(Files.readAllBytes(f));
                out.closeEntry();
            }
        }
        Path cache = tmp.resolve("cache");
        Function<String, String> props = map(ModelLocator.CACHE_DIR_PROPERTY, cache.toString());
        try (URLClassLoader cl = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            ModelLocator locator = new ModelLocator(props, k -> null, cl);
            Path first = locator.modelDirectory();
            assertTrue(first.startsWith(cache), first.toString());
            assertTrue(first.getFileName().toString().startsWith(ModelLocator.DEFAULT_MODEL + "-"), first.toString());
            ModelManifest loaded = ModelManifest.load(first); // all files present with matching sha256
            assertEquals("synthetic", loaded.name());
            long modified = Files.getLastModifiedTime(first.resolve("mapping.onnx")).toMillis();
            Path second = locator.modelDirectory();
            assertEquals(first, second);
            assertEquals(modified, Files.getLastModifiedTime(second.resolve("mapping.onnx")).toMillis());
            try (Stream<Path> entries = Files.list(cache)) {
                assertEquals(1, entries.count(), "no staging directories left behind");
            }
        }
    }

    @Test
    void incompleteJarIsReported() throws IOException {
        Path model = Files.createDirectories(tmp.resolve("export"));
        new SyntheticModelDir(model);
        Path jar = tmp.resolve("broken.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry("pv3d-models/" + ModelLocator.DEFAULT_MODEL + "/model.json"));
            out.write(Files.readAllBytes(model.resolve("model.json")));
            out.closeEntry();
        }
        try (URLClassLoader cl = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            ModelLocator locator = new ModelLocator(map(ModelLocator.CACHE_DIR_PROPERTY, tmp.resolve("c").toString()),
                    k -> null, cl);
            InvalidModelException e = assertThrows(InvalidModelException.class, locator::modelDirectory);
            assertTrue(e.getMessage().contains("pv3d-models/" + ModelLocator.DEFAULT_MODEL + "/mapping.onnx is missing"), e.getMessage());
        }
    }

    private static Function<String, String> map(String key, String value) {
        return Map.of(key, value)::get;
    }
}
