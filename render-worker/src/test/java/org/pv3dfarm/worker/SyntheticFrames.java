package org.pv3dfarm.worker;

/** Test pictures as the model gives them: float CHW in [-1, 1]. */
final class SyntheticFrames {

    private SyntheticFrames() {
    }

    /**
     * A horizontal gradient whose phase moves with {@code t}, plus a pure red square in the top-left quarter, so
     * that frames differ over time and a channel swap shows.
     */
    static float[] movingPattern(int width, int height, int t) {
        int plane = width * height;
        float[] chw = new float[3 * plane];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int i = y * width + x;
                boolean red = x < width / 4 && y < height / 4;
                float wave = (float) Math.sin((x + 4.0 * t) * 2 * Math.PI / width);
                chw[i] = red ? 1f : wave;
                chw[plane + i] = red ? -1f : (float) y / height * 2 - 1;
                chw[2 * plane + i] = red ? -1f : -wave;
            }
        }
        return chw;
    }
}
