package io.restock;

import static io.javalin.apibuilder.ApiBuilder.delete;
import static io.javalin.apibuilder.ApiBuilder.get;
import static io.javalin.apibuilder.ApiBuilder.path;
import static io.javalin.apibuilder.ApiBuilder.post;
import static io.javalin.apibuilder.ApiBuilder.put;
import static io.restock.access.Role.ADMIN;
import static io.restock.access.Role.OPEN;
import static io.restock.access.Role.SHOP;

import io.restock.infra.Health;
import io.restock.infra.Metrics;
import io.restock.product.PolicyRoutes;
import io.restock.product.ProductRoutes;
import io.restock.round.NotificationRoutes;
import io.restock.subscription.SubscriptionRoutes;

/**
 * Every route the service answers and the role it needs (SPEC "Who may call what"), in one block;
 * the handlers only translate HTTP.
 */
record ApiRoutes(Health health, Metrics metrics, byte[] openApi, ProductRoutes products,
    PolicyRoutes policies, SubscriptionRoutes subscribers, NotificationRoutes notifications) {
  void declare() {
    get("/health", health::check, OPEN);
    get("/metrics", metrics::scrape, ADMIN);
    get("/openapi.json", ctx -> ctx.contentType("application/json").result(openApi), OPEN);
    path("/products", () -> {
      post(products::create, SHOP);
      path("{productId}", () -> {
        get(products::get, OPEN);
        put("stock", products::setStock, SHOP);
        get("notification-policy", policies::get, SHOP);
        put("notification-policy", policies::put, SHOP);
        post("purchases", products::purchase, SHOP);
        put("subscriptions/{userId}", subscribers::subscribe, SHOP);
        delete("subscriptions/{userId}", subscribers::unsubscribe, SHOP);
        post("notifications/re-stock", notifications::restock, SHOP);
        get("notifications", notifications::rounds, SHOP);
        // Who was told, and who refused: user ids, for operators only.
        get("notifications/{round}/users", notifications::users, ADMIN);
        get("notifications/{round}/rejections", notifications::rejections, ADMIN);
      });
    });
    path("/admin/products/{productId}", () -> {
      post("subscriptions", subscribers::subscribeRange, ADMIN);
      post("notifications/re-stock", notifications::resend, ADMIN);
    });
  }
}
