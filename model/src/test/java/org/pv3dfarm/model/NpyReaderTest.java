package org.pv3dfarm.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyReaderTest {

    /** Builds an npy file the way numpy.save does: header padded with spaces to a multiple of 64, then '\n'. */
    static byte[] npy(int major, String header, byte[] data) {
        int preamble = major == 1 ? 10 : 12;
        StringBuilder h = new StringBuilder(header);
        while ((preamble + h.length() + 1) % 64 != 0) {
            h.append(' ');
        }
        h.append('\n');
        byte[] headerBytes = h.toString().getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
        ByteBuffer len = ByteBuffer.allocate(major == 1 ? 2 : 4).order(ByteOrder.LITTLE_ENDIAN);
        if (major == 1) {
            len.putShort((short) headerBytes.length);
        } else {
            len.putInt(headerBytes.length);
        }
        out.writeBytes(len.array());
        out.writeBytes(headerBytes);
        out.writeBytes(data);
        return out.toByteArray();
    }

    static byte[] floats(float... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }

    @Test
    void readsVersion1Float32() {
        byte[] bytes = npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }",
                floats(1, 2, 3, 4, 5, -6.5f));
        FloatTensor t = NpyReader.parse(bytes);
        assertArrayEquals(new long[] {2, 3}, t.shape());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, -6.5f}, t.data());
    }

    @Test
    void readsVersions2And3ScalarsAndOneDimensionalShapes() {
        FloatTensor v2 = NpyReader.parse(npy(2, "{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }",
                floats(1, 2, 3, 4)));
        assertArrayEquals(new long[] {4}, v2.shape());
        FloatTensor v3 = NpyReader.parse(npy(3, "{'descr': '<f4', 'fortran_order': False, 'shape': (), }",
                floats(0.25f)));
        assertArrayEquals(new long[0], v3.shape());
        assertArrayEquals(new float[] {0.25f}, v3.data());
        FloatTensor empty = NpyReader.parse(npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (0, 3), }",
                new byte[0]));
        assertArrayEquals(new long[] {0, 3}, empty.shape());
    }

    @Test
    void keyOrderDoesNotMatter() {
        FloatTensor t = NpyReader.parse(npy(1, "{'shape': (1, 1), 'fortran_order': False, 'descr': '<f4'}",
                floats(9)));
        assertArrayEquals(new float[] {9}, t.data());
    }

    @Test
    void rejectsOtherDtypesOrdersAndBrokenFiles() {
        assertMessage("'<f8' is not supported", npy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }",
                new byte[8]));
        assertMessage("'>f4' is not supported", npy(1, "{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }",
                new byte[4]));
        assertMessage("Fortran order", npy(1, "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }",
                floats(1, 2, 3, 4)));
        assertMessage("needs 16", npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }",
                floats(1, 2, 3)));
        assertMessage("bad magic", "not numpy at all".getBytes(StandardCharsets.US_ASCII));
        byte[] v9 = npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", floats(1));
        v9[6] = 9;
        assertMessage("unsupported npy format version 9", v9);
        assertMessage("no valid 'shape'", npy(1, "{'descr': '<f4', 'fortran_order': False}", new byte[0]));
    }

    @Test
    void fileErrorsNameTheFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("bad.npy");
        Files.write(file, npy(1, "{'descr': '<i8', 'fortran_order': False, 'shape': (1,), }", new byte[8]));
        IOException e = assertThrows(IOException.class, () -> NpyReader.read(file));
        assertTrue(e.getMessage().contains("bad.npy") && e.getMessage().contains("'<i8'"), e.getMessage());
    }

    private static void assertMessage(String expected, byte[] bytes) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NpyReader.parse(bytes));
        assertTrue(e.getMessage().contains(expected), "message '" + e.getMessage() + "' lacks '" + expected + "'");
    }
}
