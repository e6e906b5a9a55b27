package io.restock.access;

import io.javalin.http.Context;
import io.javalin.http.Header;
import io.javalin.security.RouteRole;
import io.restock.infra.ApiError;
import io.restock.infra.BearerToken;
import java.util.Optional;
import java.util.Set;

/**
 * Lets a request reach its route's handler only with a bearer token the route's role accepts:
 * SHOP_TOKEN opens the shop routes, ADMIN_TOKEN every route. With neither set, everything is open
 * and the service listens on loopback only (Config refuses any other address then).
 */
public final class Access {
  private static final String SCHEME = "Bearer ";

  private final Optional<BearerToken> shopToken;
  private final Optional<BearerToken> adminToken;

  public Access(Optional<BearerToken> shopToken, Optional<BearerToken> adminToken) {
    this.shopToken = shopToken;
    this.adminToken = adminToken;
  }

  /**
   * A before-matched handler: it runs before the route's handler and the schema wait, so a refused
   * request reads no body, needs no database and writes nothing. A request that matched no role is
   * a HEAD on a GET route, which Javalin answers itself with no body and without the handler.
   */
  public void check(Context ctx) {
    Set<RouteRole> roles = ctx.routeRoles();
    if (!enabled() || roles.isEmpty() || roles.contains(Role.OPEN)) {
      return;
    }
    String presented = presentedToken(ctx.header(Header.AUTHORIZATION));
    // Both compared every time, so the time taken does not tell which token came close.
    boolean admin = adminToken.map(token -> token.matches(presented)).orElse(false);
    boolean shop = shopToken.map(token -> token.matches(presented)).orElse(false);
    if (!admin && !shop) {
      ctx.header(Header.WWW_AUTHENTICATE, "Bearer");
      throw new ApiError(401, "UNAUTHORIZED",
          "This route needs a valid token, sent as Authorization: Bearer <token>");
    }
    if (!admin && roles.contains(Role.ADMIN)) {
      throw new ApiError(403, "FORBIDDEN", "This route is for operators: it needs the admin token");
    }
  }

  /** One line for the start-up log: whether callers need a token, and what each one opens. */
  public String describe(String bindAddress) {
    if (!enabled()) {
      return "Authentication is off (neither SHOP_TOKEN nor ADMIN_TOKEN is set): listening on"
          + " loopback only (" + bindAddress + "); set the tokens to serve other interfaces";
    }
    if (adminToken.isEmpty()) {
      return "Bearer tokens required: SHOP_TOKEN opens the shop routes; ADMIN_TOKEN is not set,"
          + " so the admin routes refuse every caller";
    }
    return shopToken.isPresent()
        ? "Bearer tokens required: SHOP_TOKEN opens the shop routes, ADMIN_TOKEN every route"
        : "Bearer tokens required: SHOP_TOKEN is not set, so ADMIN_TOKEN opens every route";
  }

  private boolean enabled() {
    return shopToken.isPresent() || adminToken.isPresent();
  }

  /** The token of an {@code Authorization: Bearer <token>} header; empty, which no token is, if none. */
  private static String presentedToken(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
      return "";
    }
    return authorization.substring(SCHEME.length()).strip();
  }
}
