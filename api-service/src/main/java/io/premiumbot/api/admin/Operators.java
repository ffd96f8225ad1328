package io.premiumbot.api.admin;

import io.vertx.core.http.HttpServerRequest;

/** Builds the audit identity of an operator call. */
final class Operators {

    private Operators() {
    }

    static Operator of(String declaredName, HttpServerRequest http) {
        String name = declaredName == null || declaredName.isBlank() ? "operator" : declaredName.strip();
        String remote = http.remoteAddress() == null ? null : http.remoteAddress().hostAddress();
        return new Operator(name, remote);
    }
}
