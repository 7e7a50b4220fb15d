package org.pv3dfarm.protocol.client;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;
import org.pv3dfarm.protocol.DeadLetter;
import org.pv3dfarm.protocol.HeaderNames;
import org.pv3dfarm.protocol.JobCodec;
import org.pv3dfarm.protocol.Topics;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class DeadLettersTest {

    private static ConsumerRecord<String, byte[]> record(String key, byte[] value) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(HeaderNames.TENANT, "acme".getBytes(StandardCharsets.UTF_8));
        headers.add(HeaderNames.TRACE_ID, "t-7".getBytes(StandardCharsets.UTF_8));
        headers.add("x-binary", new byte[]{1, 2});
        return new ConsumerRecord<>(Topics.GENERATE, 2, 41L, 0L, TimestampType.CREATE_TIME, 0, 0, key, value,
                headers, Optional.empty());
    }

    @Test
    void keepsTheOriginalBytesAndWhereTheyCameFrom() {
        UUID job = UUID.randomUUID();
        byte[] garbage = {'{', (byte) 0xc3, 0, (byte) 0xff};
        DeadLetter letter = DeadLetters.of(record(job.toString(), garbage), "malformed JSON",
                new IllegalStateException("x"), "render-workers", Instant.EPOCH);
        assertArrayEquals(garbage, letter.payload());
        assertEquals(Topics.GENERATE, letter.topic());
        assertEquals(2, letter.partition());
        assertEquals(41L, letter.offset());
        assertEquals(job, letter.jobId());
        assertEquals("acme", letter.headers().get(HeaderNames.TENANT));
        assertEquals(IllegalStateException.class.getName(), letter.exceptionClass());

        ProducerRecord<String, byte[]> out = JobRecords.deadLetter(letter);
        assertEquals(Topics.DEAD_LETTER, out.topic());
        assertEquals(job.toString(), out.key());
        assertEquals("dead_letter", JobRecords.header(out.headers(), HeaderNames.MESSAGE_TYPE));
        assertEquals("acme", JobRecords.header(out.headers(), HeaderNames.TENANT));
        assertEquals("t-7", JobRecords.header(out.headers(), HeaderNames.TRACE_ID));
        assertArrayEquals(garbage, JobCodec.instance().decodeDeadLetter(out.value()).payload());
    }

    @Test
    void copesWithNoKeyNoValueAndKeysThatAreNotJobIds() {
        DeadLetter letter = DeadLetters.of(record(null, null), "empty", null, null, Instant.EPOCH);
        assertEquals(0, letter.payload().length);
        assertNull(letter.jobId());
        assertNull(letter.exceptionClass());
        assertNull(DeadLetters.of(record("../x", new byte[0]), "bad key", null, null, Instant.EPOCH).jobId());
    }
}
