package io.premiumbot.api.admin;

import org.eclipse.microprofile.openapi.annotations.Components;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

import jakarta.ws.rs.core.Application;

/** The OpenAPI document's header and the {@code operator} security scheme every {@code /admin} call requires. */
@OpenAPIDefinition(
        info =
                @Info(
                        title = "Premium gifting operator API",
                        version = "1",
                        description =
                                "Operator calls under /admin. Bearer token: a named operator's (role viewer, operator or admin) "
                                        + "or the scripts' shared ADMIN_API_TOKEN (an admin named api-token in the audit log)."),
        components =
                @Components(
                        securitySchemes =
                                @SecurityScheme(
                                        securitySchemeName = "operator",
                                        type = SecuritySchemeType.HTTP,
                                        scheme = "bearer",
                                        description =
                                                "Authorization: Bearer <operator token>; 401 without a valid one, 403 when the role doesn't cover the call")))
public class OperatorApi extends Application {}
