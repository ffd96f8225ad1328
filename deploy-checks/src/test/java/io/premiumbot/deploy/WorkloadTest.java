package io.premiumbot.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;

class WorkloadTest {

    private static final Pattern MAX_RAM = Pattern.compile("-XX:MaxRAMPercentage=(\\d+(?:\\.\\d+)?)");

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("io.premiumbot.deploy.Overlays#withServices")
    void everyProbeHitsAHealthPathTheServiceServes(String overlay, String service) {
        Container container = Overlays.container(Rendered.overlay(overlay).one(Deployment.class, service));
        Map<String, Probe> probes = Map.of(
                "/q/health/started", container.getStartupProbe(),
                "/q/health/live", container.getLivenessProbe(),
                "/q/health/ready", container.getReadinessProbe());
        int servicePort = ServiceConfiguration.of(service).httpPort();
        probes.forEach((path, probe) -> {
            assertNotNull(probe, service + " has no probe for " + path);
            assertNotNull(probe.getHttpGet(), service + ": the probe for " + path + " is not an HTTP GET");
            assertEquals(path, probe.getHttpGet().getPath(), service + ": probe path");
            ContainerPort port = Overlays.port(container, probe.getHttpGet().getPort());
            assertNotNull(port, service + ": probe for " + path + " names no container port");
            assertEquals(servicePort, port.getContainerPort(), service + ": probe for " + path + " port");
        });
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("io.premiumbot.deploy.Overlays#withServices")
    void theContainerPortIsThePortTheServiceListensOn(String overlay, String service) {
        Container container = Overlays.container(Rendered.overlay(overlay).one(Deployment.class, service));
        int servicePort = ServiceConfiguration.of(service).httpPort();
        assertEquals(1, container.getPorts().size(), service + ": one HTTP port");
        assertEquals(servicePort, container.getPorts().get(0).getContainerPort());
        container.getEnv().stream()
                .filter(e -> e.getName().equals("HTTP_PORT"))
                .forEach(e -> assertEquals(
                        String.valueOf(servicePort),
                        e.getValue(),
                        service + ": HTTP_PORT disagrees with the container port"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("io.premiumbot.deploy.Overlays#withServices")
    void podsRunAsNonRootOnAReadOnlyRootFilesystemWithTmpOnAnEmptyDir(String overlay, String service) {
        PodSpec pod = Rendered.overlay(overlay)
                .one(Deployment.class, service)
                .getSpec()
                .getTemplate()
                .getSpec();
        Container container = Overlays.container(Rendered.overlay(overlay).one(Deployment.class, service));
        assertEquals(Boolean.TRUE, pod.getSecurityContext().getRunAsNonRoot(), service + ": runAsNonRoot");
        assertTrue(pod.getSecurityContext().getRunAsUser() != null
                && pod.getSecurityContext().getRunAsUser() > 0);
        assertEquals(
                Boolean.TRUE,
                container.getSecurityContext().getReadOnlyRootFilesystem(),
                service + ": readOnlyRootFilesystem");
        assertEquals(Boolean.FALSE, container.getSecurityContext().getAllowPrivilegeEscalation());
        assertTrue(container.getSecurityContext().getCapabilities().getDrop().contains("ALL"));
        VolumeMount tmp = container.getVolumeMounts().stream()
                .filter(m -> m.getMountPath().equals("/tmp"))
                .findFirst()
                .orElseThrow(
                        () -> new AssertionError(service + ": /tmp is not mounted; the JVM and Vert.x write there"));
        Volume volume = pod.getVolumes().stream()
                .filter(v -> v.getName().equals(tmp.getName()))
                .findFirst()
                .orElseThrow();
        assertNotNull(volume.getEmptyDir(), service + ": /tmp must be an emptyDir");
        assertEquals(
                Boolean.FALSE,
                pod.getAutomountServiceAccountToken(),
                service + ": the services never call the Kubernetes API");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("io.premiumbot.deploy.Overlays#withServices")
    void everyContainerHasRequestsAndLimitsAndAHeapThatFitsUnderTheLimit(String overlay, String service) {
        Container container = Overlays.container(Rendered.overlay(overlay).one(Deployment.class, service));
        Map<String, Quantity> requests = container.getResources().getRequests();
        Map<String, Quantity> limits = container.getResources().getLimits();
        for (String resource : new String[] {"cpu", "memory"}) {
            assertNotNull(requests.get(resource), service + ": no " + resource + " request");
            assertNotNull(limits.get(resource), service + ": no " + resource + " limit");
            assertTrue(
                    requests.get(resource)
                                    .getNumericalAmount()
                                    .compareTo(limits.get(resource).getNumericalAmount())
                            <= 0,
                    service + ": " + resource + " request above its limit");
        }
        double limitMiB = limits.get("memory").getNumericalAmount().doubleValue() / (1024 * 1024);
        // Measured RSS: api-service ~270 MB unbounded, worker ~140 MB; below 256 MiB the JVM has no room.
        assertTrue(limitMiB >= 256, service + ": memory limit " + limitMiB + " MiB is below what the service needs");

        String javaOpts = container.getEnv().stream()
                .filter(e -> e.getName().equals("JAVA_OPTS_APPEND"))
                .map(EnvVar::getValue)
                .findFirst()
                .orElse("");
        Matcher ratio = MAX_RAM.matcher(javaOpts);
        assertTrue(ratio.find(), service + ": JAVA_OPTS_APPEND sets no -XX:MaxRAMPercentage next to the memory limit");
        double percent = Double.parseDouble(ratio.group(1));
        // The heap must leave ~120-150 MiB for metaspace, code cache, threads and direct buffers.
        assertTrue(percent >= 25 && percent <= 75, service + ": MaxRAMPercentage " + percent);
        assertTrue(
                limitMiB * (100 - percent) / 100 >= 128,
                service + ": " + limitMiB + " MiB at " + percent
                        + "% heap leaves less than 128 MiB for non-heap memory");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("io.premiumbot.deploy.Overlays#withServices")
    void podsGetEnoughGraceToFinishWhatTheyHold(String overlay, String service) {
        PodSpec pod = Rendered.overlay(overlay)
                .one(Deployment.class, service)
                .getSpec()
                .getTemplate()
                .getSpec();
        // The worker's Bot API call times out after 30 s; it needs that plus the ack and shutdown.
        long needed = service.equals("worker-service") ? 60 : 30;
        assertTrue(
                pod.getTerminationGracePeriodSeconds() >= needed,
                service + ": terminationGracePeriodSeconds " + pod.getTerminationGracePeriodSeconds() + " < " + needed);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("io.premiumbot.deploy.Overlays#withServices")
    void autoscaledDeploymentsLeaveTheReplicaCountToTheirAutoscaler(String overlay, String service) {
        Deployment deployment = Rendered.overlay(overlay).one(Deployment.class, service);
        // A fixed replicas field would reset the autoscaler's choice on every apply.
        assertEquals(null, deployment.getSpec().getReplicas(), service + " sets spec.replicas");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("io.premiumbot.deploy.Overlays#withServices")
    void everyOverlayPinsItsImagesToATagOtherThanLatest(String overlay, String service) {
        Deployment deployment = Rendered.overlay(overlay).one(Deployment.class, service);
        String image = deployment
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getImage();
        assertTrue(image.contains(":") || image.contains("@"), service + ": untagged image " + image);
        assertFalse(
                deployment
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getImage()
                        .endsWith(":latest"),
                service + ": an overlay must pin an image tag");
    }
}
