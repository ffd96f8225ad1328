package io.premiumbot.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressServiceBackend;

class RoutingTest {

    static final String WEBHOOK_PATH = "/telegram/webhook";

    @ParameterizedTest
    @MethodSource("io.premiumbot.deploy.Overlays#names")
    void everyServiceSelectsOneWorkloadsPodsAndTargetsAPortTheyOpen(String overlay) {
        Rendered rendered = Rendered.overlay(overlay);
        Map<String, PodTemplateSpec> workloads = new TreeMap<>();
        rendered.deployments()
                .forEach(d -> workloads.put(
                        "Deployment/" + d.getMetadata().getName(), d.getSpec().getTemplate()));
        rendered.all(StatefulSet.class)
                .forEach(s -> workloads.put(
                        "StatefulSet/" + s.getMetadata().getName(), s.getSpec().getTemplate()));
        for (Service service : rendered.all(Service.class)) {
            Map<String, String> selector = service.getSpec().getSelector();
            assertFalse(
                    selector == null || selector.isEmpty(),
                    service.getMetadata().getName() + " selects nothing");
            List<PodTemplateSpec> selected = workloads.values().stream()
                    .filter(pod -> pod.getMetadata().getLabels().entrySet().containsAll(selector.entrySet()))
                    .toList();
            assertEquals(
                    1, selected.size(), service.getMetadata().getName() + " selects " + selected.size() + " workloads");
            List<Container> containers = selected.get(0).getSpec().getContainers();
            for (ServicePort port : service.getSpec().getPorts()) {
                assertTrue(
                        containers.stream().anyMatch(c -> Overlays.port(c, port.getTargetPort()) != null),
                        service.getMetadata().getName() + ": targetPort " + port.getTargetPort()
                                + " is not a container port");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.premiumbot.deploy.Overlays#names")
    void everyStatefulSetIsGovernedByAHeadlessServiceThatSelectsIt(String overlay) {
        // the pods' stable DNS names (<pod>.<serviceName>…) exist only through that Service
        Rendered rendered = Rendered.overlay(overlay);
        for (StatefulSet set : rendered.all(StatefulSet.class)) {
            Service governing = rendered.one(Service.class, set.getSpec().getServiceName());
            assertEquals(
                    "None",
                    governing.getSpec().getClusterIP(),
                    governing.getMetadata().getName() + " is not headless");
            assertTrue(
                    set.getSpec()
                            .getTemplate()
                            .getMetadata()
                            .getLabels()
                            .entrySet()
                            .containsAll(governing.getSpec().getSelector().entrySet()),
                    governing.getMetadata().getName() + " doesn't select "
                            + set.getMetadata().getName());
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
