package io.premiumbot.api.console;

import java.time.ZoneId;

import io.quarkus.qute.TemplateData;

/**
 * What every console page shows around its content: who is signed in, the CSRF token its forms carry, the
 * language, which writes the operator's role allows (forms they can't use are not shown), and the time zone its times
 * are shown in.
 */
@TemplateData
public record Page(
        String operator,
        String role,
        String csrf,
        String lang,
        boolean canAct,
        boolean canAdminister,
        String notice,
        ZoneId zone) {}
