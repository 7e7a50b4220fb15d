package org.pv3dfarm.embedded;

import io.minio.GetObjectArgs;
import io.minio.GetPresignedObjectUrlArgs;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.Result;
import io.minio.http.Method;
import io.minio.messages.Item;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** S3 calls for the tests, through the MinIO client the worker uses, and presigned URLs through plain HTTP. */
final class ObjectStoreTestClients {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private ObjectStoreTestClients() {
    }

    static void put(MinioClient client, String bucket, String key, byte[] bytes, String contentType) throws Exception {
        client.putObject(PutObjectArgs.builder().bucket(bucket).object(key).contentType(contentType)
                .stream(new ByteArrayInputStream(bytes), bytes.length, -1).build());
    }

    static byte[] get(MinioClient client, String bucket, String key) throws Exception {
        try (InputStream in = client.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build())) {
            return in.readAllBytes();
        }
    }

    static List<String> list(MinioClient client, String bucket, String prefix) throws Exception {
        List<String> keys = new ArrayList<>();
        for (Result<Item> item : client.listObjects(
                ListObjectsArgs.builder().bucket(bucket).prefix(prefix).recursive(true).build())) {
            keys.add(item.get().objectName());
        }
        return keys;
    }

    static URI presignedGet(MinioClient client, String bucket, String key) throws Exception {
        return presignedGet(client, bucket, key, Duration.ofMinutes(10));
    }

    static URI presignedGet(MinioClient client, String bucket, String key, Duration expiry) throws Exception {
        return URI.create(client.getPresignedObjectUrl(GetPresignedObjectUrlArgs.builder()
                .method(Method.GET).bucket(bucket).object(key).expiry((int) expiry.toSeconds(), TimeUnit.SECONDS)
                .build()));
    }

    /** A GET with no credentials but those in the URL, as a browser or a downstream service would do it. */
    static HttpResponse<byte[]> fetch(URI uri) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
