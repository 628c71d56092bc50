package dev.cfgctl.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

/**
 * Creates or drops the PostgreSQL schema a benchmark run uses: {@code PgSchema URL create|drop
 * NAME}.
 */
public final class PgSchema {
  public static void main(String[] args) throws Exception {
    if (!args[2].matches("[a-z0-9_]+")) throw new IllegalArgumentException("bad schema name");
    try (Connection c = DriverManager.getConnection(args[0]);
        Statement s = c.createStatement()) {
      s.execute(
          args[1].equals("create")
              ? "CREATE SCHEMA " + args[2]
              : "DROP SCHEMA " + args[2] + " CASCADE");
    }
  }
}
