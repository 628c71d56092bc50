package dev.cfgctl.store.jdbc;

/** What differs between SQLite and PostgreSQL in the store's SQL. */
enum Dialect {
  SQLITE("INTEGER PRIMARY KEY AUTOINCREMENT"),
  POSTGRESQL("BIGSERIAL PRIMARY KEY");

  final String serialKey;

  Dialect(String serialKey) {
    this.serialKey = serialKey;
  }
}
