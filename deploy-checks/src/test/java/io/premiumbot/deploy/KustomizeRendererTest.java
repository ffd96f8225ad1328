package io.premiumbot.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

class KustomizeRendererTest {

    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: app
            spec:
              template:
                spec:
                  containers:
                    - name: app
                      image: registry.local:5000/team/app:1
                      resources:
                        requests: {cpu: 100m, memory: 64Mi}
                    - name: sidecar
                      image: sidecar:2
            """;

    @TempDir
    Path dir;

    @Test
    void aPatchMergesIntoTheNamedContainerAndKeepsTheRest() throws IOException {
        write("base/kustomization.yaml", "resources: [app.yaml]\n");
        write("base/app.yaml", DEPLOYMENT);
        write("overlay/kustomization.yaml", "resources: [../base]\npatches:\n  - path: patch.yaml\n");
        write("overlay/patch.yaml", """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: app}
                spec:
                  template:
                    spec:
                      containers:
                        - name: app
                          resources:
                            requests: {cpu: 500m}
                """);

        JsonNode containers = only(render("overlay")).at("/spec/template/spec/containers");

        assertEquals(2, containers.size());
        assertEquals("500m", containers.get(0).at("/resources/requests/cpu").asText());
        assertEquals("64Mi", containers.get(0).at("/resources/requests/memory").asText());
        assertEquals("sidecar:2", containers.get(1).path("image").asText());
    }

    @Test
    void anImageEntryChangesTheTagOfThatImageOnly() throws IOException {
        write("base/kustomization.yaml", """
                resources: [app.yaml]
                images:
                  - name: registry.local:5000/team/app
                    newTag: "2.0"
                """);
        write("base/app.yaml", DEPLOYMENT);

        JsonNode containers = only(render("base")).at("/spec/template/spec/containers");

        assertEquals(
                "registry.local:5000/team/app:2.0",
                containers.get(0).path("image").asText());
        assertEquals("sidecar:2", containers.get(1).path("image").asText());
    }

    @Test
    void aPatchThatMatchesNothingFailsTheRender() throws IOException {
        write("base/kustomization.yaml", "resources: [app.yaml]\npatches:\n  - path: patch.yaml\n");
        write("base/app.yaml", DEPLOYMENT);
        write("base/patch.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: typo}\n");

        IllegalArgumentException failure = assertThrows(IllegalArgumentException.class, () -> render("base"));
        assertTrue(failure.getMessage().contains("matches no resource"), failure.getMessage());
    }

    @Test
    void aPatchFileWithSeveralDocumentsIsRefusedAsKustomizeRefusesIt() throws IOException {
        write("base/kustomization.yaml", "resources: [app.yaml]\npatches:\n  - path: patch.yaml\n");
        write("base/app.yaml", DEPLOYMENT);
        write(
                "base/patch.yaml",
                "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app}\n---\n"
                        + "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app}\n");

        assertThrows(IllegalArgumentException.class, () -> render("base"));
    }

    @Test
    void aCustomResourceListIsReplacedWholeAsInAJsonMergePatch() throws IOException {
        write("base/kustomization.yaml", "resources: [so.yaml]\npatches:\n  - path: patch.yaml\n");
        write("base/so.yaml", """
                apiVersion: keda.sh/v1alpha1
                kind: ScaledObject
                metadata: {name: w}
                spec:
                  triggers:
                    - {name: a, type: redis}
                    - {name: b, type: cpu}
                """);
        write("base/patch.yaml", """
                apiVersion: keda.sh/v1alpha1
                kind: ScaledObject
                metadata: {name: w}
                spec:
                  triggers:
                    - {name: a, type: redis-cluster}
                """);

        JsonNode triggers = only(render("base")).at("/spec/triggers");

        assertEquals(1, triggers.size());
        assertEquals("redis-cluster", triggers.get(0).path("type").asText());
    }

    @Test
    void aKustomizationFeatureTheRendererDoesNotImplementIsRefused() throws IOException {
        write("base/kustomization.yaml", "resources: [app.yaml]\nnamePrefix: x-\n");
        write("base/app.yaml", DEPLOYMENT);

        IllegalArgumentException failure = assertThrows(IllegalArgumentException.class, () -> render("base"));
        assertTrue(failure.getMessage().contains("namePrefix"), failure.getMessage());
    }

    @Test
    void theSameResourceTwiceFailsTheRender() throws IOException {
        write("base/kustomization.yaml", "resources: [app.yaml, again.yaml]\n");
        write("base/app.yaml", DEPLOYMENT);
        write("base/again.yaml", DEPLOYMENT);

        assertThrows(IllegalArgumentException.class, () -> render("base"));
    }

    @Test
    void aDuplicatedYamlKeyFailsTheRender() throws IOException {
        write("base/kustomization.yaml", "resources: [app.yaml]\n");
        write("base/app.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {A: x}\ndata: {B: y}\n");

        assertThrows(RuntimeException.class, () -> render("base"));
    }

    private List<ObjectNode> render(String folder) {
        return new KustomizeRenderer().render(dir.resolve(folder));
    }

    private static ObjectNode only(List<ObjectNode> documents) {
        assertEquals(1, documents.size());
        return documents.get(0);
    }

    private void write(String relative, String content) throws IOException {
        Path file = dir.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }
}
