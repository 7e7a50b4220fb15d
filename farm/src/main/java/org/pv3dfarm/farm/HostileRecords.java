package org.pv3dfarm.farm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.pv3dfarm.protocol.GenerateRequest;
import org.pv3dfarm.protocol.HeaderNames;
import org.pv3dfarm.protocol.JobCodec;
import org.pv3dfarm.protocol.Topics;

/**
 * Hostile records written straight to the generate request topics (normal, high priority and retry), bypassing the
 * API and its validation, as a broken or malicious producer could: every truncation of a valid request, garbage and
 * non-UTF-8 bytes, tombstones, wrong JSON types for every field, NaN and infinite codes, huge counts and strings,
 * deep nesting, records near the broker's 1 MB limit, wrong schema versions and kinds, key and header abuse.
 *
 * <p>Most can only be dead-lettered; a few are valid requests under hostile headers or keys-as-ids (e.g. an
 * unreadable attempt number, a retry due in the year 292 million) that a worker should simply run. The corpus is
 * the same for the same seed.
 */
final class HostileRecords {

    /** One hostile record and what it abuses. */
    record Hostile(String category, ProducerRecord<String, byte[]> record) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] TOPICS = {Topics.GENERATE, Topics.GENERATE + Topics.HIGH_SUFFIX,
        Topics.GENERATE + Topics.RETRY_SUFFIX};

    private final Random random;
    private final List<Hostile> corpus = new ArrayList<>();
    private int next;

    private HostileRecords(long seed) {
        this.random = new Random(seed);
    }

    /** The corpus (several hundred records, about 300 of them truncations). */
    static List<Hostile> corpus(long seed) {
        return corpus(seed, 300);
    }

    /** The corpus with at most about {@code truncations} truncations of the valid request (a smaller run for CI). */
    static List<Hostile> corpus(long seed, int truncations) {
        HostileRecords r = new HostileRecords(seed);
        r.truncations(truncations);
        r.garbage();
        r.wrongTypes();
        r.nonFiniteAndHuge();
        r.schemaVersionsAndKinds();
        r.keysAndHeaders();
        return List.copyOf(r.corpus);
    }

    /** A valid small request with a new job id, as a mutable JSON object. */
    private ObjectNode valid() {
        GenerateRequest request = GenerateRequest.builder().jobId(UUID.randomUUID()).seed((long) random.nextInt(1_000_000))
                .frames(2).build();
        try {
            return (ObjectNode) JSON.readTree(JobCodec.instance().encode(request));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void add(String category, String key, byte[] value, Consumer<Headers> headers) {
        String topic = TOPICS[next++ % TOPICS.length];
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, null, key, value);
        headers.accept(record.headers());
        corpus.add(new Hostile(category, record));
    }

    private void add(String category, ObjectNode body) {
        add(category, body.path("job_id").asText(UUID.randomUUID().toString()), bytes(body.toString()), h -> { });
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private void truncations(int count) {
        ObjectNode body = valid();
        String text = body.toString();
        int step = Math.max(1, text.length() / Math.max(1, count));
        for (int length = 0; length < text.length(); length += step) {
            add("truncated", body.get("job_id").asText(), bytes(text.substring(0, length)), h -> { });
        }
    }

    private void garbage() {
        String valid = valid().toString();
        for (String text : List.of("", " ", "null", "true", "42", "-0.0", "\"generate\"", "[]", "[{}]", "{}",
                "{\"kind\":null}", "<job kind=\"generate\"/>", valid + " trailing", valid + valid, "\uFEFF" + valid,
                "{\"kind\":\"generate\",\"kind\":\"generate\"}", valid.replace("\"", "'"), "{\"a\":" + "1".repeat(5000)
                + "}")) {
            add("garbage", UUID.randomUUID().toString(), bytes(text), h -> { });
        }
        for (int i = 0; i < 20; i++) {
            byte[] noise = new byte[1 + random.nextInt(4096)];
            random.nextBytes(noise);
            add("garbage", UUID.randomUUID().toString(), noise, h -> { });
        }
        add("garbage", UUID.randomUUID().toString(), new byte[] {(byte) 0xff, (byte) 0xfe, 0, 0, '{', '}'}, h -> { });
        add("garbage", UUID.randomUUID().toString(), new byte[1000], h -> { });
        add("tombstone", UUID.randomUUID().toString(), null, h -> { });
        add("tombstone", null, null, h -> { });
        // 5,000-deep nesting: must be refused by the reader's limits, not overflow the worker's stack.
        add("deep_nesting", UUID.randomUUID().toString(), bytes("[".repeat(5000) + "]".repeat(5000)), h -> { });
        ObjectNode nested = valid();
        nested.putRawValue("views", new RawValue(
                "[".repeat(3000) + "]".repeat(3000)));
        add("deep_nesting", nested);
    }

    private void wrongTypes() {
        ObjectNode template = valid();
        List<String> fields = new ArrayList<>();
        template.fieldNames().forEachRemaining(fields::add);
        fields.addAll(List.of("truncation_psi", "fps", "z", "z_motion", "resolution", "outputs"));
        for (String field : fields) {
            for (Consumer<ObjectNode> wrong : List.<Consumer<ObjectNode>>of(
                    b -> b.put(field, "not a " + field), b -> b.put(field, 1.5), b -> b.put(field, -1),
                    b -> b.putArray(field).add("x"), b -> b.putObject(field).put("x", 1), b -> b.put(field, true))) {
                ObjectNode body = valid();
                String jobId = body.get("job_id").asText();
                wrong.accept(body);
                add("wrong_type", jobId, bytes(body.toString()), h -> { });
            }
        }
    }

    private void nonFiniteAndHuge() {
        for (String code : List.of("[NaN]", "[Infinity]", "[-Infinity]", "[1e400]", "[-1e400]", "[\"NaN\"]",
                "[null]", "[]", "[1,2,3]")) {
            ObjectNode body = valid();
            body.putRawValue("z", new RawValue(code));
            add("non_finite", body);
        }
        for (String psi : List.of("NaN", "1e400", "-1e400", "1e308")) {
            ObjectNode body = valid();
            body.putRawValue("truncation_psi", new RawValue(psi));
            add("non_finite", body);
        }
        for (String frames : List.of("2147483647", "2147483648", "1000000000000", "-1", "0", "1e400",
                "99999999999999999999999")) {
            ObjectNode body = valid();
            body.putRawValue("frames", new RawValue(frames));
            add("huge_count", body);
        }
        for (String field : List.of("fps", "resolution", "seed")) {
            for (String value : List.of("2147483648", "-2147483649", "1e30", "123456789012345678901234567890")) {
                ObjectNode body = valid();
                body.putRawValue(field, new RawValue(value));
                add("huge_count", body);
            }
        }
        ObjectNode manyViews = valid();
        var views = manyViews.putArray("views");
        for (int i = 0; i < 10_000; i++) {
            views.addObject().put("kind", "orbit");
        }
        add("huge_count", manyViews);
        ObjectNode longCode = valid();
        var z = longCode.putArray("z");
        for (int i = 0; i < 100_000; i++) {
            z.add(0.5);
        }
        add("huge_count", longCode);
        for (String field : List.of("model", "tenant", "idempotency_key")) {
            ObjectNode body = valid();
            body.put(field, "x".repeat(100_000));
            add("huge_string", body);
        }
        // Near the broker's 1 MB record limit: the dead letter (base64, +33 %) would not fit as it is.
        for (int size : new int[] {700_000, 900_000, 1_000_000}) {
            ObjectNode body = valid();
            body.put("model", "m".repeat(size));
            add("oversized", body);
        }
        ObjectNode padded = valid();
        padded.put("frames", -1);
        add("oversized", padded.get("job_id").asText(), bytes(" ".repeat(950_000) + padded), h -> { });
        for (String traversal : List.of("../../etc/passwd", "..\\..\\windows", "/absolute", "a/../../b",
                "%2e%2e%2f", "nul\u0000byte", "tenant\r\nX-Injected: 1")) {
            for (String field : List.of("tenant", "model", "idempotency_key")) {
                ObjectNode body = valid();
                body.put(field, traversal);
                add("path_traversal", body);
            }
        }
    }

    private void schemaVersionsAndKinds() {
        for (String version : List.of("0", "2", "99", "-1", "\"1\"", "1.5", "2147483648", "null", "[]")) {
            ObjectNode body = valid();
            body.putRawValue("schema_version", new RawValue(version));
            add("schema_version", body);
        }
        for (String kind : List.of("\"explode\"", "\"\"", "\"GENERATE\"", "\" generate\"", "\"animate\"",
                "\"reconstruct\"", "\"retarget\"", "\"edit\"", "123", "null", "{}")) {
            ObjectNode body = valid();
            body.putRawValue("kind", new RawValue(kind));
            add("unknown_kind", body);
        }
        ObjectNode noKind = valid();
        noKind.remove("kind");
        add("unknown_kind", noKind);
        ObjectNode unknownField = valid();
        unknownField.put("rm_rf", true);
        add("unknown_field", unknownField);
    }

    private void keysAndHeaders() {
        for (String key : new String[] {null, "", "not-the-job-id", UUID.randomUUID().toString(), "k".repeat(10_000),
            "\u0000\u0001", "../../etc"}) {
            add("key", key, bytes(valid().toString()), h -> { });
        }
        List<Consumer<Headers>> abuse = List.of(
                h -> h.add(HeaderNames.ATTEMPT, bytes("abc")),
                h -> h.add(HeaderNames.ATTEMPT, bytes("-5")),
                h -> h.add(HeaderNames.ATTEMPT, bytes("99999999999999999999")),
                h -> h.add(HeaderNames.ATTEMPT, bytes("1000")),
                h -> h.add(HeaderNames.ATTEMPT, null),
                h -> h.add(HeaderNames.NOT_BEFORE, bytes("NaN")),
                h -> h.add(HeaderNames.NOT_BEFORE, bytes("-1")),
                h -> h.add(HeaderNames.NOT_BEFORE, bytes(Long.toString(Long.MAX_VALUE))),
                h -> h.add(HeaderNames.CONTENT_TYPE, bytes("text/xml")),
                h -> h.add(HeaderNames.MESSAGE_TYPE, bytes(HeaderNames.DEAD_LETTER_TYPE)),
                h -> h.add(HeaderNames.TENANT, bytes("someone-else")),
                h -> h.add(HeaderNames.SCHEMA_VERSION, bytes("999")),
                h -> h.add(HeaderNames.TRACE_ID, bytes("t".repeat(65_536))),
                h -> h.add("\u0000\r\nX-Evil", bytes("1")),
                h -> {
                    for (int i = 0; i < 200; i++) {
                        h.add(HeaderNames.ATTEMPT, bytes(Integer.toString(i)));
                    }
                });
        for (Consumer<Headers> headers : abuse) {
            ObjectNode invalid = valid();
            invalid.put("frames", -1);
            add("header_abuse", invalid.get("job_id").asText(), bytes(invalid.toString()), headers);
            ObjectNode body = valid();
            add("header_abuse_valid_body", body.get("job_id").asText(), bytes(body.toString()), headers);
        }
    }
}
