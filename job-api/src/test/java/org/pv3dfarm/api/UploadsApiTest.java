package org.pv3dfarm.api;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Uploads on the real object store (S3Proxy in this JVM, or MinIO): the presigned PUT URL accepts exactly the
 * declared key, type and size; content is sniffed; another tenant sees nothing.
 */
@QuarkusTest
@QuarkusTestResource(FarmTestResource.class)
class UploadsApiTest {

    static final String ACME = JobsRoundTripTest.ACME_KEY;
    static final String GLOBEX = "globex-test-key-0123456789";
    static final HttpClient HTTP = HttpClient.newHttpClient();

    /** Creates an upload as {@code apiKey} (anonymous when null); the 201 answer. */
    static Response create(String apiKey, String contentType, long size) {
        var request = apiKey == null ? given() : given().header(JobsResource.API_KEY, apiKey);
        Response created = request.contentType(ContentType.JSON)
                .body("{\"content_type\":\"" + contentType + "\",\"size\":" + size + "}").when().post("/v1/uploads");
        created.then().statusCode(201);
        return created;
    }

    /** PUTs {@code body} with {@code contentType} to a presigned URL; the store's status code. */
    static int putTo(String url, String contentType, byte[] body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", contentType)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    @Test
    void aPresignedPutAcceptsOnlyTheDeclaredTypeSizeAndKey() throws Exception {
        byte[] png = UploadsTest.png(300);
        Response created = create(ACME, "image/png", png.length);
        String id = created.jsonPath().getString("upload.upload_id");
        String key = created.jsonPath().getString("upload.key");
        String url = created.jsonPath().getString("upload_url");
        assertEquals("tenants/acme/inputs/" + id + "/input.png", key);
        assertEquals("/v1/uploads/" + id, URI.create(created.header("Location")).getPath());
        given().header(JobsResource.API_KEY, ACME).when().get("/v1/uploads/" + id).then().statusCode(200)
                .body("state", equalTo("pending"));

        assertEquals(403, putTo(url, "text/html", png), "another content type");
        assertEquals(403, putTo(url, "image/png", Arrays.copyOf(png, png.length + 1)), "another size");
        assertEquals(403, putTo(url.replace("/tenants/acme/", "/tenants/globex/"), "image/png", png), "another key");
        given().header(JobsResource.API_KEY, ACME).when().get("/v1/uploads/" + id).then().statusCode(200)
                .body("state", equalTo("pending"));

        assertEquals(200, putTo(url, "image/png", png));
        given().header(JobsResource.API_KEY, ACME).when().get("/v1/uploads/" + id).then().statusCode(200)
                .body("state", equalTo("ready")).body("detected_type", equalTo("image/png"))
                .body("key", equalTo(key));
        given().header(JobsResource.API_KEY, GLOBEX).when().get("/v1/uploads/" + id).then().statusCode(404)
                .contentType(Problem.MEDIA_TYPE);
        given().when().get("/v1/uploads/" + id).then().statusCode(404);
    }

    @Test
    void streamedContentIsSniffedAndAMismatchIsRejectedWithTheReason() {
        byte[] html = "<html><script>alert(1)</script></html>".getBytes();
        String id = create(ACME, "image/jpeg", html.length).jsonPath().getString("upload.upload_id");
        given().header(JobsResource.API_KEY, GLOBEX).contentType("image/jpeg").body(html).when()
                .put("/v1/uploads/" + id).then().statusCode(404);
        given().header(JobsResource.API_KEY, ACME).contentType("image/png").body(html).when()
                .put("/v1/uploads/" + id).then().statusCode(400).body("errors[0].field", equalTo("Content-Type"));
        given().header(JobsResource.API_KEY, ACME).contentType("image/jpeg").body(html).when()
                .put("/v1/uploads/" + id).then().statusCode(422).contentType(Problem.MEDIA_TYPE)
                .body("type", equalTo("https://pv3dfarm.org/problems/upload-rejected"))
                .body("detail", containsString("not a recognised image or video"));
        given().header(JobsResource.API_KEY, ACME).when().get("/v1/uploads/" + id).then().statusCode(200)
                .body("state", equalTo("rejected")).body("reason", containsString("image/jpeg was declared"));

        byte[] jpeg = Arrays.copyOf(ContentSnifferTest.JPEG, 2048);
        String good = create(ACME, "image/jpeg", jpeg.length).jsonPath().getString("upload.upload_id");
        given().header(JobsResource.API_KEY, ACME).contentType("image/jpeg").body(jpeg).when()
                .put("/v1/uploads/" + good).then().statusCode(200).body("state", equalTo("ready"));
        given().header(JobsResource.API_KEY, ACME).contentType("image/jpeg").body(jpeg).when()
                .put("/v1/uploads/" + good).then().statusCode(409);
    }

    @Test
    void limitsAreProblems() {
        given().header(JobsResource.API_KEY, ACME).contentType(ContentType.JSON)
                .body("{\"content_type\":\"image/png\",\"size\":65537}").when().post("/v1/uploads").then()
                .statusCode(413).body("errors[0].field", equalTo("size"));
        given().header(JobsResource.API_KEY, ACME).contentType(ContentType.JSON)
                .body("{\"content_type\":\"application/x-msdownload\",\"size\":10}").when().post("/v1/uploads")
                .then().statusCode(400).body("errors[0].field", equalTo("content_type"));
        given().header(JobsResource.API_KEY, ACME).when().get("/v1/uploads/" + UUID.randomUUID()).then()
                .statusCode(404).body("type", startsWith("https://pv3dfarm.org/problems/upload-not-found"));
    }
}
