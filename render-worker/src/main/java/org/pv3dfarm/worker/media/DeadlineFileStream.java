package org.pv3dfarm.worker.media;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A file as a seekable {@link InputStream} (mark/reset/skip move the channel's position, any distance) that reads as
 * ended once a deadline has passed. FFmpeg reads the input through it (JavaCV's stream callbacks), so a demuxer
 * looping over a hostile file is stopped at its next read instead of holding a worker thread; the caller tells a
 * real end from a timeout by {@link #expired()}. (End of file rather than an exception: JavaCV prints every
 * exception of a read callback to stderr.)
 */
final class DeadlineFileStream extends InputStream {

    private final FileChannel channel;
    private final long deadlineNanos;
    private long mark;

    DeadlineFileStream(Path file, long deadlineNanos) throws IOException {
        this.channel = FileChannel.open(file, StandardOpenOption.READ);
        this.deadlineNanos = deadlineNanos;
    }

    /** Whether the deadline has passed. */
    boolean expired() {
        return System.nanoTime() - deadlineNanos > 0;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (expired()) {
            return -1;
        }
        if (len == 0) {
            return 0;
        }
        return channel.read(ByteBuffer.wrap(b, off, len));
    }

    @Override
    public long skip(long n) throws IOException {
        long position = channel.position();
        long step = Math.max(0, Math.min(n, channel.size() - position));
        channel.position(position + step);
        return step;
    }

    @Override
    public boolean markSupported() {
        return true;
    }

    @Override
    public synchronized void mark(int readLimit) {
        try {
            mark = channel.position();
        } catch (IOException e) {
            mark = 0;
        }
    }

    @Override
    public synchronized void reset() throws IOException {
        channel.position(mark);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
