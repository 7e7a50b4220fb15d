package org.pv3dfarm.worker.face;

/**
 * An axis-aligned box in image pixels (the {@link ImagePoint} convention), {@code left ≤ right}, {@code top ≤
 * bottom}.
 */
public record FaceBox(double left, double top, double right, double bottom) {

    public FaceBox {
        if (!(Double.isFinite(left) && Double.isFinite(top) && Double.isFinite(right) && Double.isFinite(bottom))) {
            throw new IllegalArgumentException("box coordinates must be finite");
        }
        if (right < left || bottom < top) {
            throw new IllegalArgumentException("box must have left <= right and top <= bottom, was [" + left + ", "
                    + top + ", " + right + ", " + bottom + "]");
        }
    }

    /** The box of centre (cx, cy) and size w × h (w, h ≥ 0). */
    public static FaceBox ofCenter(double cx, double cy, double w, double h) {
        return new FaceBox(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2);
    }

    public double width() {
        return right - left;
    }

    public double height() {
        return bottom - top;
    }

    public double area() {
        return width() * height();
    }

    public ImagePoint center() {
        return new ImagePoint((left + right) / 2, (top + bottom) / 2);
    }

    /** Whether {@code p} lies inside the box or on its border. */
    public boolean contains(ImagePoint p) {
        return p.x() >= left && p.x() <= right && p.y() >= top && p.y() <= bottom;
    }

    /** Intersection over union: |A ∩ B| / |A ∪ B|, 0 when the union is empty. */
    public double iou(FaceBox other) {
        double w = Math.min(right, other.right) - Math.max(left, other.left);
        double h = Math.min(bottom, other.bottom) - Math.max(top, other.top);
        double inter = w > 0 && h > 0 ? w * h : 0;
        double union = area() + other.area() - inter;
        return union > 0 ? inter / union : 0;
    }
}
