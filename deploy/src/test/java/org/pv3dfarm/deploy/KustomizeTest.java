package org.pv3dfarm.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KustomizeTest {

    @TempDir
    Path dir;

    private void write(String path, String text) throws Exception {
        Path file = dir.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    @Test
    void anOverlayPatchesRenamesImagesAndSetsTheNamespace() throws Exception {
        write("base/kustomization.yaml", "resources: [app.yaml]\nnamespace: farm\n");
        write("base/app.yaml", """
                apiVersion: v1
                kind: Namespace
                metadata: {name: farm}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: app}
                spec:
                  template:
                    spec:
                      containers:
                        - name: app
                          image: org/app:1.0
                          env: [{name: A, value: "1"}, {name: B, value: "2"}]
                          ports: [{name: http, containerPort: 80}]
                """);
        write("over/kustomization.yaml", """
                resources: [../base]
                images: [{name: org/app, newName: org/app-gpu}]
                patches: [{path: patch.yaml}]
                """);
        write("over/patch.yaml", """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: app}
                spec:
                  template:
                    spec:
                      tolerations: [{key: gpu, operator: Exists}]
                      containers:
                        - name: app
                          env: [{name: B, value: "3"}, {name: C, value: "4"}]
                """);

        List<ObjectNode> resources = Kustomize.build(dir.resolve("over"));

        assertEquals("farm", resources.get(0).path("metadata").path("name").asText());
        assertTrue(resources.get(0).path("metadata").path("namespace").isMissingNode(), "a Namespace has none");
        ObjectNode app = resources.get(1);
        assertEquals("farm", app.path("metadata").path("namespace").asText());
        var container = app.path("spec").path("template").path("spec").path("containers").get(0);
        assertEquals("org/app-gpu:1.0", container.path("image").asText(), "new name, tag kept");
        assertEquals("[{\"name\":\"A\",\"value\":\"1\"},{\"name\":\"B\",\"value\":\"3\"},{\"name\":\"C\",\"value\":\"4\"}]",
                container.path("env").toString(), "env merged by name");
        assertEquals(80, container.path("ports").get(0).path("containerPort").asInt(), "untouched fields stay");
        assertEquals("gpu", app.path("spec").path("template").path("spec").path("tolerations").get(0).path("key")
                .asText());
    }

    @Test
    void whatItDoesNotUnderstandIsRefusedNotSkipped() throws Exception {
        write("a/kustomization.yaml", "resources: []\ncommonLabels: {team: render}\n");
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> Kustomize.build(dir.resolve("a")));
        assertTrue(unknown.getMessage().contains("'commonLabels'"), unknown.getMessage());

        write("b/kustomization.yaml", "resources: []\npatches: [{path: p.yaml}]\n");
        write("b/p.yaml", "kind: Deployment\nmetadata: {name: ghost}\n");
        IllegalArgumentException ghost = assertThrows(IllegalArgumentException.class,
                () -> Kustomize.build(dir.resolve("b")));
        assertTrue(ghost.getMessage().contains("Deployment/ghost"), ghost.getMessage());
    }
}
