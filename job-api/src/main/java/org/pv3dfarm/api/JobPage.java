package org.pv3dfarm.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.util.List;

/**
 * One page of {@code GET /v1/jobs}, newest first, without output URLs (ask a job for those).
 *
 * @param nextCursor pass as {@code cursor} for the next page; absent on the last page
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobPage(List<JobStatusResponse> jobs, String nextCursor) {
}
