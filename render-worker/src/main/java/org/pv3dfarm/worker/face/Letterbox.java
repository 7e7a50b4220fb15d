package org.pv3dfarm.worker.face;

/**
 * Where a {@code sourceWidth × sourceHeight} image lands when it is scaled, aspect kept, to fit a square of
 * {@code size} pixels and centred in it (the rest is padding): {@code scale = size / max(w, h)}, the image covers
 * {@code [offsetX, offsetX + w·scale) × [offsetY, offsetY + h·scale)} of the square. Continuous pixel coordinates
 * ({@link ImagePoint} convention) map as {@code square = offset + source · scale}.
 */
public record Letterbox(int sourceWidth, int sourceHeight, int size) {

    public Letterbox {
        if (sourceWidth < 1 || sourceHeight < 1 || size < 1) {
            throw new IllegalArgumentException("sizes must be at least 1, were " + sourceWidth + "x" + sourceHeight
                    + " into " + size);
        }
    }

    public double scale() {
        return (double) size / Math.max(sourceWidth, sourceHeight);
    }

    public double offsetX() {
        return (size - sourceWidth * scale()) / 2;
    }

    public double offsetY() {
        return (size - sourceHeight * scale()) / 2;
    }

    /** A point given in normalised square coordinates ([0, 1] across the square) in source pixels. */
    public ImagePoint toSource(double normalizedX, double normalizedY) {
        return new ImagePoint((normalizedX * size - offsetX()) / scale(), (normalizedY * size - offsetY()) / scale());
    }

    /** A length given as a fraction of the square's side in source pixels. */
    public double toSourceLength(double normalized) {
        return normalized * size / scale();
    }
}
