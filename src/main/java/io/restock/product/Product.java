package io.restock.product;

public record Product(long id, String name, int stock, int restockRound) {}
