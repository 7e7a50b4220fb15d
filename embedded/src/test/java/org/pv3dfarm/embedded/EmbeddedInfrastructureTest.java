package org.pv3dfarm.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedInfrastructureTest extends FarmInfrastructureContract {

    @TempDir
    static Path dataDir;
    private static FarmInfrastructure infrastructure;

    @BeforeAll
    static void start() {
        infrastructure = FarmInfrastructure.start(InfrastructureOptions.builder()
                .mode(InfrastructureMode.EMBEDDED).dataDir(dataDir).bucket("farm").build());
    }

    @AfterAll
    static void stop() {
        infrastructure.close();
    }

    @Override
    FarmInfrastructure infrastructure() {
        return infrastructure;
    }

    @Test
    void aDataDirectoryHoldsTheBrokerAndTheBuckets() {
        assertEquals(FarmInfrastructure.Kind.EMBEDDED, infrastructure.kind());
        assertTrue(Files.exists(dataDir.resolve("kafka/meta.properties")));
        assertTrue(Files.isDirectory(dataDir.resolve("objects/farm")));
    }
}
