package org.pv3dfarm.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JobCodecTest {

    private final JobCodec codec = JobCodec.instance();

    static Stream<JobRequest> requests() {
        return Samples.allRequests().stream();
    }

    static Stream<JobEvent> events() {
        return Samples.allEvents().stream();
    }

    @ParameterizedTest
    @MethodSource("requests")
    void requestsRoundTrip(JobRequest request) {
        JobRequest withId = request.withJobId(Samples.JOB);
        JobRequest back = codec.decodeRequest(codec.encode(withId));
        assertEquals(withId, back);
        assertEquals(request.kind(), back.kind());
    }

    @ParameterizedTest
    @MethodSource("events")
    void eventsRoundTrip(JobEvent event) {
        assertEquals(event, codec.decodeEvent(codec.encode(event)));
    }

    @Test
    void deadLetterRoundTripKeepsBytes() {
        DeadLetter letter = Samples.deadLetter();
        DeadLetter back = codec.decodeDeadLetter(codec.encode(letter));
        assertEquals(letter, back);
        assertArrayEquals(new byte[]{'{', 0, (byte) 0xff}, back.payload());
    }

    @Test
    void writesSnakeCaseKindAndNoNulls() throws Exception {
        JsonNode json = new ObjectMapper().readTree(codec.encode(Samples.fullGenerate().withJobId(Samples.JOB)));
        assertEquals("generate", json.get("kind").asText());
        assertEquals(Samples.JOB.toString(), json.get("job_id").asText());
        assertEquals("high", json.get("priority").asText());
        assertEquals(64, json.get("z_motion").size());
        assertEquals(0.8, json.get("truncation_psi").asDouble());
        assertTrue(json.get("outputs").get("png_frames").asBoolean());
        assertEquals("yaw_sweep", json.get("views").get(1).get("trajectory").asText());
        assertFalse(json.get("views").get(0).has("yaw"), "nulls are left out");
        assertFalse(json.has("seed"));
        assertFalse(json.has("zMotion"));
    }

    @Test
    void eventsCarryTypeAndIsoTime() throws Exception {
        JsonNode json = new ObjectMapper().readTree(codec.encode(Samples.allEvents().get(3)));
        assertEquals("completed", json.get("type").asText());
        assertEquals("generate", json.get("kind").asText());
        assertEquals("2026-01-02T03:04:05.123Z", json.get("time").asText());
        assertEquals("pv3d-outputs", json.get("outputs").get("bucket").asText());
        assertEquals(2, json.get("outputs").get("video_keys").size());
    }

    @Test
    void minimalGenerateTakesDefaults() {
        GenerateRequest request = (GenerateRequest) decode("{\"kind\":\"generate\"}");
        assertEquals(SchemaVersion.CURRENT, request.schemaVersion());
        assertEquals(Priority.NORMAL, request.priority());
        assertEquals(JobRequest.DEFAULT_MODEL, request.model());
        assertEquals("pv3d-demo", request.model());
        assertEquals(16, request.frames());
        assertEquals(25, request.fps());
        assertEquals(0.7, request.truncationPsi());
        assertEquals(List.of(ViewSpec.orbit()), request.views());
        assertEquals(OutputOptions.MP4_ONLY, request.outputs());
        assertNull(request.seed());
        assertNull(request.jobId());
        assertNull(request.resolution());
    }

    @Test
    void explicitNullsTakeDefaultsToo() {
        GenerateRequest request = (GenerateRequest) decode(
                "{\"kind\":\"generate\",\"frames\":null,\"views\":null,\"outputs\":null,\"priority\":null}");
        assertEquals(16, request.frames());
        assertEquals(List.of(ViewSpec.orbit()), request.views());
    }

    @Test
    void digestIgnoresJobIdDefaultsAndFieldOrder() {
        JobRequest a = decode("{\"kind\":\"generate\",\"seed\":1,\"frames\":16}");
        JobRequest b = decode("{ \"seed\" : 1 , \"kind\" : \"generate\" }").withJobId(Samples.JOB);
        JobRequest c = decode("{\"kind\":\"generate\",\"seed\":2}");
        assertEquals(codec.requestSha256(a), codec.requestSha256(b));
        assertNotEquals(codec.requestSha256(a), codec.requestSha256(c));
        assertTrue(codec.requestSha256(a).matches("[0-9a-f]{64}"));
    }

    @Test
    void keepsNullElementsForTheValidatorToName() {
        GenerateRequest request = (GenerateRequest) decode("{\"kind\":\"generate\",\"z\":[1.0,null,2.0]}");
        assertEquals(3, request.z().size());
        assertNull(request.z().get(1));
    }

    @Test
    void hugeExponentBecomesInfinityForTheValidator() {
        GenerateRequest request = (GenerateRequest) decode("{\"kind\":\"generate\",\"truncation_psi\":1e400}");
        assertTrue(Double.isInfinite(request.truncationPsi()));
    }

    static Stream<Arguments> hostileBodies() {
        return Stream.of(
                // body, expected field, expected fragment of the problem
                Arguments.of("", "", "empty"),
                Arguments.of("null", "", "JSON object"),
                Arguments.of("{", "", "malformed JSON at line 1"),
                Arguments.of("{\"kind\":\"generate\",}", "", "malformed JSON"),
                Arguments.of("{'kind':'generate'}", "", "malformed JSON"),
                Arguments.of("[]", "", "JSON object"),
                Arguments.of("42", "", "JSON object"),
                Arguments.of(" \n\"generate\"", "", "JSON object"),
                Arguments.of("{}", "kind", "is required"),
                Arguments.of("{\"frames\":3}", "kind", "is required"),
                Arguments.of("{\"kind\":\"teleport\"}", "kind", "unknown kind 'teleport'"),
                Arguments.of("{\"kind\":\"GENERATE\"}", "kind", "unknown kind"),
                Arguments.of("{\"kind\":7}", "kind", ""),
                Arguments.of("{\"kind\":\"generate\",\"color\":\"red\"}", "color", "unknown field 'color'"),
                Arguments.of("{\"kind\":\"generate\",\"views\":[{\"trajectory\":\"orbit\",\"zoom\":2}]}",
                        "views[0].zoom", "unknown field"),
                Arguments.of("{\"kind\":\"generate\",\"outputs\":{\"gif\":true}}", "outputs.gif", "unknown field"),
                Arguments.of("{\"kind\":\"generate\",\"frames\":\"16\"}", "frames", "integer"),
                Arguments.of("{\"kind\":\"generate\",\"frames\":16.5}", "frames", "integer"),
                Arguments.of("{\"kind\":\"generate\",\"frames\":true}", "frames", "integer"),
                Arguments.of("{\"kind\":\"generate\",\"frames\":[16]}", "frames", "integer"),
                Arguments.of("{\"kind\":\"generate\",\"frames\":{}}", "frames", "integer"),
                Arguments.of("{\"kind\":\"generate\",\"frames\":99999999999}", "frames", "out of range"),
                Arguments.of("{\"kind\":\"generate\",\"seed\":\"\"}", "seed", "integer"),
                Arguments.of("{\"kind\":\"generate\",\"seed\":1e3}", "seed", "integer"),
                Arguments.of("{\"kind\":\"generate\",\"seed\":123456789012345678901234567890}", "seed", ""),
                Arguments.of("{\"kind\":\"generate\",\"z\":\"0.1,0.2\"}", "z", "array"),
                Arguments.of("{\"kind\":\"generate\",\"z\":[0.1,\"x\"]}", "z[1]", "number"),
                Arguments.of("{\"kind\":\"generate\",\"z\":[0.1,[0.2]]}", "z[1]", "number"),
                Arguments.of("{\"kind\":\"generate\",\"z\":[NaN]}", "z", "finite"),
                Arguments.of("{\"kind\":\"generate\",\"z\":[Infinity]}", "z", "finite"),
                Arguments.of("{\"kind\":\"generate\",\"z\":[-Infinity]}", "z", "finite"),
                Arguments.of("{\"kind\":\"generate\",\"truncation_psi\":\"0.5\"}", "truncation_psi", "number"),
                Arguments.of("{\"kind\":\"generate\",\"priority\":\"urgent\"}", "priority", "normal, high"),
                Arguments.of("{\"kind\":\"generate\",\"priority\":1}", "priority", ""),
                Arguments.of("{\"kind\":\"generate\",\"views\":[{\"trajectory\":\"spiral\"}]}",
                        "views[0].trajectory", "orbit, yaw_sweep"),
                Arguments.of("{\"kind\":\"generate\",\"views\":{\"trajectory\":\"orbit\"}}", "views", "array"),
                Arguments.of("{\"kind\":\"generate\",\"views\":[{\"trajectory\":\"fixed\",\"yaw\":\"left\"}]}",
                        "views[0].yaw", "number"),
                Arguments.of("{\"kind\":\"generate\",\"outputs\":{\"depth\":\"yes\"}}", "outputs.depth", "true or false"),
                Arguments.of("{\"kind\":\"generate\",\"outputs\":{\"depth\":1}}", "outputs.depth", "true or false"),
                Arguments.of("{\"kind\":\"generate\",\"job_id\":\"not-a-uuid\"}", "job_id", "UUID"),
                Arguments.of("{\"kind\":\"generate\",\"frames\":1,\"frames\":2}", "frames", "more than once"),
                Arguments.of("{\"kind\":\"generate\",\"views\":[{\"trajectory\":\"orbit\",\"yaw\":1,\"yaw\":2}]}",
                        "views[0].yaw", "more than once"),
                Arguments.of("{\"kind\":\"generate\"} {\"kind\":\"generate\"}", "", "after the JSON value"),
                Arguments.of("{\"kind\":\"reconstruct\",\"faces\":\"all\"}", "faces", "single, largest"),
                Arguments.of("{\"kind\":\"edit\",\"motion_edit\":{\"scale\":1,\"x\":1}}",
                        "motion_edit.x", "unknown field"),
                Arguments.of("{\"kind\":\"generate\",\"seed\":" + "1".repeat(200) + "}", "", "too large"),
                Arguments.of("{\"kind\":\"generate\",\"" + "k".repeat(300) + "\":1}", "", "too large"));
    }

    @ParameterizedTest
    @MethodSource("hostileBodies")
    void hostileBodiesFailWithTheField(String body, String field, String fragment) {
        JobCodecException e = assertThrows(JobCodecException.class,
                () -> codec.decodeRequest(body.getBytes(StandardCharsets.UTF_8)));
        assertEquals(field, e.field(), () -> "field of " + e.getMessage());
        assertTrue(e.problem().contains(fragment), () -> "'" + fragment + "' in " + e.problem());
        assertEquals(field, e.toViolation().field());
    }

    @Test
    void oversizedBodyIsRejectedBeforeParsing() {
        byte[] body = new byte[JobCodec.MAX_BODY_BYTES + 1];
        JobCodecException e = assertThrows(JobCodecException.class, () -> codec.decodeRequest(body));
        assertTrue(e.problem().contains("limit"));
    }

    @Test
    void hugeArrayWithinTheSizeLimitDecodesForTheValidatorToBound() {
        String z = "0," .repeat(100_000) + "0";
        GenerateRequest request = (GenerateRequest) decode("{\"kind\":\"generate\",\"z\":[" + z + "]}");
        assertEquals(100_001, request.z().size());
    }

    static Stream<Arguments> hostileEvents() {
        String head = "\"job_id\":\"" + Samples.JOB + "\",\"kind\":\"generate\",\"time\":\"2026-01-02T03:04:05Z\"";
        return Stream.of(
                Arguments.of("{\"type\":\"exploded\"," + head + "}", "type", "unknown type 'exploded'"),
                Arguments.of("{" + head + "}", "type", "is required"),
                Arguments.of("{\"type\":\"started\",\"kind\":\"generate\",\"time\":\"2026-01-02T03:04:05Z\"}",
                        "job_id", "is required"),
                Arguments.of("{\"type\":\"started\"," + head.replace("2026-01-02T03:04:05Z", "yesterday") + "}",
                        "time", "ISO-8601"),
                Arguments.of("{\"type\":\"progress\"," + head + ",\"done\":5,\"total\":4}", "", "must not exceed"),
                Arguments.of("{\"type\":\"progress\"," + head + ",\"done\":-1,\"total\":4}", "", "done"),
                Arguments.of("{\"type\":\"failed\"," + head + ",\"code\":\"Bad Code\",\"reason\":\"x\","
                        + "\"retryable\":false}", "", "code"),
                Arguments.of("{\"type\":\"failed\"," + head + ",\"code\":\"x\",\"reason\":\"x\"}", "retryable",
                        "is required"),
                Arguments.of("{\"type\":\"started\",\"schema_version\":2," + head + "}", "", "not supported"),
                Arguments.of("{\"type\":\"completed\"," + head + ",\"outputs\":{\"bucket\":\"b\"}}",
                        "outputs.manifest_key", "is required"));
    }

    @ParameterizedTest
    @MethodSource("hostileEvents")
    void hostileEventsFail(String body, String field, String fragment) {
        JobCodecException e = assertThrows(JobCodecException.class,
                () -> codec.decodeEvent(body.getBytes(StandardCharsets.UTF_8)));
        assertEquals(field, e.field(), () -> "field of " + e.getMessage());
        assertTrue(e.problem().contains(fragment), () -> "'" + fragment + "' in " + e.problem());
    }

    @Test
    void deadLetterRejectsBadBase64() {
        String body = "{\"topic\":\"t\",\"partition\":0,\"offset\":1,\"payload_base64\":\"@@@\",\"reason\":\"r\","
                + "\"time\":\"2026-01-02T03:04:05Z\"}";
        assertThrows(JobCodecException.class,
                () -> codec.decodeDeadLetter(body.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void decodesTheRightSubtype() {
        assertInstanceOf(AnimateRequest.class, decode("{\"kind\":\"animate\",\"input_key\":\"a.png\"}"));
        assertInstanceOf(EditRequest.class, decode("{\"kind\":\"edit\"}"));
    }

    private JobRequest decode(String json) {
        return codec.decodeRequest(json.getBytes(StandardCharsets.UTF_8));
    }
}
