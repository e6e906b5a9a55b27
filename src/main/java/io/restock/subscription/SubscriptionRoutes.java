package io.restock.subscription;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.restock.infra.ApiError;
import io.restock.infra.Json;
import io.restock.infra.Requests;
import java.util.Map;

/** HTTP for subscribing one user, unsubscribing, and the admin's bulk dummy users. */
public final class SubscriptionRoutes {
  record UserRange(Long userIdFrom, Long userIdTo) {}

  private final Subscriptions subscriptions;
  private final ObjectMapper json;

  public SubscriptionRoutes(Subscriptions subscriptions, ObjectMapper json) {
    this.subscriptions = subscriptions;
    this.json = json;
  }

  public void subscribe(Context ctx) {
    long productId = Requests.id(ctx, "productId");
    long userId = Requests.id(ctx, "userId");
    boolean created = subscriptions.subscribe(productId, userId);
    ctx.status(created ? 201 : 200).json(Map.of("productId", productId, "userId", userId, "active", true));
  }

  public void unsubscribe(Context ctx) {
    subscriptions.unsubscribe(Requests.id(ctx, "productId"), Requests.id(ctx, "userId"));
    ctx.status(204);
  }

  public void subscribeRange(Context ctx) {
    long productId = Requests.id(ctx, "productId");
    UserRange range = Json.body(ctx, json, UserRange.class);
    if (range.userIdFrom() == null || range.userIdTo() == null) {
      throw ApiError.badRequest("Fields 'userIdFrom' and 'userIdTo' are required");
    }
    long from = range.userIdFrom();
    long to = range.userIdTo();
    if (from < 1 || to < from) {
      throw ApiError.badRequest("Need 1 <= userIdFrom <= userIdTo");
    }
    if (to - from + 1 > Subscriptions.MAX_BULK_USERS) {
      throw ApiError.badRequest("At most " + Subscriptions.MAX_BULK_USERS + " users per request");
    }
    ctx.status(201).json(Map.of("created", subscriptions.subscribeRange(productId, from, to)));
  }
}
