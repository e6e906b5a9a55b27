-- Attribution (SPEC rule 10): purchases by users a round told about the product.

-- "Was this user told about this product recently": a user's rounds of one product, newest
-- first, without reading the product's whole history (millions of rows).
ALTER TABLE product_user_notification_history
  ADD KEY idx_user_history_product_user (product_id, user_id, restock_round);

ALTER TABLE product_notification_history
  ADD COLUMN conversions INT    NOT NULL DEFAULT 0,
  ADD COLUMN units_sold  BIGINT NOT NULL DEFAULT 0;

-- One row per buyer a round converted: the unique key makes a second purchase by the same buyer
-- count its units but not a second conversion.
CREATE TABLE product_round_conversion (
  id            BIGINT      NOT NULL AUTO_INCREMENT,
  product_id    BIGINT      NOT NULL,
  restock_round INT         NOT NULL,
  user_id       BIGINT      NOT NULL,
  converted_at  DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY uk_conversion_round_user (product_id, restock_round, user_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
