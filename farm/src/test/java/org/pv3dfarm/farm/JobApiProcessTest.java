package org.pv3dfarm.farm;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a failed start of the API process looks like (the end-to-end tests cover the working one). */
class JobApiProcessTest {

    @Test
    void anApiThatExitsWhileStartingFailsWithItsLog(@TempDir Path dir) throws Exception {
        Path notAJar = Files.writeString(dir.resolve("broken.jar"), "not a jar");
        Path log = dir.resolve("logs/job-api.log");
        var settings = new JobApiProcess.Settings(notAJar, "127.0.0.1", PortRequest.freePort(), Map.of(), log,
                Duration.ofSeconds(60));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> JobApiProcess.start(settings));
        assertTrue(e.getMessage().contains("exited with status"), e.getMessage());
        assertTrue(e.getMessage().contains("broken.jar"), "the log tail shows java's complaint: " + e.getMessage());
        assertTrue(Files.readString(log).startsWith("--- job API starting at "), Files.readString(log));
    }

    @Test
    void anApiThatNeverGetsReadyIsStoppedAfterTheTimeout(@TempDir Path dir) throws Exception {
        // A real process that lives but never listens.
        Path jar = SleepingJar.write(dir.resolve("sleeper.jar"));
        var settings = new JobApiProcess.Settings(jar, "127.0.0.1", PortRequest.freePort(), Map.of(),
                dir.resolve("api.log"), Duration.ofSeconds(5));
        JobApiProcess process = JobApiProcess.launch(settings);
        IllegalStateException e = assertThrows(IllegalStateException.class, process::awaitReady);
        assertTrue(e.getMessage().contains("was not ready within PT5S"), e.getMessage());
        assertTrue(e.getMessage().contains("not listening yet"), e.getMessage());
        assertFalse(process.isAlive(), "a process that never got ready is stopped");
    }
}
