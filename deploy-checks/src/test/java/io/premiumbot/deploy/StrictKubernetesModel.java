package io.premiumbot.deploy;

import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;

/**
 * Parses manifests into the fabric8 model strictly. fabric8 classes collect unknown fields in an
 * {@code @JsonAnySetter} map, which would make FAIL_ON_UNKNOWN_PROPERTIES useless; the introspector
 * here ignores any-setters, so a misspelt or misplaced field fails the parse.
 */
final class StrictKubernetesModel {

    static final Map<String, Class<? extends HasMetadata>> TYPED = Map.of(
            "v1/ConfigMap", ConfigMap.class,
            "v1/Secret", Secret.class,
            "v1/Service", Service.class,
            "apps/v1/Deployment", Deployment.class,
            "apps/v1/StatefulSet", StatefulSet.class,
            "networking.k8s.io/v1/Ingress", Ingress.class,
            "networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class,
            "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class,
            "autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class);

    /** Custom resources outside fabric8's core model: read as trees and checked field by field. */
    static final Set<String> CUSTOM = Set.of(
            "keda.sh/v1alpha1/ScaledObject",
            "monitoring.coreos.com/v1/ServiceMonitor",
            "postgresql.cnpg.io/v1/Cluster",
            "postgresql.cnpg.io/v1/ScheduledBackup",
            "barmancloud.cnpg.io/v1/ObjectStore");

    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .annotationIntrospector(new JacksonAnnotationIntrospector() {
                private static final long serialVersionUID = 1L;

                @Override
                public Boolean hasAnySetter(Annotated annotated) {
                    return Boolean.FALSE;
                }
            })
            .build();

    private StrictKubernetesModel() {}

    static String typeKey(JsonNode manifest) {
        return manifest.path("apiVersion").asText() + "/"
                + manifest.path("kind").asText();
    }

    /** The manifest as its fabric8 class; fails on an unknown type or any field the class doesn't have. */
    static HasMetadata parse(JsonNode manifest) {
        Class<? extends HasMetadata> type = TYPED.get(typeKey(manifest));
        if (type == null) {
            throw new IllegalArgumentException(KustomizeRenderer.id(manifest) + ": " + typeKey(manifest)
                    + " is neither a known core type " + TYPED.keySet() + " nor a checked custom resource " + CUSTOM);
        }
        return parse(manifest, type);
    }

    static <T> T parse(JsonNode manifest, Class<T> type) {
        try {
            return STRICT.treeToValue(manifest, type);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(
                    KustomizeRenderer.id(manifest) + " is not a valid " + type.getSimpleName() + ": "
                            + e.getOriginalMessage(),
                    e);
        }
    }

    /** Fails when a custom resource's object carries a field outside the documented set. */
    static void requireOnlyFields(JsonNode object, Set<String> allowed, String where) {
        List<String> unknown = object.properties().stream()
                .map(Map.Entry::getKey)
                .filter(name -> !allowed.contains(name))
                .toList();
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(where + ": unknown fields " + unknown + " (allowed: " + allowed + ")");
        }
    }
}
