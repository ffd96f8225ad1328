package io.premiumbot.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.premiumbot.model.queue.QueueKeys;

class ScalingAndMonitoringTest {

    /** Telegram's broadcast allowance for one bot, requests per second, shared by every worker replica. */
    private static final int TELEGRAM_REQUESTS_PER_SECOND = 30;

    private static final Set<String> SCALED_OBJECT_SPEC = Set.of(
            "scaleTargetRef",
            "minReplicaCount",
            "maxReplicaCount",
            "pollingInterval",
            "cooldownPeriod",
            "idleReplicaCount",
            "fallback",
            "advanced",
            "triggers");
    private static final Set<String> REDIS_TRIGGER_METADATA = Set.of(
            "address",
            "addresses",
            "host",
            "port",
            "hosts",
            "ports",
            "listName",
            "listLength",
            "activationListLength",
            "databaseIndex",
            "enableTLS",
            "unsafeSsl",
            "usernameFromEnv",
            "passwordFromEnv",
            "addressFromEnv",
            "addressesFromEnv",
            "hostsFromEnv",
            "portsFromEnv",
            // redis-sentinel only: the group whose primary KEDA reads, and the sentinels' own credentials
            "sentinelMaster",
            "sentinelMasterFromEnv",
            "sentinelUsernameFromEnv",
            "sentinelPasswordFromEnv");
    /** KEDA's trigger type for each of the services' Redis client types (REDIS_CLIENT_TYPE). */
    private static final Map<String, String> KEDA_TRIGGER_FOR_CLIENT_TYPE =
            Map.of("standalone", "redis", "sentinel", "redis-sentinel", "cluster", "redis-cluster");

    private static final Set<String> SERVICE_MONITOR_ENDPOINT = Set.of(
            "port",
            "targetPort",
            "path",
            "interval",
            "scrapeTimeout",
            "scheme",
            "honorLabels",
            "relabelings",
            "metricRelabelings");

    @ParameterizedTest
    @MethodSource("io.premiumbot.deploy.Overlays#names")
    void kedaScalesTheWorkerOnTheReadyQueueItConsumes(String overlay) {
        Rendered rendered = Rendered.overlay(overlay);
        JsonNode scaledObject = only(rendered.raw("ScaledObject"));
        assertEquals("keda.sh/v1alpha1", scaledObject.path("apiVersion").asText());
        requireResourceShape(scaledObject);
        JsonNode spec = scaledObject.path("spec");
        StrictKubernetesModel.requireOnlyFields(spec, SCALED_OBJECT_SPEC, "ScaledObject spec");
        StrictKubernetesModel.requireOnlyFields(
                spec.path("scaleTargetRef"),
                Set.of("apiVersion", "kind", "name", "envSourceContainerName"),
                "ScaledObject scaleTargetRef");
        assertEquals("Deployment", spec.at("/scaleTargetRef/kind").asText("Deployment"));
        assertEquals("worker-service", spec.at("/scaleTargetRef/name").asText());
        rendered.one(Deployment.class, spec.at("/scaleTargetRef/name").asText());

        JsonNode trigger = only(spec.path("triggers"));
        StrictKubernetesModel.requireOnlyFields(
                trigger,
                Set.of("type", "name", "metadata", "authenticationRef", "metricType", "useCachedMetrics"),
                "ScaledObject trigger");
        assertTrue(
                KEDA_TRIGGER_FOR_CLIENT_TYPE.containsValue(trigger.path("type").asText()),
                "trigger type " + trigger.path("type"));
        JsonNode metadata = trigger.path("metadata");
        StrictKubernetesModel.requireOnlyFields(metadata, REDIS_TRIGGER_METADATA, "redis trigger metadata");
        assertEquals(
                QueueKeys.READY, metadata.path("listName").asText(), "KEDA must watch the list the worker claims from");
        assertTrue(
                metadata.path("listLength").isTextual()
                        && Integer.parseInt(metadata.path("listLength").asText()) > 0,
                "listLength must be a positive number in a string");

        // REDIS_URL may list several nodes (a cluster's seeds, the sentinels); KEDA wants host:port, comma-separated.
        String expected = Arrays.stream(rendered.configValue("REDIS_URL").split(","))
                .map(url -> URI.create(url.strip()))
                .map(uri -> uri.getHost() + ":" + uri.getPort())
                .collect(Collectors.joining(","));
        String field = trigger.path("type").asText().equals("redis") ? "address" : "addresses";
        assertEquals(
                expected,
                metadata.path(field).asText().replace(" ", ""),
                "KEDA must watch the Redis the services use (REDIS_URL)");
    }

    @ParameterizedTest
    @MethodSource("io.premiumbot.deploy.Overlays#names")
    void theQueueScalerSpeaksTheRedisShapeTheServicesUse(String overlay) {
        Rendered rendered = Rendered.overlay(overlay);
        JsonNode trigger = only(only(rendered.raw("ScaledObject")).path("spec").path("triggers"));
        String clientType = setting(rendered, "REDIS_CLIENT_TYPE");
        assertEquals(
                KEDA_TRIGGER_FOR_CLIENT_TYPE.get(clientType),
                trigger.path("type").asText(),
                "the services use REDIS_CLIENT_TYPE " + clientType + "; KEDA must read the same shape");
        if (clientType.equals("sentinel")) {
            assertEquals(
                    setting(rendered, "REDIS_MASTER_NAME"),
                    trigger.at("/metadata/sentinelMaster").asText(),
                    "KEDA must read the primary of the group the services use (REDIS_MASTER_NAME)");
        } else {
            assertFalse(trigger.path("metadata").has("sentinelMaster"), "sentinelMaster without Sentinel");
        }
    }

    @ParameterizedTest
    @MethodSource("io.premiumbot.deploy.Overlays#names")
    void theWorkerNeverScalesToZeroBecauseItRunsTheScheduledJobs(String overlay) {
        JsonNode spec = only(Rendered.overlay(overlay).raw("ScaledObject")).path("spec");
        int min = spec.path("minReplicaCount").asInt(0);
        assertTrue(min >= 1, "minReplicaCount " + min);
        assertTrue(spec.path("maxReplicaCount").asInt() >= min);
        assertFalse(spec.has("idleReplicaCount"), "idleReplicaCount scales to zero");
    }

    @ParameterizedTest
    @MethodSource("io.premiumbot.deploy.Overlays#names")
    void theTelegramRateLimitStaysWithinTelegramsAllowanceWhateverTheWorkerCount(String overlay) {
        // the worker's limiter is global (a per-second counter in Redis shared by every replica), so scaling out
        // never multiplies the rate: the configured value itself must stay within Telegram's allowance
        Rendered rendered = Rendered.overlay(overlay);
        int limit = Integer.parseInt(rendered.configValue("TELEGRAM_RATE_LIMIT_PER_SECOND"));
        assertTrue(
                limit > 0 && limit <= TELEGRAM_REQUESTS_PER_SECOND,
                limit + " req/s would exceed Telegram's " + TELEGRAM_REQUESTS_PER_SECOND + " req/s and provoke 429s");
    }

    @ParameterizedTest
    @MethodSource("io.premiumbot.deploy.Overlays#names")
    void apiServiceScalesOnCpu(String overlay) {
        Rendered rendered = Rendered.overlay(overlay);
        HorizontalPodAutoscaler hpa = rendered.one(HorizontalPodAutoscaler.class, "api-service");
        assertEquals("Deployment", hpa.getSpec().getScaleTargetRef().getKind());
        rendered.one(Deployment.class, hpa.getSpec().getScaleTargetRef().getName());
        assertTrue(hpa.getSpec().getMinReplicas() >= 1
                && hpa.getSpec().getMaxReplicas() >= hpa.getSpec().getMinReplicas());
        assertTrue(
                hpa.getSpec().getMetrics().stream()
                        .anyMatch(m -> m.getResource() != null
                                && m.getResource().getName().equals("cpu")),
                "no CPU metric");
    }

    @ParameterizedTest
    @MethodSource("io.premiumbot.deploy.Overlays#names")
    void everyDeploymentHasExactlyOneDisruptionBudget(String overlay) {
        Rendered rendered = Rendered.overlay(overlay);
        for (Deployment deployment : rendered.deployments()) {
            List<PodDisruptionBudget> budgets = rendered.all(PodDisruptionBudget.class).stream()
                    .filter(b -> Rendered.selects(b.getSpec().getSelector(), Rendered.podLabels(deployment)))
                    .toList();
            assertEquals(1, budgets.size(), deployment.getMetadata().getName() + " disruption budgets");
        }
    }

    @ParameterizedTest
    @MethodSource("io.premiumbot.deploy.Overlays#names")
    void prometheusScrapesMetricsFromEveryServiceOnAPortItHas(String overlay) {
        Rendered rendered = Rendered.overlay(overlay);
        JsonNode monitor = only(rendered.raw("ServiceMonitor"));
        assertEquals("monitoring.coreos.com/v1", monitor.path("apiVersion").asText());
        requireResourceShape(monitor);
        StrictKubernetesModel.requireOnlyFields(
                monitor.path("spec"),
                Set.of("selector", "endpoints", "namespaceSelector", "jobLabel", "targetLabels", "podTargetLabels"),
                "ServiceMonitor spec");
        LabelSelector selector = StrictKubernetesModel.parse(monitor.at("/spec/selector"), LabelSelector.class);
        JsonNode endpoint = only(monitor.at("/spec/endpoints"));
        StrictKubernetesModel.requireOnlyFields(endpoint, SERVICE_MONITOR_ENDPOINT, "ServiceMonitor endpoint");
        assertEquals("/q/metrics", endpoint.path("path").asText());
        for (Deployment deployment : rendered.deployments()) {
            String name = deployment.getMetadata().getName();
            Service service = rendered.one(Service.class, name);
            assertTrue(
                    Rendered.selects(selector, labels(service)), "the ServiceMonitor doesn't select Service " + name);
            assertTrue(
                    service.getSpec().getPorts().stream()
                            .anyMatch(p -> endpoint.path("port").asText().equals(p.getName())),
                    "Service " + name + " has no port named " + endpoint.path("port"));
        }
    }

    /** What the services see for a setting both read: the ConfigMap's value, else their shared default. */
    static String setting(Rendered rendered, String name) {
        String value = rendered.configValue(name);
        return value != null
                ? value
                : ServiceConfiguration.of("worker-service").envDefaults().get(name);
    }

    /** A custom resource: the four top-level fields only, and metadata as strict as a core type's. */
    static void requireResourceShape(JsonNode resource) {
        StrictKubernetesModel.requireOnlyFields(
                resource, Set.of("apiVersion", "kind", "metadata", "spec"), KustomizeRenderer.id(resource));
        StrictKubernetesModel.parse(resource.path("metadata"), ObjectMeta.class);
    }

    private static Map<String, String> labels(Service service) {
        return service.getMetadata().getLabels() == null
                ? Map.of()
                : service.getMetadata().getLabels();
    }

    private static JsonNode only(List<JsonNode> nodes) {
        assertEquals(1, nodes.size(), "expected exactly one");
        return nodes.get(0);
    }

    private static JsonNode only(JsonNode array) {
        assertTrue(array.isArray() && array.size() == 1, "expected a list of one, got " + array);
        return array.get(0);
    }
}
