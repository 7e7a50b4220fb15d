package org.pv3dfarm.api;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;

/** OpenAPI, health and metrics, as operators and clients see them. */
@QuarkusTest
@QuarkusTestResource(FarmTestResource.class)
class OperationsEndpointsTest {

    @Test
    void readinessCoversKafkaAndJobStatus() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().when().get("/q/health/ready").then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItems("kafka", "job-status")));
        given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void openApiDescribesTheJobsEndpoints() {
        given().accept(ContentType.JSON).when().get("/q/openapi?format=json").then().statusCode(200)
                .body("paths.keySet()", hasItems("/v1/jobs", "/v1/jobs/{id}"))
                .body("paths.'/v1/jobs'.post.responses.keySet()", hasItems("202", "400", "409", "503"));
    }

    @Test
    void prometheusMetricsCountSubmissions() {
        given().contentType(ContentType.JSON).body("{\"kind\":\"generate\",\"seed\":1}").when().post("/v1/jobs")
                .then().statusCode(202);
        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("pv3d_api_jobs_submitted_total{kind=\"generate\""))
                .body(containsString("pv3d_api_jobs_known"))
                .body(containsString("http_server_requests_seconds_count"));
    }

    @Test
    void healthListsTheKafkaBootstrap() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().when().get("/q/health/ready").then()
                .body("checks.find { it.name == 'kafka' }.data.nodes", equalTo(1))
                .body("checks.name", hasItem("job-status")));
    }
}
