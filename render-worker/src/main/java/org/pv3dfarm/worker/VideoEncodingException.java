package org.pv3dfarm.worker;

/** FFmpeg could not encode the video, or produced something other than the H.264 MP4 that was asked for. */
public class VideoEncodingException extends Exception {

    public VideoEncodingException(String message) {
        super(message);
    }

    public VideoEncodingException(String message, Throwable cause) {
        super(message, cause);
    }
}
