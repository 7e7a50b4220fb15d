package org.pv3dfarm.worker.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MediaLimitsTest {

    @Test
    void defaultsAreValidAndRoundTripThroughTheBuilder() {
        MediaLimits d = MediaLimits.defaults();
        assertEquals(d, d.toBuilder().build());
        assertEquals(64, d.maxFrames());
        assertEquals(Duration.ofSeconds(60), d.maxDuration());
    }

    @Test
    void invalidLimitsAreNamed() {
        assertMessage("maxBytes", () -> MediaLimits.builder().maxBytes(0).build());
        assertMessage("maxWidth", () -> MediaLimits.builder().maxWidth(8).build());
        assertMessage("maxPixels", () -> MediaLimits.builder().maxPixels(10).build());
        assertMessage("maxDuration", () -> MediaLimits.builder().maxDuration(Duration.ZERO).build());
        assertMessage("maxFrames", () -> MediaLimits.builder().maxSourceFrames(10).maxFrames(11).build());
        assertMessage("timeout", () -> MediaLimits.builder().timeout(Duration.ofSeconds(-1)).build());
    }

    @Test
    void snifferReadsMagicBytesOnly() {
        assertEquals(Optional.of(MediaType.PNG), MediaSniffer.sniff(TestMedia.astronautPng()));
        assertEquals(Optional.of(MediaType.WEBP), MediaSniffer.sniff(TestMedia.astronautWebp()));
        assertEquals(Optional.of(MediaType.JPEG), MediaSniffer.sniff(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0}));
        assertEquals(Optional.of(MediaType.MP4), MediaSniffer.sniff(bytes("\0\0\0\u0020ftypisom")));
        assertEquals(Optional.of(MediaType.MOV), MediaSniffer.sniff(bytes("\0\0\0\u0014ftypqt  ")));
        assertEquals(Optional.of(MediaType.MOV), MediaSniffer.sniff(bytes("\0\0\0\u0008wide")));
        assertEquals(Optional.of(MediaType.WEBM), MediaSniffer.sniff(new byte[] {0x1A, 0x45, (byte) 0xDF, (byte) 0xA3}));
        assertEquals(Optional.empty(), MediaSniffer.sniff(bytes("RIFF\0\0\0\0WAVE")));
        assertEquals(Optional.empty(), MediaSniffer.sniff(bytes("GIF89a")));
        assertEquals(Optional.empty(), MediaSniffer.sniff(new byte[0]));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    private static void assertMessage(String name, org.junit.jupiter.api.function.Executable build) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build);
        assertTrue(e.getMessage().startsWith(name), e.getMessage());
    }
}
