package org.pv3dfarm.worker.media;

/**
 * The input formats the inversion jobs accept, as recognised from a file's first bytes ({@link MediaSniffer}), with
 * the FFmpeg demuxer that reads each: FFmpeg is told the format instead of probing for one, so a file is only ever
 * parsed as what its magic bytes say it is.
 */
public enum MediaType {
    PNG("image/png", "png_pipe", false),
    JPEG("image/jpeg", "jpeg_pipe", false),
    WEBP("image/webp", "webp_pipe", false),
    /** ISO base media file (ftyp box) of an MP4 brand. */
    MP4("video/mp4", "mov", true),
    /** QuickTime ({@code qt  } brand, or a classic file starting with a moov/mdat/wide/free atom). */
    MOV("video/quicktime", "mov", true),
    /** WebM, or Matroska in general (EBML header). */
    WEBM("video/webm", "matroska", true);

    private final String mimeType;
    private final String demuxer;
    private final boolean video;

    MediaType(String mimeType, String demuxer, boolean video) {
        this.mimeType = mimeType;
        this.demuxer = demuxer;
        this.video = video;
    }

    public String mimeType() {
        return mimeType;
    }

    /** The FFmpeg input format name that reads this type. */
    public String demuxer() {
        return demuxer;
    }

    public boolean isVideo() {
        return video;
    }
}
