package org.pv3dfarm.farm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobApiJarTest {

    private static Path jarUnder(Path root) throws Exception {
        Path jar = root.resolve(JobApiJar.RELATIVE_PATH);
        Files.createDirectories(jar.getParent());
        return Files.createFile(jar);
    }

    @Test
    void theWorkingDirectoryIsACheckout(@TempDir Path checkout) throws Exception {
        Path jar = jarUnder(checkout);
        assertEquals(jar, JobApiJar.locate(k -> null, k -> null, checkout, Optional.empty()));
    }

    @Test
    void theLaunchersOwnLocationFindsTheCheckoutFromElsewhere(@TempDir Path checkout, @TempDir Path elsewhere)
            throws Exception {
        Path jar = jarUnder(checkout);
        Path launcher = checkout.resolve("farm/target/pv3d-farm-0.1.0-SNAPSHOT.jar");
        assertEquals(jar, JobApiJar.locate(k -> null, k -> null, elsewhere, Optional.of(launcher)));
    }

    @Test
    void configurationWinsAndMustExist(@TempDir Path dir) throws Exception {
        Path jar = Files.createFile(dir.resolve("api.jar"));
        assertEquals(jar, JobApiJar.locate(Map.of(JobApiJar.PROPERTY, jar.toString())::get, k -> null, dir,
                Optional.empty()));
        assertEquals(jar, JobApiJar.locate(k -> null, Map.of(JobApiJar.ENV, jar.toString())::get, dir,
                Optional.empty()));
        IllegalStateException missing = assertThrows(IllegalStateException.class, () -> JobApiJar.locate(
                k -> null, Map.of(JobApiJar.ENV, dir.resolve("gone.jar").toString())::get, dir, Optional.empty()));
        assertTrue(missing.getMessage().contains("gone.jar"), missing.getMessage());
    }

    @Test
    void notBuiltSaysHowToBuild(@TempDir Path dir) {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> JobApiJar.locate(k -> null, k -> null, dir, Optional.empty()));
        assertTrue(e.getMessage().contains("./mvnw -DskipTests install"), e.getMessage());
    }
}
