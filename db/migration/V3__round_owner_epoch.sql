-- Fencing: each run that takes a round claims the next epoch; every write it makes to the round's
-- row names that epoch, so a run that lost the round (paused past its lease) changes nothing.
ALTER TABLE product_notification_history
  ADD COLUMN owner_epoch BIGINT NOT NULL DEFAULT 0;
