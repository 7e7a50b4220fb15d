package org.pv3dfarm.api;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ContentSnifferTest {

    /** Minimal heads of each format (as a real file of that type starts). */
    static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
    static final byte[] JPEG = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 16, 'J', 'F', 'I', 'F', 0};
    static final byte[] WEBP = ascii("RIFF\u0024\0\0\0WEBPVP8 ");
    static final byte[] MP4 = ascii("\0\0\0\u0018ftypisom\0\0\u0002\0isomiso2");
    static final byte[] MOV = ascii("\0\0\0\u0014ftypqt  \0\0\u0002\0qt  ");
    static final byte[] WEBM = {0x1A, 0x45, (byte) 0xDF, (byte) 0xA3, (byte) 0x9F, 0x42, (byte) 0x86, (byte) 0x81,
            0x01, 0x42, (byte) 0x82, (byte) 0x84, 'w', 'e', 'b', 'm', 0x42, (byte) 0x87};

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void recognisesEachAcceptedFormatByItsMagicBytes() {
        assertEquals(Optional.of("image/png"), ContentSniffer.sniff(PNG));
        assertEquals(Optional.of("image/jpeg"), ContentSniffer.sniff(JPEG));
        assertEquals(Optional.of("image/webp"), ContentSniffer.sniff(WEBP));
        assertEquals(Optional.of("video/mp4"), ContentSniffer.sniff(MP4));
        assertEquals(Optional.of("video/quicktime"), ContentSniffer.sniff(MOV));
        assertEquals(Optional.of("video/quicktime"), ContentSniffer.sniff(ascii("\0\0\0\u0008wide\0\0\0\0mdat")));
        assertEquals(Optional.of("video/webm"), ContentSniffer.sniff(WEBM));
    }

    @Test
    void refusesLookalikesAndEverythingElse() {
        byte[] matroska = WEBM.clone();
        System.arraycopy(ascii("mkvx"), 0, matroska, 12, 4);
        assertEquals(Optional.empty(), ContentSniffer.sniff(matroska));
        assertEquals(Optional.empty(), ContentSniffer.sniff(ascii("\0\0\0\u0018ftypheic\0\0\0\0mif1heic")));
        assertEquals(Optional.empty(), ContentSniffer.sniff(ascii("RIFF\u0024\0\0\0WAVEfmt ")));
        assertEquals(Optional.empty(), ContentSniffer.sniff(ascii("GIF89a")));
        assertEquals(Optional.empty(), ContentSniffer.sniff(ascii("<svg xmlns=\"http://www.w3.org/2000/svg\"/>")));
        assertEquals(Optional.empty(), ContentSniffer.sniff(ascii("%PDF-1.7")));
        assertEquals(Optional.empty(), ContentSniffer.sniff(new byte[0]));
        assertEquals(Optional.empty(), ContentSniffer.sniff(new byte[] {(byte) 0x89, 'P', 'N'}));
        assertEquals(Optional.empty(), ContentSniffer.sniff(new byte[] {(byte) 0xFF, (byte) 0xD8}));
    }
}
