package io.restock.product;

import org.jdbi.v3.core.mapper.Nested;

/** A product as read, with the count of changes its stock has had (for the Redis copy). */
public record VersionedProduct(@Nested Product product, long stockVersion) {}
