package io.restock.product;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.restock.infra.ApiError;
import io.restock.infra.Json;
import io.restock.infra.Requests;
import org.jdbi.v3.core.Jdbi;

/** HTTP for a product's notification policy (SPEC rule 9). */
public final class PolicyRoutes {
  /** Fields left out take the default policy's value; perUnit left out or null: no waves. */
  record PolicyUpdate(Integer perUnit, Integer waveIntervalSeconds, Integer minStock) {}

  private final Jdbi jdbi;
  private final ObjectMapper json;

  public PolicyRoutes(Jdbi jdbi, ObjectMapper json) {
    this.jdbi = jdbi;
    this.json = json;
  }

  public void get(Context ctx) {
    long id = Requests.id(ctx, "productId");
    ctx.json(jdbi.withHandle(h -> new ProductDao(h).policy(id)
        .orElseThrow(() -> ApiError.noProduct(id))));
  }

  public void put(Context ctx) {
    long id = Requests.id(ctx, "productId");
    PolicyUpdate body = Json.body(ctx, json, PolicyUpdate.class);
    NotificationPolicy defaults = NotificationPolicy.DEFAULT;
    NotificationPolicy policy = new NotificationPolicy(body.perUnit(),
        body.waveIntervalSeconds() == null
            ? defaults.waveIntervalSeconds() : body.waveIntervalSeconds(),
        body.minStock() == null ? defaults.minStock() : body.minStock());
    jdbi.useHandle(h -> {
      ProductDao products = new ProductDao(h);
      products.require(id);
      products.setPolicy(id, policy.perUnit(), policy.waveIntervalSeconds(), policy.minStock());
    });
    ctx.json(policy);
  }
}
