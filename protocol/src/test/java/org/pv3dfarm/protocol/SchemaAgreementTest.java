package org.pv3dfarm.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The JSON Schemas under {@code schemas/} are what producers in other languages code against; these tests keep
 * them and the records saying the same thing: same fields, same required fields, and the same verdict on good
 * and hostile bodies.
 */
class SchemaAgreementTest {

    private static final String BASE = "https://pv3dfarm.org/schemas/v1/";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final PropertyNamingStrategies.NamingBase SNAKE =
            (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(
            SpecificationVersion.DRAFT_2020_12,
            builder -> builder.schemaIdResolvers(r -> r.mapPrefix(BASE, "classpath:schemas/")));

    private static final Map<Class<?>, String> SCHEMA_OF = new LinkedHashMap<>();

    static {
        SCHEMA_OF.put(GenerateRequest.class, "generate-request.schema.json");
        SCHEMA_OF.put(AnimateRequest.class, "animate-request.schema.json");
        SCHEMA_OF.put(ReconstructRequest.class, "reconstruct-request.schema.json");
        SCHEMA_OF.put(RetargetRequest.class, "retarget-request.schema.json");
        SCHEMA_OF.put(EditRequest.class, "edit-request.schema.json");
        SCHEMA_OF.put(JobAccepted.class, "job-accepted.schema.json");
        SCHEMA_OF.put(JobStarted.class, "job-started.schema.json");
        SCHEMA_OF.put(JobProgress.class, "job-progress.schema.json");
        SCHEMA_OF.put(JobCompleted.class, "job-completed.schema.json");
        SCHEMA_OF.put(JobFailed.class, "job-failed.schema.json");
        SCHEMA_OF.put(JobCancelled.class, "job-cancelled.schema.json");
        SCHEMA_OF.put(DeadLetter.class, "dead-letter.schema.json");
    }

    @Test
    void everyMessageTypeHasASchema() {
        for (Class<?> type : JobRequest.class.getPermittedSubclasses()) {
            assertNotNull(SCHEMA_OF.get(type), type.getSimpleName());
        }
        for (Class<?> type : JobEvent.class.getPermittedSubclasses()) {
            assertNotNull(SCHEMA_OF.get(type), type.getSimpleName());
        }
    }

    static Stream<Class<?>> messageTypes() {
        return SCHEMA_OF.keySet().stream();
    }

    @ParameterizedTest
    @MethodSource("messageTypes")
    void schemaPropertiesMatchRecordComponents(Class<?> type) throws IOException {
        String file = SCHEMA_OF.get(type);
        compare(type, file, read(file), discriminator(type), JobRequest.class.isAssignableFrom(type));
    }

    /** Walks a record and its schema object together, following $ref into nested record types. */
    private void compare(Class<?> type, String file, JsonNode schema, String discriminator, boolean lenient)
            throws IOException {
        String where = type.getSimpleName() + " vs " + file;
        assertEquals("object", schema.path("type").asText(), where);
        assertFalse(schema.path("additionalProperties").asBoolean(true),
                where + ": unknown fields are rejected, so additionalProperties must be false");
        Set<String> expected = new TreeSet<>();
        Set<String> requiredByRecord = new TreeSet<>();
        if (discriminator != null) {
            expected.add(discriminator);
            requiredByRecord.add(discriminator);
        }
        for (RecordComponent component : type.getRecordComponents()) {
            String name = SNAKE.translate(component.getName());
            expected.add(name);
            JsonProperty annotation = component.getAccessor().getAnnotation(JsonProperty.class);
            if (annotation == null) {
                annotation = component.getAnnotation(JsonProperty.class);
            }
            if (annotation != null && annotation.required()) {
                requiredByRecord.add(name);
            }
        }
        Set<String> actual = new TreeSet<>();
        schema.path("properties").fieldNames().forEachRemaining(actual::add);
        assertEquals(expected, actual, where + ": properties");

        Set<String> required = new TreeSet<>();
        schema.path("required").forEach(n -> required.add(n.asText()));
        assertTrue(actual.containsAll(required), where + ": required names a property that does not exist");
        if (!lenient) {
            // Strict records (events) mark required components; request records and their parts leave
            // requiredness to the validator, whose rules the hostile-body test below compares.
            assertEquals(requiredByRecord, required, where + ": required");
        }
        for (RecordComponent component : type.getRecordComponents()) {
            Class<?> nested = recordTypeOf(component.getGenericType());
            if (nested == null) {
                continue;
            }
            JsonNode property = schema.path("properties").path(SNAKE.translate(component.getName()));
            Resolved target = resolve(file, property);
            if (target.node.path("type").asText().equals("array")) {
                target = resolve(target.file, target.node.path("items"));
            }
            compare(nested, target.file, target.node, null, lenient);
        }
    }

    private static Class<?> recordTypeOf(Type type) {
        if (type instanceof Class<?> c && c.isRecord()) {
            return c;
        }
        if (type instanceof ParameterizedType p && p.getRawType() == List.class) {
            return recordTypeOf(p.getActualTypeArguments()[0]);
        }
        return null;
    }

    private record Resolved(String file, JsonNode node) {
    }

    private Resolved resolve(String file, JsonNode node) throws IOException {
        if (!node.has("$ref")) {
            return new Resolved(file, node);
        }
        String ref = node.get("$ref").asText();
        int hash = ref.indexOf('#');
        String targetFile = hash == 0 ? file : ref.substring(0, hash < 0 ? ref.length() : hash);
        String pointer = hash < 0 ? "" : ref.substring(hash + 1);
        JsonNode target = read(targetFile).at(pointer);
        assertFalse(target.isMissingNode(), "dangling $ref " + ref + " in " + file);
        return resolve(targetFile, target);
    }

    private static String discriminator(Class<?> type) {
        if (JobRequest.class.isAssignableFrom(type)) {
            return "kind";
        }
        if (JobEvent.class.isAssignableFrom(type)) {
            return "type";
        }
        return null;
    }

    private static JsonNode read(String file) throws IOException {
        try (InputStream in = SchemaAgreementTest.class.getResourceAsStream("/schemas/" + file)) {
            assertNotNull(in, "missing schema resource " + file);
            return JSON.readTree(in);
        }
    }

    @Test
    void everySchemaIsDraft202012WithItsOwnId() throws IOException {
        List<String> files = new java.util.ArrayList<>(SCHEMA_OF.values());
        files.addAll(List.of("common.schema.json", "job-request.schema.json", "job-event.schema.json"));
        for (String file : files) {
            JsonNode schema = read(file);
            assertEquals("https://json-schema.org/draft/2020-12/schema", schema.path("$schema").asText(), file);
            assertEquals(BASE + file, schema.path("$id").asText(), file);
        }
    }

    @Test
    void encodedSamplesValidate() {
        for (JobRequest request : Samples.allRequests()) {
            String json = JobCodec.instance().encodeToString(request.withJobId(Samples.JOB));
            assertValid(SCHEMA_OF.get(request.getClass()), json);
            assertValid("job-request.schema.json", json);
            assertValid(SCHEMA_OF.get(request.getClass()), JobCodec.instance().encodeToString(request));
        }
        for (JobEvent event : Samples.allEvents()) {
            String json = JobCodec.instance().encodeToString(event);
            assertValid(SCHEMA_OF.get(event.getClass()), json);
            assertValid("job-event.schema.json", json);
        }
        assertValid("dead-letter.schema.json", JobCodec.instance().encodeToString(Samples.deadLetter()));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"kind\":\"generate\"}",
            "{\"kind\":\"generate\",\"seed\":4294967295,\"frames\":1024,\"fps\":60,\"truncation_psi\":0}",
            "{\"kind\":\"generate\",\"views\":[{\"trajectory\":\"fixed\",\"yaw\":0,\"pitch\":3.14159}]}",
            "{\"kind\":\"generate\",\"views\":[{\"trajectory\":\"orbit\",\"amplitude\":1.5707963267948966}]}",
            "{\"kind\":\"generate\",\"outputs\":{\"png_frames\":true},\"resolution\":128,\"priority\":\"high\"}",
            "{\"kind\":\"generate\",\"frames\":8,\"views\":[{\"trajectory\":\"orbit\",\"conditioning\":true},"
                    + "{\"trajectory\":\"explicit\",\"cameras\":[[1,0,0,0,0,-1,0,0,0,0,-1,2.7,0,0,0,1]]}],"
                    + "\"outputs\":{\"grid\":true,\"preview\":true,\"preview_format\":\"webp\","
                    + "\"mesh\":{\"frames\":[0,7],\"resolution\":32,\"threshold\":-1.5,\"formats\":[\"glb\"]}}}",
            "{\"kind\":\"animate\",\"input_key\":\"inputs/u1/face.v2.png\",\"motions\":3,\"seed\":7,"
                    + "\"faces\":\"largest\",\"inversion\":{\"steps\":5000,\"learning_rate\":1,\"target_loss\":0.01,"
                    + "\"patience\":0,\"optimizer\":\"adam\"}}",
            "{\"kind\":\"animate\",\"source_job_id\":\"0b6f2c55-8f7e-4d55-9a55-0e6b7d1c2a10\","
                    + "\"z_motions\":[[0.5],[-0.5]]}",
            "{\"kind\":\"reconstruct\",\"input_key\":\"inputs/u1/clip.mp4\",\"fit_frames\":64,"
                    + "\"motion_edit\":{\"scale\":-4,\"time_scale\":4,\"toward\":[1],\"amount\":2}}",
            "{\"kind\":\"reconstruct\",\"input_key\":\"inputs/u1/clip.mp4\",\"views\":[{\"trajectory\":\"source\","
                    + "\"conditioning\":true},{\"trajectory\":\"orbit\"}]}",
            "{\"kind\":\"retarget\",\"source_job_id\":\"0b6f2c55-8f7e-4d55-9a55-0e6b7d1c2a10\","
                    + "\"motion_source_job_id\":\"5d0c7f3e-2b7a-4f0e-8b1f-3c6d9e2a4b58\"}",
            "{\"kind\":\"retarget\",\"input_key\":\"inputs/u1/face.png\",\"z_motion\":[0.1],"
                    + "\"motion_edit\":{\"z_motion\":[0.2]}}",
            "{\"kind\":\"edit\",\"source_job_ids\":[\"0b6f2c55-8f7e-4d55-9a55-0e6b7d1c2a10\"],\"seeds\":[1,2],"
                    + "\"motion_edit\":{\"scale\":0.5}}",
            "{\"kind\":\"edit\",\"seeds\":[4294967295],\"z_motion\":[0.5]}",
            "{\"kind\":\"edit\",\"seeds\":[1],\"outputs\":{\"mesh\":{\"frames\":[0]}}}"})
        void goodBodiesPassBoth(String body) {
        assertValid("job-request.schema.json", body);
        JobRequest request = JobCodec.instance().decodeRequest(body.getBytes(StandardCharsets.UTF_8));
        JobValidator loose = new JobValidator(ValidationLimits.defaults());
        assertEquals(List.of(), loose.validate(request, JobValidator.Stage.SUBMITTED));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{}",
            "{\"kind\":\"teleport\"}",
            "{\"kind\":\"generate\",\"color\":\"red\"}",
            "{\"kind\":\"generate\",\"frames\":0}",
            "{\"kind\":\"generate\",\"frames\":-3}",
            "{\"kind\":\"generate\",\"frames\":1025}",
            "{\"kind\":\"generate\",\"frames\":\"16\"}",
            "{\"kind\":\"generate\",\"frames\":16.5}",
            "{\"kind\":\"generate\",\"fps\":0}",
            "{\"kind\":\"generate\",\"views\":[]}",
            "{\"kind\":\"generate\",\"views\":[{}]}",
            "{\"kind\":\"generate\",\"views\":[null]}",
            "{\"kind\":\"generate\",\"views\":[{\"trajectory\":\"spiral\"}]}",
            "{\"kind\":\"generate\",\"views\":[{\"trajectory\":\"fixed\",\"yaw\":1}]}",
            "{\"kind\":\"generate\",\"views\":[{\"trajectory\":\"fixed\",\"yaw\":4,\"pitch\":1}]}",
            "{\"kind\":\"generate\",\"views\":[{\"trajectory\":\"orbit\",\"amplitude\":0}]}",
            "{\"kind\":\"generate\",\"views\":[{\"trajectory\":\"orbit\",\"cameras\":[]}]}",
            "{\"kind\":\"generate\",\"views\":[{\"trajectory\":\"explicit\"}]}",
            "{\"kind\":\"generate\",\"views\":[{\"trajectory\":\"explicit\",\"cameras\":[[1,2,3]]}]}",
            "{\"kind\":\"generate\",\"views\":[{\"trajectory\":\"explicit\",\"yaw\":1,\"cameras\":"
                    + "[[1,0,0,0,0,1,0,0,0,0,1,2.7,0,0,0,1,4,0,0.5,0,4,0.5,0,0,1]]}]}",
            "{\"kind\":\"generate\",\"z\":[]}",
            "{\"kind\":\"generate\",\"z\":[1e400]}",
            "{\"kind\":\"generate\",\"z\":[101]}",
            "{\"kind\":\"generate\",\"z\":[0.1,null]}",
            "{\"kind\":\"generate\",\"z\":\"0.1\"}",
            "{\"kind\":\"generate\",\"seed\":-1}",
            "{\"kind\":\"generate\",\"seed\":4294967296}",
            "{\"kind\":\"generate\",\"truncation_psi\":3}",
            "{\"kind\":\"generate\",\"priority\":\"urgent\"}",
            "{\"kind\":\"generate\",\"tenant\":\"ACME\"}",
            "{\"kind\":\"generate\",\"idempotency_key\":\"has space\"}",
            "{\"kind\":\"generate\",\"job_id\":\"nope\"}",
            "{\"kind\":\"generate\",\"schema_version\":2}",
            "{\"kind\":\"generate\",\"outputs\":{\"depth\":\"yes\"}}",
            "{\"kind\":\"generate\",\"outputs\":{\"preview_format\":\"png\"}}",
            "{\"kind\":\"generate\",\"outputs\":{\"mesh\":{}}}",
            "{\"kind\":\"generate\",\"outputs\":{\"mesh\":{\"frames\":[]}}}",
            "{\"kind\":\"generate\",\"outputs\":{\"mesh\":{\"frames\":[1,1]}}}",
            "{\"kind\":\"generate\",\"outputs\":{\"mesh\":{\"frames\":[-1]}}}",
            "{\"kind\":\"generate\",\"outputs\":{\"mesh\":{\"frames\":[0],\"resolution\":4}}}",
            "{\"kind\":\"generate\",\"outputs\":{\"mesh\":{\"frames\":[0],\"formats\":[\"obj\"]}}}",
            "{\"kind\":\"generate\",\"outputs\":{\"mesh\":{\"frames\":[0],\"colour\":true}}}",
            "{\"kind\":\"generate\",\"views\":[{\"trajectory\":\"orbit\",\"conditioning\":\"yes\"}]}",
            "{\"kind\":\"generate\",\"views\":[{\"trajectory\":\"source\"}]}",
            "{\"kind\":\"edit\",\"seeds\":[1],\"views\":[{\"trajectory\":\"source\"}]}",
            "{\"kind\":\"reconstruct\",\"input_key\":\"x.mp4\",\"views\":[{\"trajectory\":\"source\",\"pitch\":1}]}",
            "{\"kind\":\"reconstruct\",\"input_key\":\"x.mp4\",\"views\":[{\"trajectory\":\"source\","
                    + "\"cameras\":[[1,0,0,0,0,-1,0,0,0,0,-1,2.7,0,0,0,1]]}]}",
            "{\"kind\":\"generate\",\"views\":[{\"trajectory\":\"explicit\",\"cameras\":"
                    + "[[1,0,0,0,0,-1,0,0,0,0,-1,2.7,0,0,0,1,4]]}]}",
            "{\"kind\":\"generate\",\"model\":\"../x\"}",
            "{\"kind\":\"animate\"}",
            "{\"kind\":\"animate\",\"input_key\":\"../etc/passwd\"}",
            "{\"kind\":\"animate\",\"input_key\":\"a/../../b.png\"}",
            "{\"kind\":\"animate\",\"input_key\":\"/abs.png\"}",
            "{\"kind\":\"animate\",\"input_key\":\"a.png\",\"source_job_id\":\"0b6f2c55-8f7e-4d55-9a55-0e6b7d1c2a10\"}",
            "{\"kind\":\"animate\",\"input_key\":\"a.png\",\"motions\":9}",
            "{\"kind\":\"animate\",\"input_key\":\"a.png\",\"faces\":\"all\"}",
            "{\"kind\":\"animate\",\"input_key\":\"a.png\",\"inversion\":{\"steps\":0}}",
            "{\"kind\":\"animate\",\"input_key\":\"a.png\",\"inversion\":{\"learning_rate\":0}}",
            "{\"kind\":\"animate\",\"input_key\":\"a.png\",\"inversion\":{\"steps\":10,\"momentum\":1}}",
            "{\"kind\":\"animate\",\"input_key\":\"a.png\",\"inversion\":{\"optimizer\":\"sgd\"}}",
            "{\"kind\":\"reconstruct\"}",
            "{\"kind\":\"reconstruct\",\"input_key\":\"x.mp4\",\"fit_frames\":0}",
            "{\"kind\":\"reconstruct\",\"input_key\":\"x.mp4\",\"motion_edit\":{\"toward\":[1]}}",
            "{\"kind\":\"reconstruct\",\"input_key\":\"x.mp4\",\"motion_edit\":{\"time_scale\":0}}",
            "{\"kind\":\"reconstruct\",\"input_key\":\"x.mp4\",\"motion_edit\":{\"scale\":5}}",
            "{\"kind\":\"retarget\",\"input_key\":\"d.png\"}",
            "{\"kind\":\"retarget\",\"z_motion\":[0.1]}",
            "{\"kind\":\"retarget\",\"z_motion\":[0.1],\"input_key\":\"d.png\","
                    + "\"source_job_id\":\"0b6f2c55-8f7e-4d55-9a55-0e6b7d1c2a10\"}",
            "{\"kind\":\"edit\"}",
            "{\"kind\":\"edit\",\"seeds\":[]}",
            "{\"kind\":\"edit\",\"seeds\":[-1]}",
            "{\"kind\":\"edit\",\"seeds\":[1],\"z_motion\":[0.1],"
                    + "\"motion_source_job_id\":\"0b6f2c55-8f7e-4d55-9a55-0e6b7d1c2a10\"}",
            "{\"kind\":\"edit\",\"seeds\":[1],\"outputs\":{\"mesh\":{\"frames\":[0],\"resolution\":300}}}"})
        void hostileBodiesFailBoth(String body) {
        List<Error> errors = validate("job-request.schema.json", body);
        assertFalse(errors.isEmpty(), "the schema accepted " + body);
        assertTrue(javaRejects(body), "the Java side accepted " + body);
    }

    private static boolean javaRejects(String body) {
        try {
            JobRequest request = JobCodec.instance().decodeRequest(body.getBytes(StandardCharsets.UTF_8));
            return !new JobValidator(ValidationLimits.defaults()).validate(request, JobValidator.Stage.SUBMITTED)
                    .isEmpty();
        } catch (JobCodecException e) {
            return true;
        }
    }

    @Test
    void hostileEventsFailTheSchema() {
        String head = "\"job_id\":\"" + Samples.JOB + "\",\"kind\":\"generate\",\"time\":\"2026-01-02T03:04:05Z\"";
        for (String body : List.of(
                "{\"type\":\"exploded\"," + head + "}",
                "{\"type\":\"progress\"," + head + ",\"done\":1}",
                "{\"type\":\"failed\"," + head + ",\"code\":\"Bad Code\",\"reason\":\"r\",\"retryable\":true}",
                "{\"type\":\"completed\"," + head + ",\"outputs\":{\"bucket\":\"b\"}}",
                "{\"type\":\"started\"," + head + ",\"extra\":1}")) {
            assertFalse(validate("job-event.schema.json", body).isEmpty(), body);
        }
    }

    private static void assertValid(String file, String json) {
        List<Error> errors = validate(file, json);
        assertTrue(errors.isEmpty(), () -> file + " rejected " + json + ": " + errors);
    }

    private static List<Error> validate(String file, String json) {
        Schema schema = REGISTRY.getSchema(SchemaLocation.of(BASE + file));
        return schema.validate(json, InputFormat.JSON);
    }
}
