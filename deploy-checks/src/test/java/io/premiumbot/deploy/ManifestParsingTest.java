package io.premiumbot.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.fabric8.kubernetes.api.model.apps.Deployment;

class ManifestParsingTest {

    static List<String> overlays() {
        return Repo.overlays();
    }

    @Test
    void thereAreDevAndProdOverlays() {
        assertEquals(List.of("dev", "prod"), Repo.overlays());
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyRenderedManifestParsesStrictlyAsItsKubernetesType(String overlay) {
        List<String> problems = new ArrayList<>();
        for (ObjectNode document : Rendered.overlay(overlay).documents()) {
            if (StrictKubernetesModel.CUSTOM.contains(StrictKubernetesModel.typeKey(document))) {
                continue; // checked field by field in ScalingAndMonitoringTest
            }
            try {
                StrictKubernetesModel.parse(document);
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
        }
        assertTrue(problems.isEmpty(), overlay + ": " + problems);
    }

    @Test
    void aFieldTheKubernetesTypeDoesNotHaveFailsTheParse() {
        ObjectNode deployment = Rendered.base().documents().stream()
                .filter(d -> d.path("kind").asText().equals("Deployment"))
                .findFirst()
                .orElseThrow()
                .deepCopy();
        ((ObjectNode) deployment.at("/spec/template/spec/containers/0")).put("livenesProbe", "misspelt");

        IllegalArgumentException failure = assertThrows(
                IllegalArgumentException.class, () -> StrictKubernetesModel.parse(deployment, Deployment.class));
        assertTrue(failure.getMessage().contains("livenesProbe"), failure.getMessage());
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void configMapValuesAreStringsAsKubernetesRequires(String overlay) {
        for (JsonNode configMap : Rendered.overlay(overlay).raw("ConfigMap")) {
            for (Map.Entry<String, JsonNode> entry : configMap.path("data").properties()) {
                assertTrue(
                        entry.getValue().isTextual(),
                        KustomizeRenderer.id(configMap) + " " + entry.getKey() + " must be a quoted string, is "
                                + entry.getValue().getNodeType());
            }
        }
    }

    @Test
    void everyManifestFileInTheBaseIsPartOfTheBase() throws IOException {
        Set<String> listed = new TreeSet<>();
        Yaml.single(Repo.BASE.resolve("kustomization.yaml")).path("resources").forEach(r -> listed.add(r.asText()));
        Set<String> files = new TreeSet<>();
        try (Stream<Path> paths = Files.list(Repo.BASE)) {
            paths.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".yaml") && !n.equals("kustomization.yaml"))
                    .forEach(files::add);
        }
        assertEquals(
                files, listed, "a manifest file in k8s/base that kustomization.yaml doesn't list is never applied");
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyOverlayRendersEveryBaseResourceAndAddsAtMostItsDataTier(String overlay) {
        Set<String> base = Rendered.base().documents().stream()
                .map(KustomizeRenderer::id)
                .collect(Collectors.toCollection(TreeSet::new));
        Set<String> rendered = new TreeSet<>();
        List<String> addedToTheApp = new ArrayList<>();
        for (ObjectNode document : Rendered.overlay(overlay).documents()) {
            rendered.add(KustomizeRenderer.id(document));
            if (!base.contains(KustomizeRenderer.id(document)) && !DataTier.isPartOf(document)) {
                addedToTheApp.add(KustomizeRenderer.id(document));
            }
        }
        assertTrue(rendered.containsAll(base), overlay + " drops base resources");
        assertEquals(List.of(), addedToTheApp, overlay + " adds resources outside its data tier");
        assertFalse(rendered.isEmpty());
    }
}
