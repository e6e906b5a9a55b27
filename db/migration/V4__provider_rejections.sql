-- Recipients the provider refused for good (400, 404, 410, 422): not told, not retried, and the
-- round goes on past them.
CREATE TABLE product_user_notification_rejection (
  id              BIGINT      NOT NULL AUTO_INCREMENT,
  product_id      BIGINT      NOT NULL,
  restock_round   INT         NOT NULL,
  user_id         BIGINT      NOT NULL,
  provider_status SMALLINT    NOT NULL,
  rejected_at     DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  -- one rejection per user and round; the send loop skips users found here
  UNIQUE KEY uk_rejection_round_user (product_id, restock_round, user_id),
  -- the rejections of a round are read back in the order they came, in keyset pages
  KEY idx_rejection_order (product_id, restock_round, id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

ALTER TABLE product_notification_history
  ADD COLUMN rejected_count INT NOT NULL DEFAULT 0;
