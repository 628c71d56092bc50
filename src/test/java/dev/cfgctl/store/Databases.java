package dev.cfgctl.store;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * The PostgreSQL the tests use: {@code CFGCTL_TEST_PG_URL}, by default the local server at
 * 127.0.0.1:5432. Without one the PostgreSQL tests are skipped, and the first of them says so in
 * one line on the console, unless {@code CFGCTL_REQUIRE_PG=1} (set by CI), which makes its absence
 * a failure. Thread-safe.
 */
public final class Databases {
  public static final String PG_URL =
      System.getenv()
          .getOrDefault(
              "CFGCTL_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test?user=postgres");

  /** Why PostgreSQL is not there, once a connection failed; null until then. */
  private static volatile String unreachable;

  private Databases() {}

  /** A fresh, empty schema of its own on the test PostgreSQL; its JDBC URL. */
  public static String freshPostgresSchema() {
    boolean required = "1".equals(System.getenv("CFGCTL_REQUIRE_PG"));
    if (unreachable != null && !required) skip();
    String schema = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    try (Connection c = DriverManager.getConnection(PG_URL);
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA " + schema);
    } catch (SQLException e) {
      if (required)
        throw new IllegalStateException(
            "PostgreSQL is required but unreachable at " + shown(PG_URL) + ": " + e.getMessage(),
            e);
      tellOnce(e);
      skip();
    }
    return PG_URL + (PG_URL.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }

  private static void skip() {
    assumeTrue(false, unreachable);
  }

  /**
   * Prints the one line that says the PostgreSQL tests are skipped, on the JVM's own stderr:
   * Surefire keeps what tests print with System.err in report files, but shows a forked JVM's
   * stderr.
   */
  private static synchronized void tellOnce(SQLException e) {
    if (unreachable != null) return;
    String cause = String.valueOf(e.getMessage()); // the driver's first sentence says it all
    int end = cause.indexOf(". ");
    unreachable =
        "PostgreSQL tests skipped: no server at "
            + shown(PG_URL)
            + " ("
            + (end > 0 ? cause.substring(0, end) : cause)
            + "); set CFGCTL_TEST_PG_URL=jdbc:postgresql://HOST:PORT/DB?user=USER"
            + " to run them, CFGCTL_REQUIRE_PG=1 to make this a failure";
    PrintStream err =
        new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
    err.println(unreachable);
  }

  /** The URL without its password. */
  private static String shown(String url) {
    return url.replaceAll("(?i)(password=)[^&]*", "$1***");
  }
}
