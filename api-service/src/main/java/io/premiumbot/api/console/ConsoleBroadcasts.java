package io.premiumbot.api.console;

import java.util.List;
import java.util.Map;

import org.jboss.resteasy.reactive.RestForm;

import io.premiumbot.api.broadcast.Audience;
import io.premiumbot.api.broadcast.BroadcastPreview;
import io.premiumbot.api.broadcast.Broadcasts;
import io.premiumbot.api.broadcast.Broadcasts.Broadcast;
import io.premiumbot.api.broadcast.Broadcasts.NewBroadcast;
import io.premiumbot.api.broadcast.Broadcasts.Progress;
import io.premiumbot.api.operators.Allowed;
import io.premiumbot.api.operators.CurrentOperator;
import io.premiumbot.api.operators.Role;
import io.premiumbot.model.i18n.Texts;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateData;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Broadcasts: the list and the compose form; one broadcast's page with its audience count, the preview to the
 * operator's own Telegram, send, progress (refreshing while it sends) and cancel. Writes are admins'.
 */
@Path("/console/broadcasts")
@TemplateData(target = Broadcast.class)
@TemplateData(target = Progress.class)
@TemplateData(target = Audience.class)
public class ConsoleBroadcasts {

    @CheckedTemplate(basePath = "console")
    static final class Templates {
        private Templates() {}

        static native TemplateInstance broadcasts(Page page, List<Broadcast> broadcasts, List<String> languages);

        static native TemplateInstance broadcast(Page page, Broadcast broadcast, long audience, Long previewChat);
    }

    private final ConsolePages pages;
    private final Broadcasts broadcasts;
    private final BroadcastPreview preview;
    private final CurrentOperator operator;

    public ConsoleBroadcasts(
            ConsolePages pages, Broadcasts broadcasts, BroadcastPreview preview, CurrentOperator operator) {
        this.pages = pages;
        this.broadcasts = broadcasts;
        this.preview = preview;
        this.operator = operator;
    }

    @GET
    public Uni<Response> list(@QueryParam("notice") String notice, @Context HttpHeaders headers) {
        Page page = pages.page(headers, notice);
        return pages.show(
                headers,
                "/console",
                () -> broadcasts.all().map(all -> Templates.broadcasts(page, all, Texts.LANGUAGES)));
    }

    @GET
    @Path("{id}")
    public Uni<Response> one(
            @PathParam("id") long id, @QueryParam("notice") String notice, @Context HttpHeaders headers) {
        Page page = pages.page(headers, notice);
        return pages.show(
                headers,
                "/console/broadcasts",
                () -> broadcasts
                        .find(id)
                        .flatMap(broadcast -> broadcasts
                                .audienceCount(broadcast.audience().name(), broadcast.lapsedDays())
                                .map(count -> Templates.broadcast(
                                        page,
                                        broadcast,
                                        count,
                                        preview.defaultChat().orElse(null)))));
    }

    @POST
    @Allowed(Role.ADMIN)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> create(
            @RestForm("_csrf") String csrf,
            @RestForm("text_en") String english,
            @RestForm("text_zh") String chinese,
            @RestForm("audience") String audience,
            @RestForm("lapsedDays") String lapsedDays,
            @Context HttpHeaders headers) {
        return pages.act(
                csrf,
                headers,
                "/console/broadcasts",
                () -> broadcasts.create(
                        new NewBroadcast(
                                Map.of("en", nonNull(english), "zh", nonNull(chinese)),
                                audience,
                                "LAPSED".equals(audience) ? days(lapsedDays) : null),
                        operator.audit()));
    }

    @POST
    @Path("{id}/preview")
    @Allowed(Role.ADMIN)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> preview(
            @PathParam("id") long id,
            @RestForm("_csrf") String csrf,
            @RestForm("chatId") String chatId,
            @Context HttpHeaders headers) {
        return pages.act(
                csrf, headers, "/console/broadcasts/" + id, () -> preview.preview(id, chat(chatId), operator.audit()));
    }

    @POST
    @Path("{id}/start")
    @Allowed(Role.ADMIN)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> start(@PathParam("id") long id, @RestForm("_csrf") String csrf, @Context HttpHeaders headers) {
        return pages.act(csrf, headers, "/console/broadcasts/" + id, () -> broadcasts.start(id, operator.audit()));
    }

    @POST
    @Path("{id}/cancel")
    @Allowed(Role.ADMIN)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> cancel(
            @PathParam("id") long id, @RestForm("_csrf") String csrf, @Context HttpHeaders headers) {
        return pages.act(csrf, headers, "/console/broadcasts/" + id, () -> broadcasts.cancel(id, operator.audit()));
    }

    private static String nonNull(String text) {
        return text == null ? "" : text;
    }

    private static Integer days(String value) {
        try {
            return value == null || value.isBlank() ? null : Integer.valueOf(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("lapsedDays: must be a whole number of days");
        }
    }

    private static Long chat(String value) {
        try {
            return value == null || value.isBlank() ? null : Long.valueOf(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("chatId: a Telegram chat id is a whole number");
        }
    }
}
