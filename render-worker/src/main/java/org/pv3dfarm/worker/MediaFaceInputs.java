package org.pv3dfarm.worker;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.pv3dfarm.protocol.FacePolicy;
import org.pv3dfarm.worker.face.FacePreparationException;
import org.pv3dfarm.worker.face.FaceSelection;
import org.pv3dfarm.worker.face.PortraitPreparer;
import org.pv3dfarm.worker.face.PreparedPortrait;
import org.pv3dfarm.worker.media.MediaDecoder;
import org.pv3dfarm.worker.media.MediaException;
import org.pv3dfarm.worker.media.MediaLimits;

/**
 * {@link FaceInputs} on the media package ({@link MediaDecoder}: type from the magic bytes, size, resolution,
 * duration and time limits) and the face package ({@link PortraitPreparer}: detect, select, camera, aligned crop;
 * a video's crops and cameras smoothed over time). A video is decoded with at most the requested frames kept
 * (evenly subsampled). Decoding and preparation failures become {@link InvalidJobException}s that name the field
 * and say why ({@code corrupt: ...}, {@code no_face: ...}).
 */
public final class MediaFaceInputs implements FaceInputs {

    private final MediaLimits limits;
    private final PortraitPreparer preparer;

    public MediaFaceInputs(MediaLimits limits, PortraitPreparer preparer) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.preparer = Objects.requireNonNull(preparer, "preparer");
    }

    @Override
    public PreparedFace portrait(Path image, FacePolicy faces, String field) throws InvalidJobException {
        try {
            return face(preparer.prepare(new MediaDecoder(limits).decodeImage(image), selection(faces)));
        } catch (MediaException e) {
            throw invalid(field, e.reason().name(), e);
        } catch (FacePreparationException e) {
            throw invalid(field, e.reason().name(), e);
        }
    }

    @Override
    public List<PreparedFace> video(Path video, int maxFrames, FacePolicy faces, String field)
            throws InvalidJobException {
        MediaLimits capped = limits.toBuilder().maxFrames(Math.max(1, Math.min(maxFrames, limits.maxFrames())))
                .build();
        try {
            List<PreparedFace> out = new ArrayList<>();
            for (PreparedPortrait frame : preparer.prepareVideo(new MediaDecoder(capped).decodeVideo(video).frames(),
                    selection(faces)).frames()) {
                out.add(face(frame));
            }
            return out;
        } catch (MediaException e) {
            throw invalid(field, e.reason().name(), e);
        } catch (FacePreparationException e) {
            throw invalid(field, e.reason().name(), e);
        }
    }

    private static PreparedFace face(PreparedPortrait portrait) {
        return new PreparedFace(portrait.target(), portrait.mask(), portrait.cameraVector(), portrait.image());
    }

    private static FaceSelection selection(FacePolicy faces) {
        return faces == FacePolicy.LARGEST ? FaceSelection.LARGEST : FaceSelection.SINGLE;
    }

    private static InvalidJobException invalid(String field, String reason, Exception e) {
        return new InvalidJobException(field, reason.toLowerCase(Locale.ROOT) + ": " + e.getMessage(), e);
    }
}
