package io.premiumbot.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.fabric8.kubernetes.api.model.apps.Deployment;

/** The JVM images: what the Deployments assume about them. */
class DockerfileTest {

    private static final Pattern USER = Pattern.compile("^USER\\s+(\\d+)(?::\\d+)?\\s*$", Pattern.MULTILINE);
    private static final Pattern SECRET_NAME = Pattern.compile("TOKEN|SECRET|PASSWORD|PRIVATE_KEY");

    @ParameterizedTest
    @ValueSource(strings = {"api-service", "worker-service"})
    void theImageRunsThePackagedJarOnAJava25Runtime(String service) throws IOException {
        String dockerfile = dockerfile(service);
        assertTrue(
                Pattern.compile("(?m)^ARG JRE_IMAGE=\\S*:25[.\\w-]*|^FROM \\S*:25[.\\w-]*")
                        .matcher(dockerfile)
                        .find(),
                service + ": not a Java 25 runtime base");
        for (String part :
                List.of("target/quarkus-app/lib/", "target/quarkus-app/app/", "target/quarkus-app/quarkus/")) {
            assertTrue(dockerfile.contains(part), service + ": the image misses " + part);
        }
        assertTrue(dockerfile.contains("quarkus-run.jar"), service + ": the jar starts from quarkus-run.jar");
        assertTrue(dockerfile.contains("$JAVA_OPTS_APPEND"), service + ": JAVA_OPTS_APPEND must reach the JVM");
        assertTrue(
                dockerfile.contains("-XX:MaxRAMPercentage="), service + ": the heap must follow the container limit");
        assertTrue(dockerfile.contains("exec java"), service + ": java must be PID 1 to receive SIGTERM");
    }

    @ParameterizedTest
    @ValueSource(strings = {"api-service", "worker-service"})
    void theImageUsesTheAotCacheOnlyWhenTheBuildRecordedOne(String service) throws IOException {
        String dockerfile = dockerfile(service);
        assertTrue(dockerfile.contains("target/quarkus-app/*.aot"), service + ": the recorded cache is not copied");
        assertTrue(
                dockerfile.contains("[ -f /deployments/app.aot ] && aot=-XX:AOTCache=/deployments/app.aot"),
                service + ": -XX:AOTCache must be given only when the cache is in the image");
    }

    @ParameterizedTest
    @ValueSource(strings = {"api-service", "worker-service"})
    void theImageRunsWithTheOptionsTheCacheIsRecordedWith(String service) throws IOException {
        // the JVM refuses a cache recorded with another GC or object-header layout (one warning, then a slow start)
        String recording = Files.readString(Repo.ROOT.resolve("deploy").resolve("aot-record.sh"));
        String dockerfile = dockerfile(service);
        for (String option : List.of("-XX:+UseSerialGC", "-XX:+UseCompactObjectHeaders")) {
            assertTrue(recording.contains(option), "deploy/aot-record.sh no longer records with " + option);
            assertTrue(dockerfile.contains(option), service + ": the image runs without " + option);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"api-service", "worker-service"})
    void theImageRunsAsTheNonRootUserTheDeploymentExpects(String service) throws IOException {
        Matcher user = USER.matcher(dockerfile(service));
        assertTrue(user.find(), service + ": no numeric USER (runAsNonRoot can only verify a numeric one)");
        long uid = Long.parseLong(user.group(1));
        assertTrue(uid > 0, service + " runs as root");
        Deployment deployment = Rendered.base().one(Deployment.class, service);
        assertEquals(
                uid,
                deployment
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getSecurityContext()
                        .getRunAsUser());
    }

    @ParameterizedTest
    @ValueSource(strings = {"api-service", "worker-service"})
    void theImageBakesInNoSecret(String service) throws IOException {
        for (String line : dockerfile(service).lines().toList()) {
            String instruction = line.strip().toUpperCase(Locale.ROOT);
            if (instruction.startsWith("ENV ") || instruction.startsWith("ARG ")) {
                assertFalse(SECRET_NAME.matcher(instruction).find(), service + ": " + line.strip());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"api-service", "worker-service"})
    void theImageExposesThePortTheServiceListensOn(String service) throws IOException {
        assertTrue(dockerfile(service)
                .contains("EXPOSE " + ServiceConfiguration.of(service).httpPort()));
    }

    private static String dockerfile(String service) throws IOException {
        return Files.readString(Repo.ROOT.resolve(service).resolve(Path.of("src", "main", "docker", "Dockerfile.jvm")));
    }
}
