package io.premiumbot.api.operators;

/** A configured operator: the name the audit log records and the role that bounds what they may do. */
public record Account(String name, Role role) {}
