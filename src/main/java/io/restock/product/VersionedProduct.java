package io.restock.product;

/** A product as read, with the count of changes its stock has had (for the Redis copy). */
public record VersionedProduct(Product product, long stockVersion) {}
