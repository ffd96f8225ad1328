package io.premiumbot.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressServiceBackend;

class RoutingTest {

    static final String WEBHOOK_PATH = "/telegram/webhook";

    @ParameterizedTest
    @MethodSource("io.premiumbot.deploy.Overlays#names")
    void everyServiceSelectsTheDeploymentsPodsAndTargetsAPortTheyOpen(String overlay) {
        Rendered rendered = Rendered.overlay(overlay);
        for (Service service : rendered.all(Service.class)) {
            Map<String, String> selector = service.getSpec().getSelector();
            assertFalse(
                    selector == null || selector.isEmpty(),
                    service.getMetadata().getName() + " selects nothing");
            List<Deployment> selected = rendered.deployments().stream()
                    .filter(d -> Rendered.podLabels(d).entrySet().containsAll(selector.entrySet()))
                    .toList();
            assertEquals(
                    1,
                    selected.size(),
                    service.getMetadata().getName() + " selects " + selected.size() + " Deployments");
            for (ServicePort port : service.getSpec().getPorts()) {
                assertNotNull(
                        Overlays.port(Overlays.container(selected.get(0)), port.getTargetPort()),
                        service.getMetadata().getName() + ": targetPort " + port.getTargetPort()
                                + " is not a container port");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.premiumbot.deploy.Overlays#names")
    void theOnlyPublicPathIsTheWebhookOverTls(String overlay) {
        List<String> publicPaths = new ArrayList<>();
        for (Ingress ingress : Rendered.overlay(overlay).all(Ingress.class)) {
            assertNull(ingress.getSpec().getDefaultBackend(), "a default backend would publish every path");
            for (IngressRule rule : ingress.getSpec().getRules()) {
                assertNotNull(rule.getHost(), "a rule without host answers for any name");
                assertTrue(
                        ingress.getSpec().getTls() != null
                                && ingress.getSpec().getTls().stream()
                                        .anyMatch(tls -> tls.getHosts().contains(rule.getHost())),
                        rule.getHost() + " is served without TLS");
                for (HTTPIngressPath path : rule.getHttp().getPaths()) {
                    publicPaths.add(path.getPathType() + " " + path.getPath());
                }
            }
        }
        assertEquals(List.of("Exact " + WEBHOOK_PATH), publicPaths);
    }

    @ParameterizedTest
    @MethodSource("io.premiumbot.deploy.Overlays#names")
    void ingressBackendsNameExistingServicesAndTheirPorts(String overlay) {
        Rendered rendered = Rendered.overlay(overlay);
        for (Ingress ingress : rendered.all(Ingress.class)) {
            for (IngressRule rule : ingress.getSpec().getRules()) {
                for (HTTPIngressPath path : rule.getHttp().getPaths()) {
                    IngressServiceBackend backend = path.getBackend().getService();
                    Service service = rendered.one(Service.class, backend.getName());
                    assertTrue(
                            service.getSpec().getPorts().stream()
                                    .anyMatch(p -> backend.getPort().getName() != null
                                            ? backend.getPort().getName().equals(p.getName())
                                            : backend.getPort().getNumber().equals(p.getPort())),
                            "the Ingress names port " + backend.getPort() + " that Service " + backend.getName()
                                    + " lacks");
                    assertEquals("api-service", backend.getName(), "the webhook is served by api-service");
                }
            }
        }
    }
}
