package dev.cfgctl.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cfgctl.store.ConfigRef;
import dev.cfgctl.store.Principal;
import dev.cfgctl.store.Problem;
import dev.cfgctl.store.Role;
import dev.cfgctl.store.StoreException;
import dev.cfgctl.store.TestClock;
import dev.cfgctl.store.Tunables;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the repository does with a database failure inside the work it runs, on real SQLite. */
class JdbcConfigRepositoryTest {
  static final ConfigRef LANDING = new ConfigRef("acme", "landing");
  static final Principal SARAH = new Principal("sarah", "Sarah", "acme", Role.EDITOR);

  @TempDir Path dir;
  JdbcConfigRepository repository;

  @BeforeEach
  void open() throws SQLException {
    Path file = dir.resolve("cfgctl.db");
    repository = JdbcConfigRepository.sqlite(file, Tunables.DEFAULT, new TestClock());
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = c.createStatement()) {
      s.execute("PRAGMA busy_timeout = 10000");
      s.execute("DROP TABLE revisions");
    }
  }

  @AfterEach
  void close() {
    repository.close();
  }

  @Test
  void aDatabaseFailureInsideAWriteIsTheStoreBeingUnavailable() {
    assertThatThrownBy(
            () -> repository.write(LANDING, SARAH, null, 0, tx -> tx.revisionsAfter(LANDING, 0, 1)))
        .isInstanceOfSatisfying(
            StoreException.class, e -> assertThat(e.problem()).isEqualTo(Problem.UNAVAILABLE));
  }

  @Test
  void aDatabaseFailureInsideAReadIsTheStoreBeingUnavailable() {
    assertThatThrownBy(() -> repository.read(tx -> tx.revisionsAfter(LANDING, 0, 1)))
        .isInstanceOfSatisfying(
            StoreException.class, e -> assertThat(e.problem()).isEqualTo(Problem.UNAVAILABLE));
  }

  @Test
  void aRefusalInsideAWriteReachesTheCallerAsItWas() {
    StoreException refusal = new StoreException(Problem.LOCKED, "locked");
    assertThatThrownBy(
            () ->
                repository.write(
                    LANDING,
                    SARAH,
                    null,
                    0,
                    tx -> {
                      throw refusal;
                    }))
        .isSameAs(refusal);
  }
}
