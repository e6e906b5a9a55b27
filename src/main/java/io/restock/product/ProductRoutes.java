package io.restock.product;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.restock.infra.ApiError;
import io.restock.infra.Json;
import io.restock.infra.Requests;
import org.jdbi.v3.core.Jdbi;

/** HTTP for the catalogue: create a product, read it, set its stock, buy from it. */
public final class ProductRoutes {
  record NewProduct(String name, Integer stock) {}

  record StockUpdate(Integer stock) {}

  /** userId: the buyer, optional (SPEC rule 10). */
  record Purchase(Integer quantity, Long userId) {}

  private final Jdbi jdbi;
  private final StockChanges stock;
  private final ObjectMapper json;

  public ProductRoutes(Jdbi jdbi, StockChanges stock, ObjectMapper json) {
    this.jdbi = jdbi;
    this.stock = stock;
    this.json = json;
  }

  public void create(Context ctx) {
    NewProduct body = Json.body(ctx, json, NewProduct.class);
    if (body.name() == null || body.name().isBlank() || body.name().length() > 200) {
      throw ApiError.badRequest("Field 'name' is required, 1 to 200 characters");
    }
    int initial = Requests.atLeast(body.stock(), "stock", 0);
    ctx.status(201).json(stock.create(body.name().strip(), initial));
  }

  public void get(Context ctx) {
    long id = Requests.id(ctx, "productId");
    ctx.json(jdbi.withHandle(h -> new ProductDao(h).require(id)));
  }

  public void setStock(Context ctx) {
    long id = Requests.id(ctx, "productId");
    StockUpdate body = Json.body(ctx, json, StockUpdate.class);
    ctx.json(stock.setStock(id, Requests.atLeast(body.stock(), "stock", 0)));
  }

  public void purchase(Context ctx) {
    long id = Requests.id(ctx, "productId");
    Purchase body = Json.body(ctx, json, Purchase.class);
    if (body.userId() != null && body.userId() < 1) {
      throw ApiError.badRequest("Field 'userId' must be a positive whole number, or left out");
    }
    ctx.json(stock.purchase(id, Requests.atLeast(body.quantity(), "quantity", 1), body.userId()));
  }
}
