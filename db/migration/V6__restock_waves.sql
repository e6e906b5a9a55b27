-- Waves sized to stock (SPEC rule 9): a product's policy, and where a round is between waves.
-- notify_per_unit NULL: no waves, everyone at once (the behaviour before this migration).
ALTER TABLE product
  ADD COLUMN notify_per_unit       INT NULL,
  ADD COLUMN wave_interval_seconds INT NOT NULL DEFAULT 3600,
  ADD COLUMN min_stock             INT NOT NULL DEFAULT 1;

-- wave_ends_at_count: the notified count at which the wave being sent stops (NULL: no wave is
-- being sent, or no quota). next_wave_at: set only while an IN_PROGRESS round waits, with no job
-- and no owner, for its next wave (or for stock to reach min_stock).
ALTER TABLE product_notification_history
  ADD COLUMN waves_sent         INT         NOT NULL DEFAULT 0,
  ADD COLUMN wave_ends_at_count INT         NULL,
  ADD COLUMN next_wave_at       DATETIME(6) NULL,
  -- the wave timer finds the rounds whose next wave is due (next_wave_at <= now), a range on it
  ADD KEY idx_round_next_wave (next_wave_at);
