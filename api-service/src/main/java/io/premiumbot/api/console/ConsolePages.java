package io.premiumbot.api.console;

import java.net.URI;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import io.premiumbot.api.operators.Account;
import io.premiumbot.api.operators.CurrentOperator;
import io.premiumbot.api.operators.Role;
import io.premiumbot.api.orders.OrderNotFoundException;
import io.premiumbot.api.payments.BotStars;
import io.premiumbot.api.payments.PaymentNotFoundException;
import io.premiumbot.api.sales.GlanceConfig;
import io.premiumbot.api.support.ConflictException;
import io.premiumbot.api.support.NotFoundException;
import io.premiumbot.api.support.Secrets;
import io.premiumbot.api.support.UpstreamUnavailableException;
import io.premiumbot.model.ledger.InsufficientFundsException;
import io.premiumbot.model.ledger.UnknownUserException;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;

/**
 * What every console page and form shares: the page frame, the language, the CSRF check, and turning a service's
 * answer into a redirect (post/redirect/get) or its typed failure into a page that says what went wrong.
 */
@ApplicationScoped
public class ConsolePages {

    public static final String LANGUAGE_COOKIE = "console_lang";
    private static final Logger LOG = Logger.getLogger(ConsolePages.class);
    private static final MediaType HTML = MediaType.TEXT_HTML_TYPE.withCharset("UTF-8");
    private static final Set<String> NOTICES = Set.of("done");

    private final CurrentOperator current;
    private final ZoneId zone;

    public ConsolePages(CurrentOperator current, GlanceConfig glance) {
        this.current = current;
        this.zone = glance.timeZone();
    }

    public Page page(HttpHeaders headers, String notice) {
        Account account = current.account();
        return new Page(
                account.name(),
                account.role().name().toLowerCase(Locale.ROOT),
                current.csrfToken(),
                language(headers),
                account.role().includes(Role.OPERATOR),
                account.role().includes(Role.ADMIN),
                notice != null && NOTICES.contains(notice) ? notice : null,
                zone);
    }

    /** The operator's choice (a cookie) first, then the browser's; English unless Chinese is asked for. */
    public static String language(HttpHeaders headers) {
        Map<String, Cookie> cookies = headers.getCookies();
        Cookie chosen = cookies.get(LANGUAGE_COOKIE);
        if (chosen != null
                && (chosen.getValue().equals("zh") || chosen.getValue().equals("en"))) {
            return chosen.getValue();
        }
        for (Locale locale : headers.getAcceptableLanguages()) {
            if (locale.getLanguage().equals("zh")) {
                return "zh";
            }
            if (locale.getLanguage().equals("en")) {
                return "en";
            }
        }
        return "en";
    }

    public static Uni<Response> render(TemplateInstance page, String lang, Status status) {
        return page.setLocale(Locale.forLanguageTag(lang))
                .createUni()
                .map(html -> Response.status(status)
                        .type(HTML)
                        .header("Cache-Control", "no-store")
                        .entity(html)
                        .build());
    }

    public Uni<Response> render(TemplateInstance page, HttpHeaders headers) {
        return render(page, language(headers), Status.OK);
    }

    /**
     * A console write: refused unless the form carries this session's CSRF token, then done by the same service the
     * operator API calls, then back to {@code back} (303) — or a page naming the failure.
     */
    public Uni<Response> act(String csrf, HttpHeaders headers, String back, Supplier<Uni<? extends Object>> action) {
        if (!Secrets.matches(csrf, current.csrfToken())) {
            LOG.warnf(
                    "event=console_csrf_refused operator=%s", current.account().name());
            return problem(
                    headers,
                    Status.FORBIDDEN,
                    "forbidden: this form did not come from your console session (CSRF token missing or wrong)",
                    back);
        }
        return Uni.createFrom()
                .<Object>deferred(action)
                .map(done -> Response.seeOther(URI.create(back + (back.contains("?") ? "&" : "?") + "notice=done"))
                        .build())
                .onFailure(ConsolePages::isExpected)
                .recoverWithUni(failure -> problem(headers, statusOf(failure), failure.getMessage(), back));
    }

    /** A read whose typed failure (unknown order, Telegram not answering) becomes a page instead of a 500. */
    public Uni<Response> show(HttpHeaders headers, String back, Supplier<Uni<? extends TemplateInstance>> read) {
        return Uni.createFrom()
                .<TemplateInstance>deferred(read)
                .flatMap(page -> render(page, headers))
                .onFailure(ConsolePages::isExpected)
                .recoverWithUni(failure -> problem(headers, statusOf(failure), failure.getMessage(), back));
    }

    public Uni<Response> problem(HttpHeaders headers, Status status, String detail, String back) {
        return render(
                ConsoleTemplates.problem(page(headers, null), status.getStatusCode(), detail, back),
                language(headers),
                status);
    }

    private static boolean isExpected(Throwable failure) {
        return failure instanceof IllegalArgumentException
                || failure instanceof ConflictException
                || failure instanceof InsufficientFundsException
                || failure instanceof UnknownUserException
                || failure instanceof OrderNotFoundException
                || failure instanceof PaymentNotFoundException
                || failure instanceof NotFoundException
                || failure instanceof BotStars.TelegramUnavailableException
                || failure instanceof UpstreamUnavailableException;
    }

    private static Status statusOf(Throwable failure) {
        if (failure instanceof UnknownUserException
                || failure instanceof OrderNotFoundException
                || failure instanceof PaymentNotFoundException
                || failure instanceof NotFoundException) {
            return Status.NOT_FOUND;
        }
        if (failure instanceof ConflictException || failure instanceof InsufficientFundsException) {
            return Status.CONFLICT;
        }
        if (failure instanceof BotStars.TelegramUnavailableException
                || failure instanceof UpstreamUnavailableException) {
            return Status.SERVICE_UNAVAILABLE;
        }
        return Status.BAD_REQUEST;
    }
}
