package io.premiumbot.deploy;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.apps.Deployment;

/** One rendered overlay: the raw documents and typed views of them. */
record Rendered(String name, List<ObjectNode> documents) {

    private static final Map<String, Rendered> CACHE = new ConcurrentHashMap<>();

    static Rendered overlay(String overlay) {
        return CACHE.computeIfAbsent(overlay, o -> new Rendered(o, new KustomizeRenderer().render(Repo.overlay(o))));
    }

    static Rendered base() {
        return CACHE.computeIfAbsent("base", o -> new Rendered(o, new KustomizeRenderer().render(Repo.BASE)));
    }

    /** Every document of that kind, parsed strictly; the class's simple name is the kind. */
    <T extends HasMetadata> List<T> all(Class<T> type) {
        return documents.stream()
                .filter(d -> d.path("kind").asText().equals(type.getSimpleName()))
                .map(d -> StrictKubernetesModel.parse(d, type))
                .toList();
    }

    <T extends HasMetadata> T one(Class<T> type, String resourceName) {
        return all(type).stream()
                .filter(r -> r.getMetadata().getName().equals(resourceName))
                .findFirst()
                .orElseThrow(() -> new AssertionError(name + ": no " + type.getSimpleName() + " " + resourceName));
    }

    /** Documents of that kind as trees, for custom resources and checks of the YAML itself. */
    List<JsonNode> raw(String kind) {
        return documents.stream()
                .filter(d -> d.path("kind").asText().equals(kind))
                .map(d -> (JsonNode) d)
                .toList();
    }

    List<Deployment> deployments() {
        return all(Deployment.class);
    }

    /** The value a Deployment would see for a key of a ConfigMap it loads; null when none sets it. */
    String configValue(String key) {
        return all(ConfigMap.class).stream()
                .map(ConfigMap::getData)
                .filter(data -> data != null && data.containsKey(key))
                .map(data -> data.get(key))
                .findFirst()
                .orElse(null);
    }

    static boolean selects(LabelSelector selector, Map<String, String> labels) {
        if (selector == null) {
            return false;
        }
        if (selector.getMatchLabels() != null
                && !selector.getMatchLabels().entrySet().stream()
                        .allMatch(e -> e.getValue().equals(labels.get(e.getKey())))) {
            return false;
        }
        if (selector.getMatchExpressions() != null) {
            for (LabelSelectorRequirement requirement : selector.getMatchExpressions()) {
                String value = labels.get(requirement.getKey());
                boolean matches = switch (requirement.getOperator()) {
                    case "In" -> value != null && requirement.getValues().contains(value);
                    case "NotIn" -> value == null || !requirement.getValues().contains(value);
                    case "Exists" -> value != null;
                    case "DoesNotExist" -> value == null;
                    default ->
                        throw new IllegalArgumentException("unknown selector operator " + requirement.getOperator());
                };
                if (!matches) {
                    return false;
                }
            }
        }
        return true;
    }

    static Map<String, String> podLabels(Deployment deployment) {
        return deployment.getSpec().getTemplate().getMetadata().getLabels();
    }
}
