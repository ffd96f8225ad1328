package io.premiumbot.deploy;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

class NoCommittedSecretsTest {

    @Test
    void noSecretManifestUnderK8sCarriesARealValue() throws IOException {
        List<String> real = new ArrayList<>();
        for (Path file : yamlFilesUnderK8s()) {
            for (ObjectNode document : Yaml.documents(file)) {
                if (!document.path("kind").asText().equals("Secret")) {
                    continue;
                }
                for (Map.Entry<String, JsonNode> entry :
                        document.path("stringData").properties()) {
                    if (!isPlaceholder(entry.getValue().asText())) {
                        real.add(file + " stringData." + entry.getKey());
                    }
                }
                for (Map.Entry<String, JsonNode> entry : document.path("data").properties()) {
                    String decoded = new String(
                            Base64.getDecoder().decode(entry.getValue().asText()), StandardCharsets.UTF_8);
                    if (!isPlaceholder(decoded)) {
                        real.add(file + " data." + entry.getKey());
                    }
                }
            }
        }
        assertTrue(real.isEmpty(), "secret values committed: " + real);
    }

    @Test
    void theExampleSecretHoldsOnlyPlaceholders() {
        Map<String, String> entries = ExampleSecret.entries();
        assertFalse(entries.isEmpty());
        entries.forEach((key, value) ->
                assertTrue(isPlaceholder(value), key + " in k8s/secret.example.env is not a placeholder"));
    }

    @Test
    void aValueThatLooksRealIsNotAPlaceholder() {
        assertFalse(isPlaceholder("123456789:AAH4x-real-looking-token"));
        assertTrue(isPlaceholder("<bot-token-from-BotFather>"));
    }

    @Test
    void renderedOverlaysCarryNoSecretManifest() {
        for (String overlay : Repo.overlays()) {
            assertTrue(
                    Rendered.overlay(overlay).raw("Secret").isEmpty(),
                    overlay + " renders a Secret; secrets are created out of band (k8s/README.md)");
        }
    }

    private static boolean isPlaceholder(String value) {
        return ExampleSecret.PLACEHOLDER.matcher(value).matches();
    }

    private static List<Path> yamlFilesUnderK8s() throws IOException {
        try (Stream<Path> files = Files.walk(Repo.K8S)) {
            return files.filter(
                            f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml"))
                    .toList();
        }
    }
}
