package org.pv3dfarm.worker;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import javax.imageio.ImageIO;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.Java2DFrameConverter;
import org.pv3dfarm.model.FloatTensor;
import org.pv3dfarm.protocol.FacePolicy;
import org.pv3dfarm.worker.face.Detection;
import org.pv3dfarm.worker.face.FaceAlignment;
import org.pv3dfarm.worker.face.FaceCameraFit;
import org.pv3dfarm.worker.face.FaceDetector;

/**
 * The farm's own face preparation on the existing face classes: BlazeFace detection, {@link FaceAlignment} crop,
 * {@link FaceCameraFit} camera. Images through {@code ImageIO} (PNG, JPEG), videos through FFmpeg (JavaCV), frames
 * sampled evenly, each detected on its own (no temporal smoothing). A stand-in until the media package's
 * decoders with limits and video tracking are wired in; both sides meet at {@link PortraitPreparer} and
 * {@link VideoPreparer}. Thread-safe when the detector is.
 */
public final class DetectingFacePreparer implements PortraitPreparer, VideoPreparer {

    /** Longest side of a decoded image or video frame. */
    public static final int MAX_SIDE = 4096;

    private final FaceDetector detector;
    private final FaceCameraFit cameraFit = FaceCameraFit.pv3d();
    private final int resolution;

    /** @param resolution the model's output resolution O */
    public DetectingFacePreparer(FaceDetector detector, int resolution) {
        this.detector = Objects.requireNonNull(detector, "detector");
        if (resolution < 1) {
            throw new IllegalArgumentException("resolution must be at least 1, was " + resolution);
        }
        this.resolution = resolution;
    }

    @Override
    public PreparedFace prepare(Path image, FacePolicy faces, String field) throws InvalidJobException {
        BufferedImage decoded;
        try {
            decoded = ImageIO.read(image.toFile());
        } catch (IOException | RuntimeException e) {
            throw new InvalidJobException(field, "is not a readable image: " + e.getMessage(), e);
        }
        if (decoded == null) {
            throw new InvalidJobException(field, "is not an image this worker decodes (PNG or JPEG)");
        }
        return face(rgb(decoded, field), faces, field, null);
    }

    @Override
    public List<PreparedFace> prepare(Path video, int maxFrames, FacePolicy faces, String field)
            throws InvalidJobException {
        List<RgbImage> frames = new ArrayList<>();
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(video.toFile());
                Java2DFrameConverter converter = new Java2DFrameConverter()) {
            grabber.start();
            int length = Math.max(1, grabber.getLengthInVideoFrames());
            int wanted = Math.min(maxFrames, length);
            List<RgbImage> all = new ArrayList<>();
            Frame frame;
            while ((frame = grabber.grabImage()) != null && all.size() < Math.max(length, wanted) + 1) {
                BufferedImage image = converter.convert(frame);
                if (image != null) {
                    all.add(rgb(image, field));
                }
            }
            if (all.isEmpty()) {
                throw new InvalidJobException(field, "holds no decodable video frame");
            }
            int count = Math.min(maxFrames, all.size());
            for (int i = 0; i < count; i++) {
                frames.add(all.get(count == 1 ? 0 : (int) Math.round((double) i * (all.size() - 1) / (count - 1))));
            }
        } catch (FFmpegFrameGrabber.Exception e) {
            throw new InvalidJobException(field, "is not a readable video: " + e.getMessage(), e);
        } catch (InvalidJobException e) {
            throw e;
        } catch (Exception e) {
            throw new InvalidJobException(field, "cannot be decoded as a video: " + e, e);
        }
        List<PreparedFace> prepared = new ArrayList<>(frames.size());
        for (int i = 0; i < frames.size(); i++) {
            prepared.add(face(frames.get(i), faces, field, i));
        }
        return prepared;
    }

    private PreparedFace face(RgbImage image, FacePolicy faces, String field, Integer frame)
            throws InvalidJobException {
        String where = frame == null ? "the image" : "video frame " + frame;
        List<Detection> found = detector.detect(image);
        if (found.isEmpty()) {
            throw new InvalidJobException(field, "no face found in " + where);
        }
        if (found.size() > 1 && faces == FacePolicy.SINGLE) {
            throw new InvalidJobException(field, found.size() + " faces found in " + where
                    + "; send one face, or ask for \"faces\": \"largest\"");
        }
        Detection face = found.stream().max(Comparator.comparingDouble(d -> d.box().area())).orElseThrow();
        RgbImage crop = FaceAlignment.crop(image, face, resolution);
        float[] camera = cameraFit.estimate(face).camera();
        return new PreparedFace(signedUnitChw(crop), FloatTensor.filled(1f, 1, 1, resolution, resolution), camera);
    }

    /** RGB bytes → [1, 3, H, W] in [-1, 1]. */
    static FloatTensor signedUnitChw(RgbImage image) {
        int plane = image.width() * image.height();
        float[] data = new float[3 * plane];
        byte[] rgb = image.rgb();
        for (int i = 0; i < plane; i++) {
            for (int c = 0; c < 3; c++) {
                data[c * plane + i] = (rgb[i * 3 + c] & 0xff) / 127.5f - 1f;
            }
        }
        return FloatTensor.of(data, 1, 3, image.height(), image.width());
    }

    private static RgbImage rgb(BufferedImage image, String field) throws InvalidJobException {
        if (image.getWidth() > MAX_SIDE || image.getHeight() > MAX_SIDE) {
            throw new InvalidJobException(field, "is " + image.getWidth() + "x" + image.getHeight()
                    + " pixels; at most " + MAX_SIDE + " per side");
        }
        byte[] rgb = new byte[image.getWidth() * image.getHeight() * 3];
        int i = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int p = image.getRGB(x, y);
                rgb[i++] = (byte) (p >> 16);
                rgb[i++] = (byte) (p >> 8);
                rgb[i++] = (byte) p;
            }
        }
        return new RgbImage(image.getWidth(), image.getHeight(), rgb);
    }
}
