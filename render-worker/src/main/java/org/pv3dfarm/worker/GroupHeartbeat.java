package org.pv3dfarm.worker;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * The heartbeat interval a worker's consumer needs so that a rebalance never evicts it.
 *
 * <p>In the classic group protocol the rebalance timeout is {@code max.poll.interval.ms}: once a rebalance starts,
 * the coordinator removes every member that has not re-joined within it. A polling member learns of the rebalance
 * only from the answer to its next heartbeat, so it re-joins up to {@code heartbeat.interval.ms} late. With Kafka's
 * default interval (3 s) and a rebalance timeout at or below it, a member is evicted whenever its next heartbeat
 * falls after the timeout; it then re-joins as a new member, which starts the next rebalance, which evicts the other
 * member at its next heartbeat: a rebalance storm that never settles.
 *
 * <p>Rule: {@code interval = min(3000, rebalanceTimeout / 4)} ms when none is set, so a member hears of a rebalance
 * at least three times before it would be evicted; an explicit interval must be at most {@code rebalanceTimeout / 3}.
 * The consumer protocol (KIP-848, {@code group.protocol=consumer}) takes its heartbeat from the broker, so nothing
 * is set there.
 */
final class GroupHeartbeat {

    /** Kafka's default {@code heartbeat.interval.ms}. */
    static final long KAFKA_DEFAULT_MS = 3_000;
    /** Kafka's default {@code max.poll.interval.ms}. */
    static final long DEFAULT_MAX_POLL_INTERVAL_MS = 300_000;

    private GroupHeartbeat() {
    }

    /**
     * The consumer settings with {@code heartbeat.interval.ms} set to fit the rebalance timeout (unchanged for the
     * consumer protocol or when the explicit interval already fits).
     *
     * @throws IllegalArgumentException if an explicit interval exceeds a third of {@code max.poll.interval.ms}
     */
    static Map<String, String> fitted(Map<String, String> consumerProperties) {
        String protocol = consumerProperties.getOrDefault(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic");
        if (!protocol.equalsIgnoreCase("classic")) {
            return consumerProperties;
        }
        long rebalanceTimeout = millis(consumerProperties, ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG,
                DEFAULT_MAX_POLL_INTERVAL_MS);
        String explicit = consumerProperties.get(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG);
        if (explicit != null) {
            long interval = millis(consumerProperties, ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, KAFKA_DEFAULT_MS);
            if (interval * 3 > rebalanceTimeout) {
                throw new IllegalArgumentException("heartbeat.interval.ms (" + interval + ") must be at most a third of"
                        + " max.poll.interval.ms (" + rebalanceTimeout + "), the rebalance timeout: a member hears of"
                        + " a rebalance only at its next heartbeat");
            }
            return consumerProperties;
        }
        long interval = Math.max(1, Math.min(KAFKA_DEFAULT_MS, rebalanceTimeout / 4));
        if (interval == KAFKA_DEFAULT_MS) {
            return consumerProperties;
        }
        Map<String, String> fitted = new LinkedHashMap<>(consumerProperties);
        fitted.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, Long.toString(interval));
        return Map.copyOf(fitted);
    }

    private static long millis(Map<String, String> properties, String key, long fallback) {
        String value = properties.get(key);
        if (value == null) {
            return fallback;
        }
        try {
            long parsed = Long.parseLong(value.trim());
            if (parsed < 1) {
                throw new NumberFormatException();
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a positive number of milliseconds, was '" + value + "'");
        }
    }
}
