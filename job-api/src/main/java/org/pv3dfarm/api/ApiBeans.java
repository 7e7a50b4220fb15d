package org.pv3dfarm.api;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.pv3dfarm.protocol.JobKind;
import org.pv3dfarm.protocol.JobValidator;
import org.pv3dfarm.protocol.ModelLimits;
import org.pv3dfarm.protocol.ValidationLimits;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.pv3dfarm.protocol.client.JobEventPublisher;
import org.pv3dfarm.protocol.client.JobProducer;
import org.pv3dfarm.protocol.client.KafkaJobEventPublisher;
import org.pv3dfarm.protocol.client.JobProducerOptions;
import org.pv3dfarm.protocol.client.KafkaJobProducer;

import io.minio.MinioClient;

import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/** Builds the API's long-lived clients and rules from {@link ApiConfig}. */
@ApplicationScoped
public class ApiBeans {

    @Produces
    @Singleton
    ValidationLimits validationLimits(ApiConfig config) {
        ValidationLimits.Builder limits = ValidationLimits.builder()
                .maxFrames(config.limits().maxFrames())
                .maxFps(config.limits().maxFps())
                .maxViews(config.limits().maxViews())
                .maxRenderedFrames(config.limits().maxRenderedFrames())
                .maxAbsCode(config.limits().maxAbsCode())
                .maxSteps(config.limits().maxSteps())
                .maxMotions(config.limits().maxMotions())
                .maxAppearances(config.limits().maxAppearances())
                .maxFitFrames(config.limits().maxFitFrames());
        for (Map.Entry<String, ApiConfig.Model> model : config.models().entrySet()) {
            ApiConfig.Model m = model.getValue();
            limits.model(new ModelLimits(model.getKey(), m.zDim(), m.motionDim(), m.outputResolution()));
        }
        for (Path manifest : config.modelManifests().orElse(List.of())) {
            limits.model(ModelManifests.limitsOf(manifest));
        }
        return limits.build();
    }

    @Produces
    @Singleton
    JobValidator jobValidator(ValidationLimits limits) {
        return new JobValidator(limits);
    }

    @Produces
    @Singleton
    EnabledKinds enabledKinds(ApiConfig config) {
        Set<JobKind> kinds = EnumSet.noneOf(JobKind.class);
        for (String name : config.api().enabledKinds()) {
            JobKind kind = JobKind.fromWireName(name.trim());
            if (kind == null) {
                throw new IllegalArgumentException("pv3d.api.enabled-kinds: unknown kind '" + name + "'");
            }
            kinds.add(kind);
        }
        return new EnabledKinds(kinds);
    }

    @Produces
    @Singleton
    @DefaultBean
    JobProducer jobProducer(ApiConfig config, ValidationLimits limits) {
        return new KafkaJobProducer(JobProducerOptions.builder()
                .bootstrapServers(config.kafka().bootstrapServers())
                .clientId(config.kafka().clientId())
                .limits(limits)
                .deliveryTimeout(config.kafka().deliveryTimeout())
                .maxBlock(config.kafka().maxBlock())
                .build());
    }

    void closeJobProducer(@Disposes JobProducer producer) {
        producer.close();
    }

    /** The API's own event writer (cancellations), on its own connection with the job producer's settings. */
    @Produces
    @Singleton
    Producer<String, byte[]> eventProducer(ApiConfig config, ValidationLimits limits) {
        return new KafkaProducer<>(JobProducerOptions.builder()
                .bootstrapServers(config.kafka().bootstrapServers())
                .clientId(config.kafka().clientId() + "-events")
                .limits(limits)
                .deliveryTimeout(config.kafka().deliveryTimeout())
                .maxBlock(config.kafka().maxBlock())
                .build().toProperties());
    }

    void closeEventProducer(@Disposes Producer<String, byte[]> producer) {
        producer.close(java.time.Duration.ofSeconds(10));
    }

    @Produces
    @Singleton
    JobEventPublisher jobEventPublisher(Producer<String, byte[]> producer) {
        return new KafkaJobEventPublisher(producer);
    }

    @Produces
    @Singleton
    Tenants tenants(ApiConfig config) {
        return Tenants.of(config);
    }

    @Produces
    @Singleton
    Admin kafkaAdmin(ApiConfig config) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrapServers());
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, config.kafka().clientId() + "-admin");
        int timeout = (int) config.kafka().healthTimeout().toMillis();
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeout);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeout);
        return Admin.create(props);
    }

    void closeAdmin(@Disposes Admin admin) {
        admin.close(java.time.Duration.ofSeconds(5));
    }

    @Produces
    @Singleton
    S3ObjectStore objectStore(ApiConfig config) {
        ApiConfig.S3 s3 = config.s3();
        return new S3ObjectStore(MinioClient.builder().endpoint(s3.endpoint().toString())
                .credentials(s3.accessKey(), s3.secretKey()).region(s3.region()).build(), s3.bucket());
    }

    void closeObjectStore(@Disposes S3ObjectStore store) throws Exception {
        store.close();
    }

    @Produces
    @Singleton
    RetentionPolicy retentionPolicy(ApiConfig config) {
        return RetentionPolicy.of(config.retention());
    }

    @Produces
    @Singleton
    RetentionSweeper retentionSweeper(S3ObjectStore store, RetentionPolicy policy) {
        return new RetentionSweeper(store, policy);
    }

    @Produces
    @Singleton
    Uploads uploads(ApiConfig config, S3ObjectStore store, RetentionPolicy retention) {
        ApiConfig.S3 s3 = config.s3();
        PresignedPut presigner = new PresignedPut(s3.presignEndpoint().orElse(s3.endpoint()), s3.accessKey(),
                s3.secretKey(), s3.region());
        return new Uploads(store, s3.bucket(), UploadLimits.of(config.uploads()), presigner, retention,
                Clock.systemUTC());
    }

    @Produces
    @Singleton
    InputChecker inputChecker(Uploads uploads, JobStatusStore store, RetentionPolicy retention) {
        return new InputChecker(uploads, store::get, retention, Clock.systemUTC());
    }
}
