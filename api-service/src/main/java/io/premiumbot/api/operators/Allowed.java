package io.premiumbot.api.operators;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The least role an operator call needs. Without it a read (GET) needs {@link Role#VIEWER} and anything else
 * {@link Role#ADMIN}: a write nobody thought about is closed, not open.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Allowed {
    Role value();
}
