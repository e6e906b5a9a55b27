package io.restock.infra;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.validation.ValidationError;
import io.javalin.validation.ValidationException;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Every error leaves as {"error": CODE, "message": text}; nothing else reaches a client. */
public final class HttpErrors {
  private static final Logger log = LoggerFactory.getLogger(HttpErrors.class);

  private HttpErrors() {}

  public static void register(Javalin app) {
    app.exception(ApiError.class, (e, ctx) -> write(ctx, e.status(), e.code(), e.getMessage()));
    app.exception(ValidationException.class, (e, ctx) -> write(ctx, 400, "BAD_REQUEST",
        e.getErrors().entrySet().stream()
            .map(entry -> "'" + entry.getKey() + "' " + describe(entry.getValue().get(0)))
            .collect(Collectors.joining("; "))));
    app.exception(HttpResponseException.class, (e, ctx) ->
        write(ctx, e.getStatus(), codeFor(e.getStatus()), e.getMessage()));
    app.exception(Exception.class, (e, ctx) -> {
      String down = DependencyDown.describe(e);
      if (down != null) {
        write(ctx, 503, "UNAVAILABLE", down);
        return;
      }
      String id = UUID.randomUUID().toString();
      log.error("Unhandled error {} on {} {}", id, ctx.method(), ctx.path(), e);
      write(ctx, 500, "INTERNAL", "Something went wrong on our side; reference " + id);
    });
    app.error(404, ctx -> writeIfEmpty(ctx, 404, "NOT_FOUND", "No such resource: " + ctx.path()));
    app.error(405, ctx -> writeIfEmpty(ctx, 405, "METHOD_NOT_ALLOWED",
        ctx.method() + " is not allowed on " + ctx.path()));
  }

  private static String describe(ValidationError<?> error) {
    return "TYPE_CONVERSION_FAILED".equals(error.getMessage())
        ? "must be a whole number, got '" + error.getValue() + "'"
        : error.getMessage() + ", got '" + error.getValue() + "'";
  }

  private static void writeIfEmpty(Context ctx, int status, String code, String message) {
    if (ctx.resultInputStream() == null) {
      write(ctx, status, code, message);
    }
  }

  private static void write(Context ctx, int status, String code, String message) {
    ctx.status(status).json(Map.of("error", code, "message", message));
  }

  private static String codeFor(int status) {
    return switch (status) {
      case 400 -> "BAD_REQUEST";
      case 404 -> "NOT_FOUND";
      case 405 -> "METHOD_NOT_ALLOWED";
      case 413 -> "BODY_TOO_LARGE";
      case 415 -> "UNSUPPORTED_MEDIA_TYPE";
      default -> status >= 500 ? "UNAVAILABLE" : "BAD_REQUEST";
    };
  }
}
