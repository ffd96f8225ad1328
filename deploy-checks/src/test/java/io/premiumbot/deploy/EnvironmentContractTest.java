package io.premiumbot.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.apps.Deployment;

/** The environment the manifests give each service is exactly what that service reads. */
class EnvironmentContractTest {

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("io.premiumbot.deploy.Overlays#withServices")
    void everyEnvVarSetIsOneTheServiceReads(String overlay, String service) {
        ServiceConfiguration configuration = ServiceConfiguration.of(service);
        Set<String> unread = new TreeSet<>(envGiven(Rendered.overlay(overlay), service));
        unread.removeIf(name -> configuration.envRead().contains(name) || ServiceConfiguration.isPlatformEnv(name));
        assertTrue(
                unread.isEmpty(),
                service + " is given env it never reads: " + unread + " (it reads " + configuration.envRead() + ")");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("io.premiumbot.deploy.Overlays#withServices")
    void everySettingTheServiceRequiresWithoutADefaultIsProvided(String overlay, String service) {
        Set<String> missing = new TreeSet<>(ServiceConfiguration.of(service).envRequired());
        missing.removeAll(envGiven(Rendered.overlay(overlay), service));
        assertTrue(missing.isEmpty(), service + " would fail to start without " + missing);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("io.premiumbot.deploy.Overlays#withServices")
    void secretsArriveKeyByKeyFromTheOneSecretAndNeverAsLiterals(String overlay, String service) {
        Container container = Overlays.container(Rendered.overlay(overlay).one(Deployment.class, service));
        Set<String> secretKeys = ExampleSecret.keys();
        for (EnvFromSource source : container.getEnvFrom()) {
            assertNull(
                    source.getSecretRef(), service + ": envFrom a Secret would hand it every secret; refer key by key");
        }
        for (EnvVar env : container.getEnv()) {
            if (secretKeys.contains(env.getName())) {
                assertNull(env.getValue(), service + ": " + env.getName() + " is a secret and has a literal value");
                assertNotNull(env.getValueFrom(), service + ": " + env.getName() + " must come from the Secret");
            }
            SecretKeySelector ref =
                    env.getValueFrom() == null ? null : env.getValueFrom().getSecretKeyRef();
            if (ref != null) {
                assertEquals(Repo.SECRET_NAME, ref.getName(), service + ": " + env.getName());
                assertEquals(env.getName(), ref.getKey(), service + ": the Secret key names the env var");
                assertTrue(
                        secretKeys.contains(ref.getKey()),
                        service + ": " + ref.getKey() + " is not in k8s/secret.example.env");
            }
        }
        for (ConfigMap configMap : Rendered.overlay(overlay).all(ConfigMap.class)) {
            Set<String> leaked = new TreeSet<>(configMap.getData().keySet());
            leaked.retainAll(secretKeys);
            assertTrue(leaked.isEmpty(), configMap.getMetadata().getName() + " holds secrets " + leaked);
        }
    }

    @Test
    void theExampleSecretListsExactlyTheKeysTheDeploymentsReferTo() {
        Set<String> referred = new TreeSet<>();
        for (Deployment deployment : Rendered.base().deployments()) {
            for (EnvVar env : Overlays.container(deployment).getEnv()) {
                if (env.getValueFrom() != null && env.getValueFrom().getSecretKeyRef() != null) {
                    referred.add(env.getValueFrom().getSecretKeyRef().getKey());
                }
            }
        }
        assertEquals(referred, ExampleSecret.keys());
        assertTrue(referred.containsAll(
                List.of("TELEGRAM_BOT_TOKEN", "TELEGRAM_WEBHOOK_SECRET", "ADMIN_API_TOKEN", "DB_PASSWORD")));
    }

    /** Names set directly plus every key of the ConfigMaps loaded whole; a missing ConfigMap fails. */
    static Set<String> envGiven(Rendered rendered, String service) {
        Container container = Overlays.container(rendered.one(Deployment.class, service));
        Set<String> names = new TreeSet<>();
        container.getEnv().forEach(e -> names.add(e.getName()));
        for (EnvFromSource source : container.getEnvFrom()) {
            if (source.getConfigMapRef() != null) {
                ConfigMap configMap =
                        rendered.one(ConfigMap.class, source.getConfigMapRef().getName());
                names.addAll(configMap.getData().keySet());
            }
        }
        return names;
    }
}
