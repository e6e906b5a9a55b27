-- At most once across a crash: a message that had left when its instance died, and whose answer
-- was never seen, is recorded as told (so it is never sent twice) but marked unconfirmed, so an
-- operator can see who may have missed it.
ALTER TABLE product_user_notification_history
  ADD COLUMN confirmed BOOLEAN NOT NULL DEFAULT TRUE;

ALTER TABLE product_notification_history
  ADD COLUMN unconfirmed_count INT NOT NULL DEFAULT 0;
