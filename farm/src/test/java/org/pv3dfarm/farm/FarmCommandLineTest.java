package org.pv3dfarm.farm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.pv3dfarm.embedded.InfrastructureMode;

class FarmCommandLineTest {

    private static FarmOptions parse(String... args) {
        return FarmCommandLine.parse(args, FarmOptions.builder());
    }

    @Test
    void noArgumentsGiveTheDefaults() {
        FarmOptions options = parse();
        assertEquals(InfrastructureMode.EMBEDDED, options.infrastructure());
        assertFalse(options.demo());
    }

    @Test
    void everyOptionIsApplied(@TempDir Path dir) {
        FarmOptions options = parse("--data-dir", dir.toString(), "--api-port", "0", "--kafka-port=19092",
                "--s3-port", "19000", "--infrastructure", "auto", "--demo", "--demo-frames", "8", "--exit");
        assertEquals(dir.toAbsolutePath(), options.dataDir());
        assertEquals(PortRequest.exactly(0), options.apiPort());
        assertEquals(PortRequest.exactly(19092), options.kafkaPort());
        assertEquals(PortRequest.exactly(19000), options.s3Port());
        assertEquals(InfrastructureMode.AUTO, options.infrastructure());
        assertTrue(options.demo());
        assertEquals(8, options.demoFrames());
        assertTrue(options.exitAfterDemo());
    }

    @Test
    void demoFramesImplyTheDemo() {
        assertTrue(parse("--demo-frames", "4").demo());
    }

    @Test
    void helpIsRecognisedAnywhere() {
        assertTrue(FarmCommandLine.wantsHelp(new String[] {"--demo", "-h"}));
        assertTrue(FarmCommandLine.wantsHelp(new String[] {"--help"}));
        assertFalse(FarmCommandLine.wantsHelp(new String[] {"--demo"}));
        assertTrue(FarmCommandLine.USAGE.contains("--data-dir"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            --bogus                      | unknown option '--bogus'
            data                         | unknown option 'data'
            --api-port                   | --api-port needs a value
            --api-port --demo            | --api-port needs a value
            --api-port x                 | --api-port: must be a whole number
            --api-port -5                | --api-port: port must be 0
            --kafka-port 70000           | --kafka-port: port must be 0
            --demo-frames 0              | --demo-frames: demoFrames must be 1..1024
            --demo=yes                   | --demo takes no value
            --infrastructure cloud       | --infrastructure: infrastructure mode must be one of auto, embedded
            --exit                       | exitAfterDemo needs demo
            --api-jar /no/such/file.jar  | --api-jar: apiJar must be an existing file
            """)
    void badCommandLinesNameTheOption(String line, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse(line.split(" ")));
        assertTrue(e.getMessage().startsWith(message), () -> "expected '" + message + "...', got: " + e.getMessage());
    }
}
