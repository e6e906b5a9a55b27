package io.restock.infra;

import io.javalin.http.Context;

/** Path parameters and body numbers, checked the same way on every route. */
public final class Requests {
  private Requests() {}

  public static long id(Context ctx, String name) {
    return ctx.pathParamAsClass(name, Long.class)
        .check(id -> id > 0, "must be a positive whole number")
        .get();
  }

  /** A required body field that must be a whole number of at least {@code min}. */
  public static int atLeast(Integer value, String field, int min) {
    if (value == null) {
      throw ApiError.badRequest("Field '" + field + "' is required");
    }
    if (value < min) {
      throw ApiError.badRequest("Field '" + field + "' must be at least " + min);
    }
    return value;
  }
}
