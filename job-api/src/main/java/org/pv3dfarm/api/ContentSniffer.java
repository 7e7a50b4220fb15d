package org.pv3dfarm.api;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

/**
 * What the first bytes of an uploaded object are, by their magic numbers — never by the name or the declared type:
 * <ul>
 *   <li>{@code image/png}: {@code 89 50 4E 47 0D 0A 1A 0A};</li>
 *   <li>{@code image/jpeg}: {@code FF D8 FF};</li>
 *   <li>{@code image/webp}: {@code RIFF}, 4 size bytes, {@code WEBP};</li>
 *   <li>{@code video/quicktime}: an ISO base media {@code ftyp} box at offset 4 with major brand {@code qt  }, or a
 *       classic QuickTime file opening with a {@code moov}, {@code mdat}, {@code wide} or {@code free} atom;</li>
 *   <li>{@code video/mp4}: an {@code ftyp} box with any other brand except the image brands (HEIF/AVIF);</li>
 *   <li>{@code video/webm}: the EBML magic {@code 1A 45 DF A3} with the DocType {@code webm} in the header
 *       (Matroska files with DocType {@code matroska} are not WebM).</li>
 * </ul>
 * {@link #HEAD_BYTES} bytes are enough for every rule.
 */
public final class ContentSniffer {

    /** How many leading bytes {@link #sniff} needs. */
    public static final int HEAD_BYTES = 4096;

    /** The types this class recognises. */
    public static final Set<String> KNOWN = Set.of("image/png", "image/jpeg", "image/webp", "video/mp4",
            "video/webm", "video/quicktime");

    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
    private static final byte[] JPEG = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF};
    private static final byte[] EBML = {0x1A, 0x45, (byte) 0xDF, (byte) 0xA3};
    /** EBML DocType element id (0x4282), then a one-byte size 0x84, then "webm". */
    private static final byte[] WEBM_DOCTYPE = {0x42, (byte) 0x82, (byte) 0x84, 'w', 'e', 'b', 'm'};
    private static final Set<String> QUICKTIME_ATOMS = Set.of("moov", "mdat", "wide", "free", "skip", "pnot");
    private static final Set<String> IMAGE_BRANDS = Set.of("heic", "heix", "mif1", "msf1", "avif", "avis");

    private ContentSniffer() {
    }

    /** The content type of an object whose first bytes are {@code head}, or empty when none matches. */
    public static Optional<String> sniff(byte[] head) {
        if (startsWith(head, 0, PNG)) {
            return Optional.of("image/png");
        }
        if (startsWith(head, 0, JPEG)) {
            return Optional.of("image/jpeg");
        }
        if (ascii(head, 0, 4).equals("RIFF") && ascii(head, 8, 4).equals("WEBP")) {
            return Optional.of("image/webp");
        }
        if (ascii(head, 4, 4).equals("ftyp")) {
            String brand = ascii(head, 8, 4);
            if (brand.equals("qt  ")) {
                return Optional.of("video/quicktime");
            }
            return brand.length() == 4 && !IMAGE_BRANDS.contains(brand) ? Optional.of("video/mp4") : Optional.empty();
        }
        if (QUICKTIME_ATOMS.contains(ascii(head, 4, 4))) {
            return Optional.of("video/quicktime");
        }
        if (startsWith(head, 0, EBML) && indexOf(head, WEBM_DOCTYPE) > 0) {
            return Optional.of("video/webm");
        }
        return Optional.empty();
    }

    private static boolean startsWith(byte[] data, int offset, byte[] magic) {
        return data.length >= offset + magic.length
                && Arrays.equals(data, offset, offset + magic.length, magic, 0, magic.length);
    }

    private static String ascii(byte[] data, int offset, int length) {
        return data.length < offset + length ? "" : new String(data, offset, length, StandardCharsets.ISO_8859_1);
    }

    private static int indexOf(byte[] data, byte[] needle) {
        for (int i = 0; i + needle.length <= data.length; i++) {
            if (startsWith(data, i, needle)) {
                return i;
            }
        }
        return -1;
    }
}
