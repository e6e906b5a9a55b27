package io.restock.bench;

import java.util.List;
import java.util.Map;

/** What the run saw, handed to the report. */
record Outcome(List<Product> products, Map<Long, Round> rounds, long triggerNanos,
    double loadAtTrigger, boolean timedOut, SoldOut soldOut) {}
