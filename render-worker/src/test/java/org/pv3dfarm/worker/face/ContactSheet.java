package org.pv3dfarm.worker.face;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.pv3dfarm.worker.RgbImage;

/**
 * A grid of images with their detections drawn on, for a person to judge: the box in green, the detected eyes,
 * nose and mouth as filled dots (eyes red and blue for right and left, nose yellow, mouth magenta), the true
 * points, where known, as white rings. Images are enlarged by an integer factor; the first {@code columns × rows}
 * added are kept.
 */
final class ContactSheet {

    private static final Color[] KEYPOINT_COLOURS = {Color.RED, Color.BLUE, Color.YELLOW, Color.MAGENTA};

    private final int columns;
    private final int rows;
    private final int zoom;
    private BufferedImage sheet;
    private int added;

    ContactSheet(int columns, int rows, int zoom) {
        this.columns = columns;
        this.rows = rows;
        this.zoom = zoom;
    }

    void add(RgbImage image, List<Detection> faces, List<ImagePoint> truth) {
        if (added >= columns * rows) {
            return;
        }
        int w = image.width() * zoom;
        int h = image.height() * zoom;
        if (sheet == null) {
            sheet = new BufferedImage(columns * w, rows * h, BufferedImage.TYPE_INT_RGB);
        }
        int x0 = added % columns * w;
        int y0 = added / columns * h;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int sx = Math.min(x / zoom, image.width() - 1);
                int sy = Math.min(y / zoom, image.height() - 1);
                sheet.setRGB(x0 + x, y0 + y, image.sample(sx, sy, 0) << 16 | image.sample(sx, sy, 1) << 8
                        | image.sample(sx, sy, 2));
            }
        }
        Graphics2D g = sheet.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setClip(x0, y0, w, h);
        g.setStroke(new BasicStroke(1.5f));
        for (Detection face : faces) {
            FaceBox b = face.box();
            g.setColor(Color.GREEN);
            g.drawRect(x0 + (int) (b.left() * zoom), y0 + (int) (b.top() * zoom), (int) (b.width() * zoom),
                    (int) (b.height() * zoom));
            for (int k = 0; k < KEYPOINT_COLOURS.length; k++) {
                ImagePoint p = face.keypoints().get(k);
                g.setColor(KEYPOINT_COLOURS[k]);
                g.fillOval(x0 + (int) (p.x() * zoom) - 3, y0 + (int) (p.y() * zoom) - 3, 7, 7);
            }
        }
        g.setColor(Color.WHITE);
        for (ImagePoint p : truth) {
            g.drawOval(x0 + (int) (p.x() * zoom) - 5, y0 + (int) (p.y() * zoom) - 5, 11, 11);
        }
        g.dispose();
        added++;
    }

    void write(Path file) {
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            ImageIO.write(sheet, "png", file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
