package io.restock.infra;

/** A request that cannot be served, with the status and the error code the client sees. */
public final class ApiError extends RuntimeException {
  private final int status;
  private final String code;

  public ApiError(int status, String code, String message) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
  }

  public static ApiError badRequest(String message) {
    return new ApiError(400, "BAD_REQUEST", message);
  }

  public static ApiError notFound(String message) {
    return new ApiError(404, "NOT_FOUND", message);
  }

  public static ApiError noProduct(long productId) {
    return notFound("No product " + productId);
  }

  public static ApiError conflict(String code, String message) {
    return new ApiError(409, code, message);
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }
}
