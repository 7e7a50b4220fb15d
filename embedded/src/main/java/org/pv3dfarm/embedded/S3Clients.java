package org.pv3dfarm.embedded;

import io.minio.BucketExistsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.errors.ErrorResponseException;
import java.net.URI;

/** MinIO clients for the farm's S3 endpoints, whichever server is behind them (S3Proxy, MinIO, S3). */
public final class S3Clients {

    /**
     * The region the farm signs for. Set explicitly so the client never asks the server for a bucket's location
     * (an extra request that S3Proxy and MinIO both answer with this region anyway).
     */
    public static final String REGION = "us-east-1";

    private S3Clients() {
    }

    /** A new client; close it when done (its HTTP connection pool otherwise keeps the JVM alive for 60 s). */
    public static MinioClient minio(URI endpoint, String accessKey, String secretKey) {
        return MinioClient.builder()
                .endpoint(endpoint.toString())
                .region(REGION)
                .credentials(accessKey, secretKey)
                .build();
    }

    /** Creates the bucket unless it exists; true when it was created. Safe when two processes race to create it. */
    public static boolean ensureBucket(MinioClient client, String bucket) throws Exception {
        if (client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
            return false;
        }
        try {
            client.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
            return true;
        } catch (ErrorResponseException e) {
            String code = e.errorResponse().code();
            if (code.equals("BucketAlreadyOwnedByYou") || code.equals("BucketAlreadyExists")) {
                return false;
            }
            throw e;
        }
    }
}
