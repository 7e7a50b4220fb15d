package org.pv3dfarm.worker;

import java.util.List;
import java.util.Objects;

/**
 * Tiles the views of one frame into one image: {@code columns = ⌈√views⌉}, {@code rows = ⌈views / columns⌉},
 * view v at column {@code v mod columns}, row {@code v / columns} (row-major in view order); cells without a view
 * stay black. Every view has the same size, so the grid is {@code columns·w × rows·h}.
 *
 * @param views   tiles per image, at least 1
 * @param columns tiles per row
 * @param rows    rows of tiles
 * @param tileWidth  pixels
 * @param tileHeight pixels
 */
public record GridLayout(int views, int columns, int rows, int tileWidth, int tileHeight) {

    public GridLayout {
        if (views < 1 || tileWidth < 1 || tileHeight < 1 || columns < 1 || rows < 1 || columns * rows < views) {
            throw new IllegalArgumentException("a grid of " + columns + "x" + rows + " cannot hold " + views
                    + " tiles of " + tileWidth + "x" + tileHeight);
        }
    }

    /** The near-square layout for {@code views} tiles of the given size. */
    public static GridLayout of(int views, int tileWidth, int tileHeight) {
        if (views < 1) {
            throw new IllegalArgumentException("views must be at least 1, was " + views);
        }
        int columns = (int) Math.ceil(Math.sqrt(views));
        int rows = (views + columns - 1) / columns;
        return new GridLayout(views, columns, rows, tileWidth, tileHeight);
    }

    public int width() {
        return columns * tileWidth;
    }

    public int height() {
        return rows * tileHeight;
    }

    /** The grid image of one frame's tiles, in view order. */
    public RgbImage tile(List<RgbImage> tiles) {
        Objects.requireNonNull(tiles, "tiles");
        if (tiles.size() != views) {
            throw new IllegalArgumentException("expected " + views + " tiles, got " + tiles.size());
        }
        int width = width();
        byte[] rgb = new byte[width * height() * 3];
        int rowBytes = tileWidth * 3;
        for (int v = 0; v < views; v++) {
            RgbImage tile = tiles.get(v);
            if (tile.width() != tileWidth || tile.height() != tileHeight) {
                throw new IllegalArgumentException("tile " + v + " is " + tile.width() + "x" + tile.height()
                        + ", expected " + tileWidth + "x" + tileHeight);
            }
            int x0 = (v % columns) * tileWidth;
            int y0 = (v / columns) * tileHeight;
            for (int y = 0; y < tileHeight; y++) {
                System.arraycopy(tile.rgb(), y * rowBytes, rgb, ((y0 + y) * width + x0) * 3, rowBytes);
            }
        }
        return new RgbImage(width, height(), rgb);
    }

    /**
     * The image shrunk by an integer factor, each output pixel the mean of a {@code factor × factor} block (the
     * last partial rows and columns dropped); the image itself when {@code factor} is 1.
     */
    public static RgbImage shrink(RgbImage image, int factor) {
        if (factor < 1) {
            throw new IllegalArgumentException("factor must be at least 1, was " + factor);
        }
        if (factor == 1) {
            return image;
        }
        int width = image.width() / factor;
        int height = image.height() / factor;
        byte[] out = new byte[width * height * 3];
        byte[] in = image.rgb();
        int area = factor * factor;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                for (int c = 0; c < 3; c++) {
                    int sum = 0;
                    for (int dy = 0; dy < factor; dy++) {
                        int row = ((y * factor + dy) * image.width() + x * factor) * 3 + c;
                        for (int dx = 0; dx < factor; dx++) {
                            sum += in[row + dx * 3] & 0xFF;
                        }
                    }
                    out[(y * width + x) * 3 + c] = (byte) ((sum + area / 2) / area);
                }
            }
        }
        return new RgbImage(width, height, out);
    }
}
