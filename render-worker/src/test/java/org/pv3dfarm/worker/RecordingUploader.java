package org.pv3dfarm.worker;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** An {@link InMemoryObjectUploader} that also remembers the order of successful uploads. */
final class RecordingUploader implements ObjectUploader {

    private final InMemoryObjectUploader store;
    private final List<String> order = new CopyOnWriteArrayList<>();

    RecordingUploader(InMemoryObjectUploader store) {
        this.store = store;
    }

    InMemoryObjectUploader store() {
        return store;
    }

    /** Keys in the order they were uploaded, repeats included. */
    List<String> order() {
        return List.copyOf(order);
    }

    byte[] bytes(String key) {
        return store.get(key).orElseThrow(() -> new AssertionError("no object " + key)).bytes();
    }

    @Override
    public String bucket() {
        return store.bucket();
    }

    @Override
    public StoredObject upload(String key, Path file, String contentType) throws UploadException {
        StoredObject stored = store.upload(key, file, contentType);
        order.add(key);
        return stored;
    }

    @Override
    public StoredObject upload(String key, byte[] bytes, String contentType) throws UploadException {
        StoredObject stored = store.upload(key, bytes, contentType);
        order.add(key);
        return stored;
    }
}
