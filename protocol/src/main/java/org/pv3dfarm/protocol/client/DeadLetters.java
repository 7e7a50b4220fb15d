package org.pv3dfarm.protocol.client;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.pv3dfarm.protocol.DeadLetter;
import org.pv3dfarm.protocol.SchemaVersion;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** Makes {@link DeadLetter}s from consumed records, keeping the original bytes exactly. */
public final class DeadLetters {

    private DeadLetters() {
    }

    /**
     * The dead letter for a record that could not be processed.
     *
     * @param reason   what was wrong, for people (name the field when validation failed)
     * @param error    the exception behind it, or {@code null}
     * @param consumer who gives up on it (consumer group or worker id), or {@code null}
     */
    public static DeadLetter of(ConsumerRecord<String, byte[]> record, String reason, Throwable error,
                                String consumer, Instant time) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header header : record.headers()) {
            headers.put(header.key(), header.value() == null ? ""
                    : new String(header.value(), StandardCharsets.UTF_8));
        }
        byte[] value = record.value() == null ? new byte[0] : record.value();
        return new DeadLetter(SchemaVersion.CURRENT, record.topic(), record.partition(), record.offset(),
                record.key(), headers, Base64.getEncoder().encodeToString(value), reason,
                error == null ? null : error.getClass().getName(), consumer, jobIdOf(record.key()), time);
    }

    private static UUID jobIdOf(String key) {
        if (key == null) {
            return null;
        }
        try {
            return UUID.fromString(key);
        } catch (IllegalArgumentException notAJobId) {
            return null;
        }
    }
}
