package dev.cfgctl.store;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * The PostgreSQL the tests use: {@code CFGCTL_TEST_PG_URL}, by default the local server at
 * 127.0.0.1:5432. Without one the PostgreSQL tests are skipped, unless {@code CFGCTL_REQUIRE_PG=1}
 * (set by CI), which makes its absence a failure.
 */
public final class Databases {
  public static final String PG_URL = System.getenv().getOrDefault("CFGCTL_TEST_PG_URL",
      "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");

  private Databases() {}

  /** A fresh, empty schema of its own on the test PostgreSQL; its JDBC URL. */
  public static String freshPostgresSchema() {
    String schema = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    try (Connection c = DriverManager.getConnection(PG_URL);
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    } catch (SQLException e) {
      boolean required = "1".equals(System.getenv("CFGCTL_REQUIRE_PG"));
      if (required) throw new IllegalStateException("PostgreSQL is required but unreachable at "
          + PG_URL + ": " + e.getMessage(), e);
      assumeTrue(false, "PostgreSQL not reachable at " + PG_URL + " (" + e.getMessage()
          + "); set CFGCTL_TEST_PG_URL to run these tests");
    }
    return PG_URL + (PG_URL.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }
}
