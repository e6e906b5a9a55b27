-- Counts the changes to a product's stock, so the Redis copy of the stock can tell a newer
-- change from an older one: a purchase is one statement that commits on its own and copies its
-- outcome after the row lock is gone, so copies no longer arrive in the order of the changes.
ALTER TABLE product ADD COLUMN stock_version BIGINT NOT NULL DEFAULT 0;
