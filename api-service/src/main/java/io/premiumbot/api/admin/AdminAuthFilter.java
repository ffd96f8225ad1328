package io.premiumbot.api.admin;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.premiumbot.api.support.ApiConfig;
import io.premiumbot.api.support.Problem;
import io.premiumbot.api.support.Secrets;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

/** No anonymous access to the operator API: a bearer token compared in constant time. */
public class AdminAuthFilter {

    private static final String BEARER = "Bearer ";
    private final ApiConfig.Admin admin;

    public AdminAuthFilter(ApiConfig.Admin admin) {
        this.admin = admin;
    }

    // after matching: the 401's metric carries the route template (or NOT_FOUND), never a caller's raw path
    @ServerRequestFilter
    public Response requireOperatorToken(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!path.equals("/admin") && !path.startsWith("/admin/")) {
            return null;
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        String presented = header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())
                ? header.substring(BEARER.length()).trim()
                : null;
        if (Secrets.matches(presented, admin.apiToken())) {
            return null;
        }
        Response problem = Problem.response(Response.Status.UNAUTHORIZED, "a valid operator bearer token is required");
        return Response.fromResponse(problem).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"operator\"").build();
    }
}
