package org.pv3dfarm.api;

import org.pv3dfarm.protocol.JobStatus;
import org.pv3dfarm.protocol.Violation;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * Where a listing page ended: the last job's sort time and id ({@link JobStatusStore#NEWEST_FIRST}). Opaque to
 * clients (base64url of {@code epochSecond.nano:jobId}); stable while jobs are added, since a new job sorts before
 * every cursor taken earlier.
 */
public record JobCursor(Instant time, UUID jobId) {

    static JobCursor after(JobStatus last) {
        return new JobCursor(JobStatusStore.sortTime(last), last.jobId());
    }

    /** Whether {@code status} comes after this cursor in listing order. */
    boolean precedes(JobStatus status) {
        int byTime = JobStatusStore.sortTime(status).compareTo(time);
        return byTime < 0 || (byTime == 0 && status.jobId().compareTo(jobId) > 0);
    }

    String encode() {
        String plain = time.getEpochSecond() + "." + time.getNano() + ":" + jobId;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    static JobCursor decode(String cursor) {
        try {
            String plain = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            int colon = plain.indexOf(':');
            int dot = plain.indexOf('.');
            if (colon < 0 || dot < 0 || dot > colon) {
                throw new IllegalArgumentException("not a cursor");
            }
            Instant time = Instant.ofEpochSecond(Long.parseLong(plain.substring(0, dot)),
                    Long.parseLong(plain.substring(dot + 1, colon)));
            return new JobCursor(time, UUID.fromString(plain.substring(colon + 1)));
        } catch (RuntimeException e) {
            throw new ProblemException(ProblemType.INVALID_QUERY, "cursor is not one this API returned",
                    List.of(new Violation("cursor", "must be a next_cursor from an earlier page")));
        }
    }
}
