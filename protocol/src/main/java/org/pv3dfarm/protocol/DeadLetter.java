package org.pv3dfarm.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

/**
 * A record that could not be processed, written to {@link Topics#DEAD_LETTER} with the original key so that it
 * can be inspected and replayed. The original bytes are kept exactly (base64), whatever they were.
 *
 * @param topic          where the original record was read
 * @param partition      its partition
 * @param offset         its offset
 * @param key            its key as UTF-8, if it had one
 * @param headers        its headers as UTF-8 strings (a repeated header keeps the last value)
 * @param payloadBase64  its value, base64 (standard alphabet, padded); empty for a null value
 * @param reason         what was wrong, for people; names the field when validation failed
 * @param exceptionClass the exception class behind the reason, if there was one
 * @param consumer       who gave up on it (consumer group or worker id)
 * @param jobId          the job id, when it could be read
 * @param time           when it was dead-lettered
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record DeadLetter(
        Integer schemaVersion,
        @JsonProperty(required = true) String topic,
        @JsonProperty(required = true) Integer partition,
        @JsonProperty(required = true) Long offset,
        String key,
        Map<String, String> headers,
        @JsonProperty(required = true) String payloadBase64,
        @JsonProperty(required = true) String reason,
        String exceptionClass,
        String consumer,
        UUID jobId,
        @JsonProperty(required = true) Instant time) {

    public DeadLetter {
        schemaVersion = Checks.supportedVersion(schemaVersion);
        Checks.requiredText(topic, "topic");
        Checks.atLeast(partition, 0, "partition");
        Checks.atLeast(offset, 0L, "offset");
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        Base64.getDecoder().decode(Checks.required(payloadBase64, "payload_base64"));
        Checks.requiredText(reason, "reason");
        Checks.required(time, "time");
    }

    /** The original value bytes. (Not a JSON property: Jackson only maps record components.) */
    public byte[] payload() {
        return Base64.getDecoder().decode(payloadBase64);
    }
}
