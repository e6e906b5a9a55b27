package io.restock.bench;

/** A product of the run: its place among the products (0-based) and its id in the service. */
record Product(int index, long id) {
  String label() {
    return "product " + (index + 1) + " (id " + id + ")";
  }
}
