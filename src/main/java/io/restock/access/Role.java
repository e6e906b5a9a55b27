package io.restock.access;

import io.javalin.security.RouteRole;
import java.util.Set;

/** Who may call a route (SPEC rule 12). Every route declares exactly one. */
public enum Role implements RouteRole {
  /** Anyone: the health check, reading a product, the API document. */
  OPEN,
  /** The shop's backend with SHOP_TOKEN, or an operator with ADMIN_TOKEN. */
  SHOP,
  /** Operators only, with ADMIN_TOKEN. */
  ADMIN;

  /**
   * The one role a route declares. A route that declares none would be let through by the check
   * (it runs on roles), so a missing role stops the service at start instead.
   */
  public static Role declaredBy(String route, Set<? extends RouteRole> roles) {
    if (roles.size() != 1 || !(roles.iterator().next() instanceof Role role)) {
      throw new IllegalStateException(route + " must declare exactly one Role, not " + roles);
    }
    return role;
  }
}
