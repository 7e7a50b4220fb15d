package org.pv3dfarm.model;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads NumPy {@code .npy} files holding little-endian float32 arrays in C order (what the exporter writes for
 * reference inputs and outputs).
 *
 * <p>Layout: the magic {@code \x93NUMPY}, a major and minor version byte, the header length (2 bytes little-endian
 * in version 1, 4 bytes in versions 2 and 3), then an ASCII (v1, v2) or UTF-8 (v3) Python dict literal
 * {@code {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }} padded with spaces and a newline, then the
 * raw elements. Anything else (other dtypes, Fortran order, truncated data) is rejected with a message that says
 * what was found.
 */
public final class NpyReader {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private NpyReader() {
    }

    /** Reads a float32 array from a file; errors name the file. */
    public static FloatTensor read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        try {
            return parse(bytes);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Parses the bytes of an {@code .npy} file.
     *
     * @throws IllegalArgumentException when the bytes are not a little-endian float32 C-order npy array
     */
    public static FloatTensor parse(byte[] bytes) {
        if (bytes.length < 10) {
            throw new IllegalArgumentException("not an npy file: only " + bytes.length + " bytes");
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (bytes[i] != MAGIC[i]) {
                throw new IllegalArgumentException("not an npy file: bad magic (expected \\x93NUMPY)");
            }
        }
        int major = bytes[6] & 0xff;
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength;
        int headerStart;
        switch (major) {
            case 1 -> {
                headerLength = buffer.getShort(8) & 0xffff;
                headerStart = 10;
            }
            case 2, 3 -> {
                if (bytes.length < 12) {
                    throw new IllegalArgumentException("npy v" + major + " file truncated in its preamble");
                }
                headerLength = buffer.getInt(8) & 0xffffffffL;
                headerStart = 12;
            }
            default -> throw new IllegalArgumentException("unsupported npy format version " + major
                    + "." + (bytes[7] & 0xff) + " (1, 2 and 3 are supported)");
        }
        if (headerStart + headerLength > bytes.length) {
            throw new IllegalArgumentException("npy header of " + headerLength + " bytes runs past the end of the file");
        }
        String header = new String(bytes, headerStart, (int) headerLength,
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        String descr = group(DESCR, header, "descr");
        if (!descr.equals("<f4")) {
            throw new IllegalArgumentException("npy dtype '" + descr + "' is not supported; expected '<f4' (little-endian float32)");
        }
        if (group(FORTRAN, header, "fortran_order").equals("True")) {
            throw new IllegalArgumentException("npy array is in Fortran order; expected C order");
        }
        long[] shape = parseShape(group(SHAPE, header, "shape"));
        long count = FloatTensor.elementCount(shape);
        int dataStart = headerStart + (int) headerLength;
        long expectedBytes = count * Float.BYTES;
        if (bytes.length - dataStart != expectedBytes) {
            throw new IllegalArgumentException("npy data holds " + (bytes.length - dataStart) + " bytes but shape "
                    + java.util.Arrays.toString(shape) + " of float32 needs " + expectedBytes);
        }
        float[] data = new float[(int) count];
        buffer.position(dataStart);
        buffer.slice().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data);
        return new FloatTensor(shape, data);
    }

    private static String group(Pattern pattern, String header, String key) {
        Matcher m = pattern.matcher(header);
        if (!m.find()) {
            throw new IllegalArgumentException("npy header has no valid '" + key + "' entry: " + header.strip());
        }
        return m.group(1);
    }

    private static long[] parseShape(String tuple) {
        List<Long> dims = new ArrayList<>();
        for (String part : tuple.split(",")) {
            String p = part.strip();
            if (p.isEmpty()) {
                continue;
            }
            if (p.endsWith("L")) { // Python 2 long literals
                p = p.substring(0, p.length() - 1);
            }
            try {
                dims.add(Long.parseLong(p));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("npy shape (" + tuple + ") has a non-integer dimension '" + p + "'");
            }
        }
        return dims.stream().mapToLong(Long::longValue).toArray();
    }
}
