package io.premiumbot.api.operators;

import java.lang.reflect.Method;
import java.util.Optional;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.premiumbot.api.support.Problem;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * No anonymous operator call. {@code /admin} takes a bearer token (a named operator's, or the scripts' shared
 * one); {@code /console} a session cookie from signing in. Either way the operator's role must cover the call
 * ({@link Allowed}), and {@link CurrentOperator} then names them for the audit log.
 */
public class AccessFilter {

    public static final String SESSION_COOKIE = "console_session";
    private static final String BEARER = "Bearer ";

    private final OperatorDirectory directory;
    private final ConsoleSessions sessions;
    private final CurrentOperator current;

    public AccessFilter(OperatorDirectory directory, ConsoleSessions sessions, CurrentOperator current) {
        this.directory = directory;
        this.sessions = sessions;
        this.current = current;
    }

    @ServerRequestFilter
    public Uni<Response> authorize(ContainerRequestContext request, ResourceInfo resource, HttpServerRequest http) {
        String path = request.getUriInfo().getPath();
        String remote =
                http.remoteAddress() == null ? null : http.remoteAddress().hostAddress();
        Role needed = needed(resource.getResourceMethod(), request.getMethod());
        if (path.equals("/admin") || path.startsWith("/admin/")) {
            return Uni.createFrom().item(bearer(request, needed, remote));
        }
        if (path.startsWith("/console") && !isPublicConsolePath(path)) {
            return session(request, needed, remote);
        }
        return Uni.createFrom().nullItem();
    }

    private Response bearer(ContainerRequestContext request, Role needed, String remote) {
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        String presented = header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())
                ? header.substring(BEARER.length()).trim()
                : null;
        Optional<Account> account = directory.byToken(presented);
        if (account.isEmpty()) {
            Response problem =
                    Problem.response(Response.Status.UNAUTHORIZED, "a valid operator bearer token is required");
            return Response.fromResponse(problem)
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"operator\"")
                    .build();
        }
        if (!account.get().role().includes(needed)) {
            return Problem.response(Response.Status.FORBIDDEN, refusal(account.get(), needed));
        }
        current.signIn(account.get(), remote, null);
        return null;
    }

    private Uni<Response> session(ContainerRequestContext request, Role needed, String remote) {
        Cookie cookie = request.getCookies().get(SESSION_COOKIE);
        return sessions.find(cookie == null ? null : cookie.getValue()).map(found -> {
            Optional<Account> account = found.flatMap(session -> directory.byName(session.operatorName()));
            if (account.isEmpty()) {
                return Response.seeOther(java.net.URI.create("/console/login")).build();
            }
            if (!account.get().role().includes(needed)) {
                return Response.status(Response.Status.FORBIDDEN)
                        .type(MediaType.TEXT_PLAIN_TYPE.withCharset("UTF-8"))
                        .entity(refusal(account.get(), needed))
                        .build();
            }
            current.signIn(account.get(), remote, found.get().csrfToken());
            return null;
        });
    }

    private static boolean isPublicConsolePath(String path) {
        return path.equals("/console/login") || path.equals("/console/language");
    }

    static Role needed(Method method, String httpMethod) {
        Allowed allowed = method == null ? null : method.getAnnotation(Allowed.class);
        if (allowed != null) {
            return allowed.value();
        }
        return HttpMethod.GET.equals(httpMethod) || HttpMethod.HEAD.equals(httpMethod) ? Role.VIEWER : Role.ADMIN;
    }

    private static String refusal(Account account, Role needed) {
        return "operator " + account.name() + " is a " + account.role().name().toLowerCase() + "; this needs "
                + needed.name().toLowerCase();
    }
}
