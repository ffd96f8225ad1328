package io.premiumbot.deploy;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.provider.Arguments;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.Deployment;

/** Parameter sources and small lookups shared by the checks. */
final class Overlays {

    private Overlays() {}

    static List<String> names() {
        return Repo.overlays();
    }

    /** (overlay, Deployment name): the Deployment's name is also the service's module folder. */
    static Stream<Arguments> withServices() {
        return names().stream()
                .flatMap(overlay -> Rendered.overlay(overlay).deployments().stream()
                        .map(d -> Arguments.of(overlay, d.getMetadata().getName())));
    }

    static Container container(Deployment deployment) {
        List<Container> containers =
                deployment.getSpec().getTemplate().getSpec().getContainers();
        if (containers.size() != 1) {
            throw new AssertionError(
                    deployment.getMetadata().getName() + ": expected one container, found " + containers.size());
        }
        return containers.get(0);
    }

    /** The container port a probe or Service names, by number or by port name; null when there is none. */
    static ContainerPort port(Container container, IntOrString reference) {
        return container.getPorts().stream()
                .filter(p -> reference.getIntVal() != null
                        ? p.getContainerPort().equals(reference.getIntVal())
                        : reference.getStrVal().equals(p.getName()))
                .findFirst()
                .orElse(null);
    }
}
