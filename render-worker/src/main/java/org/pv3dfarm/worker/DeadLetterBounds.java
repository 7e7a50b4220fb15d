package org.pv3dfarm.worker;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Keeps what a dead letter copies from a record within the dead-letter topic's record limit (Kafka's default is
 * 1 MB). A dead letter carries the original value in base64 (4/3 of its size) plus the key and headers, so a request
 * record near the limit would make a dead letter the broker refuses, and the loop would retry it forever, holding
 * up its partition.
 *
 * <p>Bounds: the value's first {@value #MAX_VALUE_BYTES} bytes, the key's first {@value #MAX_TEXT_BYTES} bytes, at
 * most {@value #MAX_HEADERS} headers of at most {@value #MAX_TEXT_BYTES} bytes each. Worst case about 0.45 MB of
 * dead letter. When something is cut, {@link Bounded#note()} says what, for the reason; the original record stays
 * on its topic (at the dead letter's topic, partition and offset) until its retention ends.
 */
final class DeadLetterBounds {

    static final int MAX_VALUE_BYTES = 256 * 1024;
    static final int MAX_TEXT_BYTES = 1024;
    static final int MAX_HEADERS = 32;

    /** The record to dead-letter, and what was cut from it ("" when nothing). */
    record Bounded(ConsumerRecord<String, byte[]> record, String note) {
    }

    private DeadLetterBounds() {
    }

    static Bounded of(ConsumerRecord<String, byte[]> record) {
        StringBuilder note = new StringBuilder();
        byte[] value = record.value();
        if (value != null && value.length > MAX_VALUE_BYTES) {
            note.append("value cut to its first ").append(MAX_VALUE_BYTES).append(" of ").append(value.length)
                    .append(" bytes; ");
            value = Arrays.copyOf(value, MAX_VALUE_BYTES);
        }
        String key = record.key();
        if (key != null && key.getBytes(StandardCharsets.UTF_8).length > MAX_TEXT_BYTES) {
            note.append("key cut; ");
            key = cut(key);
        }
        Headers headers = new RecordHeaders();
        int count = 0;
        boolean cutHeaders = false;
        for (Header header : record.headers()) {
            if (++count > MAX_HEADERS) {
                cutHeaders = true;
                break;
            }
            byte[] headerValue = header.value();
            if (headerValue != null && headerValue.length > MAX_TEXT_BYTES) {
                headerValue = Arrays.copyOf(headerValue, MAX_TEXT_BYTES);
                cutHeaders = true;
            }
            headers.add(cut(header.key()), headerValue);
        }
        if (cutHeaders) {
            note.append("headers cut to ").append(MAX_HEADERS).append(" of ").append(MAX_TEXT_BYTES)
                    .append(" bytes at most; ");
        }
        if (note.isEmpty()) {
            return new Bounded(record, "");
        }
        ConsumerRecord<String, byte[]> bounded = new ConsumerRecord<>(record.topic(), record.partition(),
                record.offset(), record.timestamp(), record.timestampType(), record.serializedKeySize(),
                record.serializedValueSize(), key, value, headers, Optional.empty());
        return new Bounded(bounded, " (dead letter " + note.substring(0, note.length() - 2)
                + "; the original stays on its topic)");
    }

    private static String cut(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return bytes.length <= MAX_TEXT_BYTES ? text
                : new String(bytes, 0, MAX_TEXT_BYTES, StandardCharsets.UTF_8);
    }
}
