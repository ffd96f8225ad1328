package io.premiumbot.api.audit;

/** Who made an operator call and from where, for the audit log. */
public record Operator(String name, String remoteAddress) {}
