package io.restock.bench;

/** One message as the receiver saw it, stamped the moment its request arrived. */
record Arrival(long nanos, long productId, long userId, int round) {}
