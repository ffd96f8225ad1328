package io.premiumbot.api.console;

import java.net.URI;
import java.util.Optional;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestForm;

import io.premiumbot.api.operators.AccessFilter;
import io.premiumbot.api.operators.Account;
import io.premiumbot.api.operators.Allowed;
import io.premiumbot.api.operators.ConsoleSessions;
import io.premiumbot.api.operators.CurrentOperator;
import io.premiumbot.api.operators.OperatorDirectory;
import io.premiumbot.api.operators.Role;
import io.premiumbot.api.support.ApiConfig;
import io.premiumbot.api.support.Secrets;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;

/** Signing in with an operator token (it becomes an HttpOnly, SameSite=Strict session cookie), signing out, the language. */
@Path("/console")
public class ConsoleSignIn {

    private static final Logger LOG = Logger.getLogger(ConsoleSignIn.class);

    private final OperatorDirectory directory;
    private final ConsoleSessions sessions;
    private final CurrentOperator current;
    private final ApiConfig.Console console;

    public ConsoleSignIn(
            OperatorDirectory directory, ConsoleSessions sessions, CurrentOperator current, ApiConfig.Console console) {
        this.directory = directory;
        this.sessions = sessions;
        this.current = current;
        this.console = console;
    }

    @GET
    @Path("login")
    public Uni<Response> form(@Context HttpHeaders headers) {
        return ConsolePages.render(
                ConsoleTemplates.login(ConsolePages.language(headers), null),
                ConsolePages.language(headers),
                Status.OK);
    }

    @POST
    @Path("login")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> signIn(@RestForm("token") String token, @Context HttpHeaders headers) {
        String lang = ConsolePages.language(headers);
        Optional<Account> account = directory.byToken(token == null ? null : token.strip());
        // the shared script token stays a script token: a person signs in under their own name
        if (account.isEmpty() || account.get().name().equals(OperatorDirectory.SCRIPT_NAME)) {
            LOG.info("event=console_sign_in_refused");
            return ConsolePages.render(ConsoleTemplates.login(lang, "refused"), lang, Status.UNAUTHORIZED);
        }
        return sessions.open(account.get()).map(opened -> {
            LOG.infof("event=console_signed_in operator=%s", account.get().name());
            return Response.seeOther(URI.create("/console"))
                    .cookie(sessionCookie(
                            opened.cookieValue(), console.sessionTtl().toSeconds()))
                    .build();
        });
    }

    @POST
    @Path("logout")
    @Allowed(Role.VIEWER)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> signOut(
            @RestForm("_csrf") String csrf, @CookieParam(AccessFilter.SESSION_COOKIE) String session) {
        if (!Secrets.matches(csrf, current.csrfToken())) {
            return Uni.createFrom()
                    .item(Response.status(Status.FORBIDDEN)
                            .type(MediaType.TEXT_PLAIN_TYPE)
                            .entity("CSRF token missing or wrong")
                            .build());
        }
        String name = current.account().name();
        return sessions.close(session).map(closed -> {
            LOG.infof("event=console_signed_out operator=%s", name);
            return Response.seeOther(URI.create("/console/login"))
                    .cookie(sessionCookie("", 0))
                    .build();
        });
    }

    /** The language switch: a plain link, so it works before and after signing in. */
    @GET
    @Path("language")
    public Response language(@QueryParam("to") String to, @QueryParam("back") String back) {
        String lang = "zh".equals(to) ? "zh" : "en";
        // only a path inside the console: the switch never sends anyone elsewhere
        String target = back != null && back.startsWith("/console") && !back.startsWith("//") && !back.contains("\\")
                ? back
                : "/console";
        NewCookie cookie = new NewCookie.Builder(ConsolePages.LANGUAGE_COOKIE)
                .value(lang)
                .path("/console")
                .maxAge(365 * 24 * 3600)
                .sameSite(NewCookie.SameSite.STRICT)
                .build();
        return Response.seeOther(URI.create(target)).cookie(cookie).build();
    }

    private NewCookie sessionCookie(String value, long maxAgeSeconds) {
        return new NewCookie.Builder(AccessFilter.SESSION_COOKIE)
                .value(value)
                .path("/console")
                .maxAge((int) maxAgeSeconds)
                .httpOnly(true)
                .secure(console.secureCookie())
                .sameSite(NewCookie.SameSite.STRICT)
                .build();
    }
}
