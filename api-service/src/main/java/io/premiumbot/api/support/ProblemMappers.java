package io.premiumbot.api.support;

import java.util.stream.Collectors;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import io.premiumbot.model.ledger.InsufficientFundsException;
import io.premiumbot.model.ledger.LedgerKeyReusedException;
import io.premiumbot.model.ledger.UnknownUserException;
import io.premiumbot.model.money.InvalidAmountException;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;

/** Maps typed failures to problem bodies. Anything unexpected is logged with its cause and answered 500. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response invalidAmount(InvalidAmountException e) {
        return Problem.response(Status.BAD_REQUEST, e.getMessage());
    }

    @ServerExceptionMapper
    public Response invalidArgument(IllegalArgumentException e) {
        return Problem.response(Status.BAD_REQUEST, e.getMessage());
    }

    @ServerExceptionMapper
    public Response constraintViolation(ConstraintViolationException e) {
        String detail = e.getConstraintViolations().stream()
                .map(violation -> lastNode(violation.getPropertyPath().toString()) + ": " + violation.getMessage())
                .sorted()
                .collect(Collectors.joining("; "));
        return Problem.response(Status.BAD_REQUEST, detail);
    }

    @ServerExceptionMapper
    public Response unreadableJson(JsonProcessingException e) {
        return Problem.response(
                Status.BAD_REQUEST, "the body is not valid JSON for this request: " + e.getOriginalMessage());
    }

    @ServerExceptionMapper
    public Response mismatchedJson(MismatchedInputException e) {
        String field = e.getPath().isEmpty()
                ? "body"
                : e.getPath().get(e.getPath().size() - 1).getFieldName();
        return Problem.response(Status.BAD_REQUEST, field + ": " + e.getOriginalMessage());
    }

    @ServerExceptionMapper
    public Response unknownUser(UnknownUserException e) {
        return Problem.response(Status.NOT_FOUND, e.getMessage());
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e) {
        return Problem.response(Status.NOT_FOUND, e.getMessage());
    }

    @ServerExceptionMapper
    public Response insufficientFunds(InsufficientFundsException e) {
        return Problem.response(Status.CONFLICT, e.getMessage());
    }

    @ServerExceptionMapper
    public Response ledgerKeyReused(LedgerKeyReusedException e) {
        return Problem.response(Status.CONFLICT, "this money move was already booked differently");
    }

    @ServerExceptionMapper
    public Response conflict(ConflictException e) {
        return Problem.response(Status.CONFLICT, e.getMessage());
    }

    @ServerExceptionMapper
    public Response upstreamUnavailable(UpstreamUnavailableException e) {
        return Problem.response(Status.SERVICE_UNAVAILABLE, e.getMessage());
    }

    @ServerExceptionMapper
    public Response unprocessable(UnprocessableException e) {
        return Response.status(422)
                .type(Problem.MEDIA_TYPE)
                .entity(new Problem("about:blank", "Unprocessable Content", 422, e.getMessage()))
                .build();
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        Response original = e.getResponse();
        if (original.hasEntity()) {
            return original;
        }
        Status status = Status.fromStatusCode(original.getStatus());
        return Problem.response(status == null ? Status.BAD_REQUEST : status, e.getMessage());
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        LOG.errorf(e, "event=unexpected_error type=%s", e.getClass().getName());
        return Problem.response(Status.INTERNAL_SERVER_ERROR, "unexpected error; it has been logged");
    }

    private static String lastNode(String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? path : path.substring(dot + 1);
    }
}
