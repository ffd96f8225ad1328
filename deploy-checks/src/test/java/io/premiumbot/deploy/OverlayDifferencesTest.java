package io.premiumbot.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;

/**
 * Overlays change only what differs between environments: replica bounds, resources, hostnames, image tags, and
 * where the data lives (an overlay may add its own data tier and point the services and KEDA at it).
 */
class OverlayDifferencesTest {

    private static final List<Pattern> ALLOWED = List.of(
            Pattern.compile("Deployment/[^ ]+ spec\\.template\\.spec\\.containers\\[[^]]+]\\.image"),
            Pattern.compile(
                    "Deployment/[^ ]+ spec\\.template\\.spec\\.containers\\[[^]]+]\\.resources\\.(requests|limits)\\.(cpu|memory)"),
            Pattern.compile("HorizontalPodAutoscaler/[^ ]+ spec\\.(minReplicas|maxReplicas)"),
            Pattern.compile("ScaledObject/[^ ]+ spec\\.(minReplicaCount|maxReplicaCount)"),
            Pattern.compile("Ingress/[^ ]+ spec\\.rules\\[\\d+]\\.host"),
            Pattern.compile("Ingress/[^ ]+ spec\\.tls\\[\\d+]\\.hosts\\[\\d+]"),
            Pattern.compile("ConfigMap/premium-common-config data\\.DEPLOYMENT_ENVIRONMENT"),
            // the hostname again, as the address the operator's setup registers with Telegram
            Pattern.compile("ConfigMap/api-service-config data\\.TELEGRAM_WEBHOOK_URL"),
            // where the data lives and its shape (an overlay running its own data tier); ScalingAndMonitoringTest and
            // DataTierTest check that the services and KEDA agree on it
            Pattern.compile(
                    "ConfigMap/premium-common-config data\\.(DB_URL|REDIS_URL|REDIS_CLIENT_TYPE|REDIS_MASTER_NAME)"),
            Pattern.compile(
                    "ScaledObject/worker-service spec\\.triggers\\[0]\\.(type|metadata\\.(address|addresses|sentinelMaster))"));

    @ParameterizedTest
    @MethodSource("io.premiumbot.deploy.Overlays#names")
    void overlaysDifferFromTheBaseOnlyInReplicasResourcesHostnamesImageTagsEnvironmentNameAndDataTier(String overlay) {
        Map<String, String> base = flatten(Rendered.base().documents());
        Set<String> baseIds = new TreeSet<>();
        Rendered.base().documents().forEach(d -> baseIds.add(KustomizeRenderer.id(d)));
        // a data tier the overlay adds whole is its own (DataTierTest); everything else is compared with the base
        Map<String, String> changed = flatten(Rendered.overlay(overlay).documents().stream()
                .filter(d -> baseIds.contains(KustomizeRenderer.id(d)) || !DataTier.isPartOf(d))
                .toList());
        Set<String> paths = new TreeSet<>(base.keySet());
        paths.addAll(changed.keySet());
        List<String> forbidden = new ArrayList<>();
        for (String path : paths) {
            String before = base.get(path);
            String after = changed.get(path);
            if (before != null && before.equals(after)) {
                continue;
            }
            boolean allowed = ALLOWED.stream().anyMatch(p -> p.matcher(path).matches());
            if (allowed && path.endsWith(".image")) {
                allowed = before != null
                        && after != null
                        && KustomizeRenderer.imageName(before).equals(KustomizeRenderer.imageName(after));
            }
            if (!allowed) {
                forbidden.add(path + ": " + before + " -> " + after);
            }
        }
        assertTrue(forbidden.isEmpty(), overlay + " changes more than it may: " + forbidden);
    }

    @ParameterizedTest
    @MethodSource("io.premiumbot.deploy.Overlays#names")
    void aDataTierAnOverlayAddsNeverSelectsTheServicesPods(String overlay) {
        // the data tier is exempt from the comparison above, so it must not reach into the app: no policy, budget or
        // Service of it may apply to the services' pods
        Set<String> baseIds = new TreeSet<>();
        Rendered.base().documents().forEach(d -> baseIds.add(KustomizeRenderer.id(d)));
        Rendered rendered = Rendered.overlay(overlay);
        for (ObjectNode document : rendered.documents()) {
            if (baseIds.contains(KustomizeRenderer.id(document)) || !DataTier.isPartOf(document)) {
                continue;
            }
            LabelSelector selector = switch (document.path("kind").asText()) {
                case "NetworkPolicy" ->
                    StrictKubernetesModel.parse(document, NetworkPolicy.class)
                            .getSpec()
                            .getPodSelector();
                case "PodDisruptionBudget" ->
                    StrictKubernetesModel.parse(document, PodDisruptionBudget.class)
                            .getSpec()
                            .getSelector();
                case "Service" ->
                    new LabelSelectorBuilder()
                            .withMatchLabels(StrictKubernetesModel.parse(document, Service.class)
                                    .getSpec()
                                    .getSelector())
                            .build();
                default -> null;
            };
            for (Deployment deployment : rendered.deployments()) {
                assertTrue(
                        selector == null || !Rendered.selects(selector, Rendered.podLabels(deployment)),
                        KustomizeRenderer.id(document) + " (data tier) selects "
                                + deployment.getMetadata().getName());
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.premiumbot.deploy.Overlays#names")
    void theWebhookUrlTelegramIsGivenIsTheIngressHostAndPath(String overlay) {
        Map<String, String> flat = flatten(Rendered.overlay(overlay).documents());
        String host = flat.get("Ingress/api-service-webhook spec.rules[0].host");
        assertEquals(
                "https://" + host + "/telegram/webhook",
                flat.get("ConfigMap/api-service-config data.TELEGRAM_WEBHOOK_URL"));
    }

    @ParameterizedTest
    @MethodSource("io.premiumbot.deploy.Overlays#names")
    void aChangeOutsideTheAllowedFieldsIsCaught(String overlay) {
        List<ObjectNode> documents = Rendered.overlay(overlay).documents().stream()
                .map(ObjectNode::deepCopy)
                .toList();
        ObjectNode deployment = documents.stream()
                .filter(d -> d.path("kind").asText().equals("Deployment"))
                .findFirst()
                .orElseThrow();
        ((ObjectNode) deployment.at("/spec/template/spec")).put("terminationGracePeriodSeconds", 1);
        Map<String, String> flat = flatten(documents);
        Map<String, String> base = flatten(Rendered.base().documents());
        String path = KustomizeRenderer.id(deployment) + " spec.template.spec.terminationGracePeriodSeconds";
        assertEquals("1", flat.get(path));
        assertTrue(!flat.get(path).equals(base.get(path))
                && ALLOWED.stream().noneMatch(p -> p.matcher(path).matches()));
    }

    /** "Kind/name path" to scalar; list items with a name are addressed by it, so reordering isn't a change. */
    static Map<String, String> flatten(List<ObjectNode> documents) {
        Map<String, String> flat = new TreeMap<>();
        for (ObjectNode document : documents) {
            flatten(KustomizeRenderer.id(document) + " ", "", document, flat);
        }
        return flat;
    }

    private static void flatten(String id, String path, JsonNode node, Map<String, String> flat) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                flatten(id, path.isEmpty() ? field.getKey() : path + "." + field.getKey(), field.getValue(), flat);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                JsonNode item = node.get(i);
                String key = item.path("name").isTextual() ? item.get("name").asText() : String.valueOf(i);
                flatten(id, path + "[" + key + "]", item, flat);
            }
        } else {
            flat.put(id + path, node.asText());
        }
    }
}
