package org.pv3dfarm.embedded;

import java.net.URI;
import java.util.Objects;

/** The farm's infrastructure as servers in this JVM: an {@link EmbeddedKafkaBroker} and an {@link EmbeddedObjectStore}. */
public final class EmbeddedInfrastructure implements FarmInfrastructure {

    private final EmbeddedKafkaBroker broker;
    private final EmbeddedObjectStore objectStore;
    private final String selectionReason;

    private EmbeddedInfrastructure(EmbeddedKafkaBroker broker, EmbeddedObjectStore objectStore, String reason) {
        this.broker = broker;
        this.objectStore = objectStore;
        this.selectionReason = reason;
    }

    /** Starts the broker, then the store; if the store fails, the broker is stopped again. */
    public static EmbeddedInfrastructure start(InfrastructureOptions options, String selectionReason) {
        Objects.requireNonNull(options, "options");
        EmbeddedKafkaBroker broker = options.kafkaBroker().start();
        try {
            return new EmbeddedInfrastructure(broker, options.objectStore().start(), selectionReason);
        } catch (RuntimeException e) {
            broker.close();
            throw e;
        }
    }

    public EmbeddedKafkaBroker broker() {
        return broker;
    }

    public EmbeddedObjectStore objectStore() {
        return objectStore;
    }

    @Override
    public Kind kind() {
        return Kind.EMBEDDED;
    }

    @Override
    public String selectionReason() {
        return selectionReason;
    }

    @Override
    public String kafkaBootstrapServers() {
        return broker.bootstrapServers();
    }

    @Override
    public URI s3Endpoint() {
        return objectStore.endpoint();
    }

    @Override
    public String accessKey() {
        return objectStore.accessKey();
    }

    @Override
    public String secretKey() {
        return objectStore.secretKey();
    }

    @Override
    public String bucket() {
        return objectStore.bucket();
    }

    /** Stops the object store, then the broker. */
    @Override
    public void close() {
        try {
            objectStore.close();
        } finally {
            broker.close();
        }
    }
}
