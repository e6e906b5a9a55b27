-- Each run numbers its sends in a range of its own (its epoch in the high 32 bits), so the sends
-- of a run that lost its round can never share a number with the next run's.
ALTER TABLE product_user_notification_history
  MODIFY COLUMN send_seq BIGINT NOT NULL;

-- A resent round is timed, and its time left estimated, from the resend, not from its first start.
ALTER TABLE product_notification_history
  ADD COLUMN resumed_at DATETIME(6) NULL,
  ADD COLUMN notified_at_resume INT NOT NULL DEFAULT 0;
