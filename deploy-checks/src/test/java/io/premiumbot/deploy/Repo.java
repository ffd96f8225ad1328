package io.premiumbot.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Where the repository's files are, seen from the deploy-checks tests. */
final class Repo {

    static final Path ROOT = Path.of(System.getProperty("premium.repo.root", ".."))
            .toAbsolutePath()
            .normalize();
    static final Path K8S = ROOT.resolve("k8s");
    static final Path BASE = K8S.resolve("base");
    static final Path EXAMPLE_SECRET = K8S.resolve("secret.example.env");
    /** The Secret every Deployment takes its secret env from, key by key. */
    static final String SECRET_NAME = "premium-secrets";

    private Repo() {}

    /** Every overlay folder under k8s/overlays: a new overlay is checked without touching the tests. */
    static List<String> overlays() {
        try (Stream<Path> dirs = Files.list(K8S.resolve("overlays"))) {
            return dirs.filter(Files::isDirectory)
                    .map(d -> d.getFileName().toString())
                    .sorted()
                    .toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static Path overlay(String name) {
        return K8S.resolve("overlays").resolve(name);
    }
}
