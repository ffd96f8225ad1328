package io.premiumbot.deploy;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;

class NetworkPolicyTest {

    @ParameterizedTest
    @MethodSource("io.premiumbot.deploy.Overlays#names")
    void everyPodIsDeniedByDefaultBothWays(String overlay) {
        Rendered rendered = Rendered.overlay(overlay);
        for (Deployment deployment : rendered.deployments()) {
            assertTrue(
                    rendered.all(NetworkPolicy.class).stream()
                            .anyMatch(p -> selects(p, deployment)
                                    && p.getSpec().getPolicyTypes().containsAll(List.of("Ingress", "Egress"))
                                    && p.getSpec().getIngress().isEmpty()
                                    && p.getSpec().getEgress().isEmpty()),
                    deployment.getMetadata().getName() + " has no default-deny policy");
        }
    }

    @ParameterizedTest
    @MethodSource("io.premiumbot.deploy.Overlays#names")
    void theIngressControllerReachesApiServiceOnItsPort(String overlay) {
        Rendered rendered = Rendered.overlay(overlay);
        Deployment api = rendered.one(Deployment.class, "api-service");
        int port = Overlays.container(api).getPorts().get(0).getContainerPort();
        boolean open = ingressRules(rendered, api)
                .filter(rule -> allowsPort(rule.getPorts(), port, "TCP"))
                .flatMap(rule -> rule.getFrom().stream())
                .anyMatch(peer -> peer.getNamespaceSelector() != null
                        && "ingress-nginx"
                                .equals(peer.getNamespaceSelector()
                                        .getMatchLabels()
                                        .get("kubernetes.io/metadata.name")));
        assertTrue(open, "no policy lets the ingress controller reach api-service on " + port);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("io.premiumbot.deploy.Overlays#withServices")
    void eachServiceReachesDnsPostgresRedisAndTheCollector(String overlay, String service) {
        Rendered rendered = Rendered.overlay(overlay);
        Deployment deployment = rendered.one(Deployment.class, service);
        Map<String, Integer> needed = Map.of(
                "DNS", 53,
                "PostgreSQL (DB_URL)",
                        URI.create(rendered.configValue("DB_URL")).getPort(),
                "Redis (REDIS_URL)",
                        URI.create(rendered.configValue("REDIS_URL")
                                        .split(",")[0]
                                        .strip())
                                .getPort(),
                "OTel collector",
                        URI.create(rendered.configValue("OTEL_EXPORTER_OTLP_ENDPOINT"))
                                .getPort());
        needed.forEach((what, port) -> assertTrue(
                egressRules(rendered, deployment)
                        .anyMatch(rule -> allowsPort(rule.getPorts(), port, what.equals("DNS") ? "UDP" : "TCP")),
                service + " can't reach " + what + " on port " + port));
    }

    @ParameterizedTest
    @MethodSource("io.premiumbot.deploy.Overlays#names")
    void theWorkerReachesHttpsOutsideTheClusterForTelegramAndTron(String overlay) {
        Rendered rendered = Rendered.overlay(overlay);
        Deployment worker = rendered.one(Deployment.class, "worker-service");
        assertTrue(
                egressRules(rendered, worker)
                        .anyMatch(rule -> allowsPort(rule.getPorts(), 443, "TCP")
                                && rule.getTo().stream()
                                        .map(NetworkPolicyPeer::getIpBlock)
                                        .filter(Objects::nonNull)
                                        .anyMatch(block -> block.getCidr().equals("0.0.0.0/0"))),
                "worker-service has no egress to the internet on 443");
    }

    @ParameterizedTest
    @MethodSource("io.premiumbot.deploy.Overlays#names")
    void noPolicyOpensEveryPortFromEverywhere(String overlay) {
        for (NetworkPolicy policy : Rendered.overlay(overlay).all(NetworkPolicy.class)) {
            for (NetworkPolicyIngressRule rule : policy.getSpec().getIngress()) {
                assertFalse(
                        rule.getFrom().isEmpty() && rule.getPorts().isEmpty(),
                        policy.getMetadata().getName() + " admits anything");
            }
            for (NetworkPolicyEgressRule rule : policy.getSpec().getEgress()) {
                assertFalse(
                        rule.getPorts().isEmpty(), policy.getMetadata().getName() + " lets traffic out on every port");
            }
        }
    }

    private static boolean selects(NetworkPolicy policy, Deployment deployment) {
        return Rendered.selects(policy.getSpec().getPodSelector(), Rendered.podLabels(deployment));
    }

    private static Stream<NetworkPolicyIngressRule> ingressRules(Rendered rendered, Deployment deployment) {
        return rendered.all(NetworkPolicy.class).stream()
                .filter(p -> selects(p, deployment))
                .flatMap(p -> p.getSpec().getIngress().stream());
    }

    private static Stream<NetworkPolicyEgressRule> egressRules(Rendered rendered, Deployment deployment) {
        return rendered.all(NetworkPolicy.class).stream()
                .filter(p -> selects(p, deployment))
                .flatMap(p -> p.getSpec().getEgress().stream());
    }

    private static boolean allowsPort(List<NetworkPolicyPort> ports, int port, String protocol) {
        return ports.isEmpty()
                || ports.stream().anyMatch(p -> {
                    IntOrString value = p.getPort();
                    String portProtocol = p.getProtocol() == null ? "TCP" : p.getProtocol();
                    return portProtocol.equals(protocol)
                            && value != null
                            && Integer.valueOf(port).equals(value.getIntVal());
                });
    }
}
