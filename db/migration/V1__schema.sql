-- Restock notifier schema. Runs on MySQL 8 and MariaDB 10.11.
-- Every index below names the query that relies on it.

CREATE TABLE product (
  id            BIGINT       NOT NULL AUTO_INCREMENT,
  name          VARCHAR(200) NOT NULL,
  stock         INT          NOT NULL,
  restock_round INT          NOT NULL DEFAULT 0,
  created_at    DATETIME(6)  NOT NULL,
  PRIMARY KEY (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

-- A user's subscription to a product. Rows are kept when a user unsubscribes (is_active = FALSE);
-- re-subscribing re-activates the row and moves created_at to the end of the order.
CREATE TABLE product_user_notification (
  id         BIGINT      NOT NULL AUTO_INCREMENT,
  product_id BIGINT      NOT NULL,
  user_id    BIGINT      NOT NULL,
  is_active  BOOLEAN     NOT NULL,
  created_at DATETIME(6) NOT NULL,
  updated_at DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  -- one subscription per (product, user); subscribe/unsubscribe look rows up by it
  UNIQUE KEY uk_subscription_product_user (product_id, user_id),
  -- the send loop pages active subscribers of one product in (created_at, id) order
  KEY idx_subscription_send_order (product_id, is_active, created_at, id),
  CONSTRAINT fk_subscription_product FOREIGN KEY (product_id) REFERENCES product (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

-- One row per restock round of a product: its state and how far it got.
-- The round's send order starts just after (start_after_created_at, start_after_subscription_id)
-- and wraps around; both NULL means it starts at the first subscriber.
CREATE TABLE product_notification_history (
  id                            BIGINT      NOT NULL AUTO_INCREMENT,
  product_id                    BIGINT      NOT NULL,
  restock_round                 INT         NOT NULL,
  status                        VARCHAR(32) NOT NULL,
  start_after_created_at        DATETIME(6) NULL,
  start_after_subscription_id   BIGINT      NULL,
  last_notified_user_id         BIGINT      NULL,
  last_notified_created_at      DATETIME(6) NULL,
  last_notified_subscription_id BIGINT      NULL,
  notified_count                INT         NOT NULL DEFAULT 0,
  total_subscribers             INT         NOT NULL DEFAULT 0,
  started_at                    DATETIME(6) NOT NULL,
  finished_at                   DATETIME(6) NULL,
  PRIMARY KEY (id),
  -- one round per (product, round number); rounds of a product are listed newest first by it
  UNIQUE KEY uk_round_product_round (product_id, restock_round),
  -- recovery finds rounds left IN_PROGRESS
  KEY idx_round_status (status, product_id),
  CONSTRAINT fk_round_product FOREIGN KEY (product_id) REFERENCES product (id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;

-- One row per message sent: who was told in which round, and in what order (send_seq, from 1).
CREATE TABLE product_user_notification_history (
  id            BIGINT      NOT NULL AUTO_INCREMENT,
  product_id    BIGINT      NOT NULL,
  restock_round INT         NOT NULL,
  user_id       BIGINT      NOT NULL,
  send_seq      INT         NOT NULL,
  notified_at   DATETIME(6) NOT NULL,
  PRIMARY KEY (id),
  -- nobody is told twice in a round; the send loop skips users already here
  UNIQUE KEY uk_user_history_round_user (product_id, restock_round, user_id),
  -- the users of a round are read back in send order, in keyset pages
  KEY idx_user_history_send_order (product_id, restock_round, send_seq)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4;
