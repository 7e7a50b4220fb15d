package org.pv3dfarm.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Consumer;

/** Test double of {@link ObjectStore}: objects in memory, ETag = content hash, times from a settable clock. */
final class MemoryObjectStore implements ObjectStore {

    private record Stored(byte[] bytes, String contentType, Instant modified) {
    }

    private final ConcurrentSkipListMap<String, Stored> objects = new ConcurrentSkipListMap<>();
    private final Clock clock;

    MemoryObjectStore(Clock clock) {
        this.clock = clock;
    }

    void putBytes(String key, byte[] bytes, String contentType) {
        objects.put(key, new Stored(bytes.clone(), contentType, clock.instant()));
    }

    List<String> keys() {
        return List.copyOf(objects.keySet());
    }

    @Override
    public Optional<ObjectInfo> head(String key) {
        Stored s = objects.get(key);
        return s == null ? Optional.empty() : Optional.of(info(key, s));
    }

    @Override
    public Optional<byte[]> firstBytes(String key, int length) {
        Stored s = objects.get(key);
        return s == null ? Optional.empty() : Optional.of(Arrays.copyOf(s.bytes(), Math.min(length, s.bytes().length)));
    }

    @Override
    public void put(String key, InputStream content, long size, String contentType) {
        try {
            putBytes(key, content.readNBytes((int) size), contentType);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void delete(String key) {
        objects.remove(key);
    }

    @Override
    public void list(String prefix, Consumer<ObjectInfo> each) {
        objects.tailMap(prefix).forEach((key, s) -> {
            if (key.startsWith(prefix)) {
                each.accept(info(key, s));
            }
        });
    }

    private static ObjectInfo info(String key, Stored s) {
        return new ObjectInfo(key, s.bytes().length, s.contentType(),
                HexFormat.of().formatHex(Integer.toString(Arrays.hashCode(s.bytes())).getBytes()), s.modified());
    }
}
