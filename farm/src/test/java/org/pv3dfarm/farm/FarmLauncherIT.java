package org.pv3dfarm.farm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bytedeco.ffmpeg.global.avcodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's run command with {@code --demo --exit}: the launcher as a user runs it, minus the shell script. */
class FarmLauncherIT {

    @Test
    void theDemoRendersAClipAndSaysWhereItIs(@TempDir Path dataDir) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exitCode = FarmLauncher.run(new String[] {"--data-dir", dataDir.toString(), "--api-port", "0",
                "--kafka-port", "0", "--s3-port", "0", "--demo-frames", "4", "--exit",
                "--api-jar", System.getProperty(JobApiJar.PROPERTY, JobApiJar.RELATIVE_PATH)}, Map.of(),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String printed = out.toString(StandardCharsets.UTF_8);
        assertEquals(FarmLauncher.OK, exitCode, printed + err.toString(StandardCharsets.UTF_8));
        assertTrue(printed.contains("PV3D farm is running (data: " + dataDir), printed);
        assertTrue(printed.matches("(?s).*Job API +http://127\\.0\\.0\\.1:\\d+ .*"), printed);
        assertTrue(printed.matches("(?s).*Kafka +127\\.0\\.0\\.1:\\d+ .*"), printed);
        assertTrue(printed.contains("bucket pv3d, access key pv3d, secret key pv3d-secret-key"), printed);
        assertTrue(printed.contains("demo: presigned http://127.0.0.1:"), printed);

        Matcher mp4 = Pattern.compile("demo: MP4 +(\\S+)").matcher(printed);
        assertTrue(mp4.find(), printed);
        Path video = Path.of(mp4.group(1));
        assertTrue(video.startsWith(dataDir.resolve("demo")), video.toString());
        DecodedMp4 decoded = DecodedMp4.decode(video);
        assertEquals(avcodec.AV_CODEC_ID_H264, decoded.codecId());
        assertEquals(4, decoded.frames().size());
        assertTrue(Files.exists(dataDir.resolve("logs/job-api.log")));
    }

    @Test
    void aBadCommandLineIsAUsageErrorAndStartsNothing(@TempDir Path dataDir) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exitCode = FarmLauncher.run(new String[] {"--data-dir", dataDir.toString(), "--frames", "3"}, Map.of(),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(FarmLauncher.USAGE, exitCode);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown option '--frames'"), err.toString());
        assertTrue(Files.notExists(dataDir.resolve("kafka")));
    }

    @Test
    void aBadEnvironmentIsAUsageErrorNamingTheVariable() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exitCode = FarmLauncher.run(new String[0], Map.of("PV3D_S3_ENDPOINT", "http://minio:9000"),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(FarmLauncher.USAGE, exitCode);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("PV3D_S3_ACCESS_KEY"), err.toString());
    }
}
