package org.pv3dfarm.api;

import io.restassured.response.Response;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

import static io.restassured.RestAssured.given;

/**
 * The upload part of the hostile-input corpus: bodies of {@code POST /v1/uploads} (oversized, wrong and disguised
 * content types, path-traversal and control-character names, malformed JSON, fields that try to pick the key), and
 * streamed contents that are not what they declare (non-image bytes, another format, wrong size or type header,
 * traversal ids). Each must be a 4xx problem.
 */
final class HostileUploads {

    private static final String KEY = JobsRoundTripTest.ACME_KEY;
    private static final String VALID = "{\"content_type\":\"image/png\",\"size\":64,\"name\":\"face.png\"}";

    private HostileUploads() {
    }

    /** Creation bodies that must be refused. */
    static List<String> creations() {
        List<String> out = new ArrayList<>();
        for (int cut = 0; cut < VALID.length() - 1; cut++) {
            out.add(VALID.substring(0, cut));
        }
        for (String size : new String[] {"65537", "268435457", "9223372036854775807", "9223372036854775808", "1e20",
                "-1", "0", "1.5", "\"64\"", "null", "[64]", "NaN", "Infinity"}) {
            out.add(VALID.replace("\"size\":64", "\"size\":" + size));
        }
        out.add("{\"content_type\":\"video/mp4\",\"size\":268435457}");
        for (String type : new String[] {"image/gif", "image/svg+xml", "text/html", "application/octet-stream",
                "application/pdf", "image/heic", "video/x-matroska", "image/png\r\nX-Injected: 1", "", " ",
                "image/png, text/html", "../image/png", "image/*", "*/*", "image", "video/mp4/../../etc"}) {
            out.add(VALID.replace("\"image/png\"", quote(type)));
        }
        for (String type : new String[] {"null", "42", "[\"image/png\"]", "{\"a\":1}", "true"}) {
            out.add(VALID.replace("\"image/png\"", type));
        }
        for (String name : new String[] {"../x.png", "..", ".", "a/b.png", "/etc/passwd", "..\\x.png",
                "%2e%2e%2fx.png", ".upload.json", ".hidden.png", "x.png\u0000.jpg", "x\n.png", "x\r\n.png",
                "n".repeat(200), "", " ", "ＸＹ.png", "C:\\x.png", "-rf.png", "~x.png", "x?.png", "x#.png",
                "x .png", "x..png"}) {
            out.add(VALID.replace("\"face.png\"", quote(name)));
        }
        for (String name : new String[] {"42", "[]", "{}", "true"}) {
            out.add(VALID.replace("\"face.png\"", name));
        }
        for (String field : new String[] {"key", "tenant", "bucket", "upload_id", "state", "url", "Content_Type"}) {
            out.add(VALID.replace("{", "{" + quote(field) + ":\"tenants/globex/inputs/x\","));
        }
        for (String garbage : new String[] {"null", "[]", "42", "\"x\"", "{}", "{{}}", "\u0000", "{'size':1}",
                VALID + VALID, "[" + VALID + "]"}) {
            out.add(garbage);
        }
        return out;
    }

    /** Streamed contents declared as image/png that are not PNGs. */
    static List<byte[]> disguisedContents() {
        List<byte[]> out = new ArrayList<>();
        for (String text : new String[] {"<html><script>alert(1)</script></html>", "%PDF-1.7\n%\u00e2\u00e3",
                "GIF89a\u0001\u0000\u0001\u0000", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>", "#!/bin/sh\nrm -rf /",
                "\u007fELF\u0002\u0001\u0001", "PK\u0003\u0004zip", "\u0089PN", "{\"kind\":\"generate\"}"}) {
            out.add(text.getBytes(StandardCharsets.ISO_8859_1));
        }
        out.add(Arrays.copyOf(ContentSnifferTest.JPEG, 64));
        out.add(Arrays.copyOf(ContentSnifferTest.MP4, 64));
        out.add(Arrays.copyOf(ContentSnifferTest.WEBP, 64));
        out.add(new byte[64]);
        return out;
    }

    /** Tries every case; adds a line to {@code failures} for each answer that is not a 4xx problem. */
    static int tryAll(Function<Response, String> check, List<String> failures) {
        int tried = 0;
        for (String body : creations()) {
            tried++;
            record(check, "upload body " + body, given().header(JobsResource.API_KEY, KEY)
                    .contentType("application/json").body(body.getBytes(StandardCharsets.UTF_8)).when()
                    .post("/v1/uploads"), failures);
        }
        for (byte[] content : disguisedContents()) {
            String id = create(content.length);
            tried++;
            record(check, "disguised content " + new String(content, 0, Math.min(8, content.length),
                    StandardCharsets.ISO_8859_1), put(id, "image/png", content), failures);
        }
        byte[] png = UploadsTest.png(64);
        String id = create(64);
        List<Response> abuse = List.of(
                put(id, "text/html", png),
                put(id, "application/octet-stream", png),
                put(id, "image/png", Arrays.copyOf(png, 63)),
                put(id, "image/png", Arrays.copyOf(png, 65)),
                put(id, "image/png", Arrays.copyOf(png, 100_000)),
                put(UUID.randomUUID().toString(), "image/png", png),
                put("not-a-uuid", "image/png", png),
                put(id.toUpperCase(), "image/png", png),
                put("..%2F..%2Fjobs", "image/png", png),
                given().header(JobsResource.API_KEY, KEY).when().get("/v1/uploads/..%2F..%2Fetc%2Fpasswd"),
                given().header(JobsResource.API_KEY, KEY).when().get("/v1/uploads/" + id + "%00"),
                given().header(JobsResource.API_KEY, "globex-test-key-0123456789").when().get("/v1/uploads/" + id),
                given().contentType("image/png").body(png).when().put("/v1/uploads/" + id));
        for (int i = 0; i < abuse.size(); i++) {
            tried++;
            record(check, "upload abuse " + i, abuse.get(i), failures);
        }
        return tried;
    }

    private static String create(long size) {
        return given().header(JobsResource.API_KEY, KEY).contentType("application/json")
                .body("{\"content_type\":\"image/png\",\"size\":" + size + "}").when().post("/v1/uploads")
                .then().statusCode(201).extract().jsonPath().getString("upload.upload_id");
    }

    private static Response put(String id, String contentType, byte[] body) {
        return given().urlEncodingEnabled(false).header(JobsResource.API_KEY, KEY).contentType(contentType)
                .body(body).when().put("/v1/uploads/" + id);
    }

    private static void record(Function<Response, String> check, String what, Response response,
                               List<String> failures) {
        String failure = check.apply(response);
        if (failure != null) {
            failures.add(what + " -> " + failure);
        }
    }

    private static String quote(String text) {
        return HostileInputs.quote(text);
    }
}
