/**
 * Single-machine infrastructure for the farm and for every module's tests: an in-process KRaft Kafka broker
 * ({@link org.pv3dfarm.embedded.EmbeddedKafkaBroker}), S3Proxy as the object store
 * ({@link org.pv3dfarm.embedded.EmbeddedObjectStore}), and {@link org.pv3dfarm.embedded.FarmInfrastructure}, which
 * picks Testcontainers (Kafka + MinIO containers) where a Docker engine answers and these embedded servers
 * otherwise.
 *
 * <p>Logging backend: none is imposed (logback-classic is optional). {@link org.pv3dfarm.embedded.QuietLogs}
 * keeps the broker, S3Proxy, Jetty and jclouds at WARN under logback or a java.util.logging backend.
 */
package org.pv3dfarm.embedded;
