package io.premiumbot.model.logging;

import java.util.List;

import org.eclipse.microprofile.config.Config;

import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;

/** At startup, hands the values of every configured secret to the masker, whichever service this is. */
@Startup
@ApplicationScoped
public class KnownSecrets {

    static final List<String> SECRET_PROPERTIES = List.of(
            "telegram.bot-token",
            "telegram.webhook-secret",
            "admin.api-token",
            "quarkus.datasource.password",
            "tron.api-key");

    private final Config config;

    public KnownSecrets(Config config) {
        this.config = config;
    }

    @PostConstruct
    void register() {
        for (String property : SECRET_PROPERTIES) {
            config.getOptionalValue(property, String.class).ifPresent(SecretMasker::registerSecret);
        }
    }
}
