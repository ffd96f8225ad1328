package io.premiumbot.api.operators;

import io.premiumbot.api.audit.Operator;
import jakarta.enterprise.context.RequestScoped;

/** Who is making this request, as the access filter established it; what the audit log records. */
@RequestScoped
public class CurrentOperator {

    private Account account;
    private String remoteAddress;
    private String csrfToken;

    void signIn(Account account, String remoteAddress, String csrfToken) {
        this.account = account;
        this.remoteAddress = remoteAddress;
        this.csrfToken = csrfToken;
    }

    public Account account() {
        if (account == null) {
            throw new IllegalStateException("no operator signed in on this request");
        }
        return account;
    }

    /** The identity written to the audit log. */
    public Operator audit() {
        return new Operator(account().name(), remoteAddress);
    }

    /** The console session's CSRF token; null for a bearer-token call. */
    public String csrfToken() {
        return csrfToken;
    }
}
