package org.pv3dfarm.protocol.client;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JobProducerOptionsTest {

    @Test
    void fixesDurabilitySettings() {
        Properties props = JobProducerOptions.builder().bootstrapServers("localhost:9092,other:9093")
                .clientId("api-1").property("compression.type", "lz4").build().toProperties();
        assertEquals("all", props.get(ProducerConfig.ACKS_CONFIG));
        assertEquals("true", props.get(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG));
        assertEquals("localhost:9092,other:9093", props.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG));
        assertEquals("api-1", props.get(ProducerConfig.CLIENT_ID_CONFIG));
        assertEquals("lz4", props.get("compression.type"));
        assertEquals("30000", props.get(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG));
        assertTrue(Long.parseLong((String) props.get(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG)) <= 30000);
        assertEquals("10000", props.get(ProducerConfig.MAX_BLOCK_MS_CONFIG));
    }

    @Test
    void rejectsBadValues() {
        assertThrows(NullPointerException.class, () -> JobProducerOptions.builder().build());
        assertThrows(IllegalArgumentException.class,
                () -> JobProducerOptions.builder().bootstrapServers("").build());
        assertThrows(IllegalArgumentException.class,
                () -> JobProducerOptions.builder().bootstrapServers("no-port").build());
        assertThrows(IllegalArgumentException.class,
                () -> JobProducerOptions.builder().bootstrapServers("h:1").clientId(" ").build());
        assertThrows(IllegalArgumentException.class,
                () -> JobProducerOptions.builder().bootstrapServers("h:1").deliveryTimeout(Duration.ZERO).build());
        assertThrows(IllegalArgumentException.class, () -> JobProducerOptions.builder().bootstrapServers("h:1")
                .deliveryTimeout(Duration.ofMillis(10)).build());
        assertThrows(IllegalArgumentException.class,
                () -> JobProducerOptions.builder().bootstrapServers("h:1").maxBlock(Duration.ofSeconds(-1)).build());
        assertThrows(IllegalArgumentException.class,
                () -> JobProducerOptions.builder().bootstrapServers("h:1").property("acks", "1").build());
        assertThrows(IllegalArgumentException.class, () -> JobProducerOptions.builder().bootstrapServers("h:1")
                .property("enable.idempotence", "false").build());
    }
}
