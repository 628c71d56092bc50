package dev.cfgctl.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cfgctl.app.ConfigService;
import dev.cfgctl.app.Stores;
import dev.cfgctl.patch.Json;
import dev.cfgctl.patch.Patch;
import dev.cfgctl.store.ConfigStore.HistoryQuery;
import dev.cfgctl.store.ConfigStore.LockRequest;
import dev.cfgctl.store.ConfigStore.Write;
import dev.cfgctl.store.jdbc.JdbcConfigRepository;
import dev.cfgctl.store.jdbc.StoreCopy;
import dev.cfgctl.store.jdbc.StoreCopy.Outcome;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link StoreCopy} between real stores: SQLite to PostgreSQL and back, resumed, refused. */
class StoreCopyTest {
  static final Principal ADMIN = new Principal("root", "Root", Principal.ALL_TENANTS, Role.ADMIN);
  static final Principal SARAH = new Principal("sarah", "Sarah", "acme", Role.EDITOR);
  static final Principal TOM = new Principal("tom", "Tom", "acme", Role.EDITOR);
  static final Principal GINA = new Principal("gina", "Gina", "globex", Role.EDITOR);
  static final ConfigRef LANDING = new ConfigRef("acme", "landing");
  static final ConfigRef PRICING = new ConfigRef("acme", "pricing");
  static final ConfigRef GONE = new ConfigRef("acme", "gone");
  static final ConfigRef HOME = new ConfigRef("globex", "home");
  static final List<ConfigRef> ALL = List.of(LANDING, PRICING, GONE, HOME);

  /** Small retention and frequent snapshots, so history is pruned and snapshots are copied. */
  static final Tunables SMALL = new Tunables(6, 1, 3600, 300, 3);

  @TempDir Path tmp;
  final TestClock clock = new TestClock();
  final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : open) c.close();
  }

  /** The repository beneath each store opened here, which the copy works on. */
  final Map<ConfigStore, JdbcConfigRepository> repositories = new HashMap<>();

  ConfigService sqlite(String name) {
    return opened(JdbcConfigRepository.sqlite(tmp.resolve(name), SMALL, clock));
  }

  ConfigService postgres(String url) {
    return opened(JdbcConfigRepository.open(url, SMALL, clock));
  }

  private ConfigService opened(JdbcConfigRepository repository) {
    ConfigService s = Stores.over(repository, SMALL, clock);
    repositories.put(s, repository);
    open.add(s);
    return s;
  }

  static JsonNode json(String text) {
    return Json.parse(text);
  }

  static Patch patch(String text) {
    return Patch.fromJson(Json.parse(text));
  }

  /** Tokens made by {@link #fill}: the secrets of a live one and of a revoked one. */
  record Secrets(String live, String revoked) {}

  /** Configs of two tenants with every kind of revision, a pruned history, locks and tokens. */
  Secrets fill(ConfigService s) {
    Write w = Write.PLAIN;
    s.create(SARAH, LANDING, json("{\"title\":\"Shoes\",\"sections\":[{\"id\":\"a\"}]}"), w);
    s.patch(
        TOM,
        LANDING,
        patch("[{\"op\":\"add\",\"path\":\"/sections/-\",\"value\":{\"id\":\"b\"}}]"),
        1L,
        w);
    s.save(
        SARAH,
        LANDING,
        json("{\"title\":\"Sale\",\"sections\":[{\"id\":\"a\"},{\"id\":\"b\"}]}"),
        2L,
        new Write(null, "spring sale", false));
    s.undo(TOM, LANDING, false, 1, null, w);
    s.redo(TOM, LANDING, 1, null, w);
    s.patch(
        SARAH,
        LANDING,
        patch("[{\"op\":\"replace\",\"path\":\"/title\",\"value\":\"Big sale\"}]"),
        null,
        w);
    s.create(TOM, PRICING, json("{\"price\":0}"), w);
    for (int i = 1; i <= 12; i++) {
      s.patch(
          i % 2 == 0 ? SARAH : TOM,
          PRICING,
          patch("[{\"op\":\"replace\",\"path\":\"/price\",\"value\":" + i + "}]"),
          null,
          w);
    }
    s.create(SARAH, GONE, json("{\"x\":1}"), w);
    s.delete(SARAH, GONE, 1, w);
    s.create(GINA, HOME, json("{\"hero\":\"hi\"}"), w);
    s.patch(GINA, HOME, patch("[{\"op\":\"add\",\"path\":\"/cta\",\"value\":\"go\"}]"), null, w);
    Lock first = s.acquire(SARAH, LANDING, new LockRequest(60L, "cli", null, false, null));
    s.release(SARAH, LANDING, first.id());
    s.acquire(TOM, LANDING, new LockRequest(600L, "web tab 3", "editing", false, null));
    Lock never =
        s.acquire(
            SARAH,
            new ConfigRef("acme", "never-created"),
            new LockRequest(60L, "cli", null, false, null));
    s.release(SARAH, never.ref(), never.id());
    String live =
        s.createToken(ADMIN, new Principal("ci", "CI", "acme", Role.EDITOR), null).secret();
    Token.Issued revoked =
        s.createToken(ADMIN, new Principal("old", "Old", "acme", Role.VIEWER), 30);
    s.revokeToken(ADMIN, revoked.token().id());
    return new Secrets(live, revoked.secret());
  }

  StoreCopy.Report copy(ConfigService from, ConfigService to, boolean tokens) {
    return copy(
        from, to, new StoreCopy.Options(tokens, false, false, 3), new StoreCopy.Listener() {});
  }

  StoreCopy.Report copy(
      ConfigService from, ConfigService to, StoreCopy.Options o, StoreCopy.Listener l) {
    return new StoreCopy(repositories.get(from), repositories.get(to), o, l).run();
  }

  /** Every revision, every retained version's content and the current state read the same. */
  static void assertSameConfigs(ConfigStore a, ConfigStore b) {
    for (ConfigRef ref : ALL) {
      HistoryQuery all = new HistoryQuery(1000, null, null, null, null);
      List<Revision> ha = a.history(ADMIN, ref, all).items();
      List<Revision> hb = b.history(ADMIN, ref, all).items();
      assertThat(hb).as("history of %s", ref).hasSameSizeAs(ha);
      for (int i = 0; i < ha.size(); i++) {
        assertThat(hb.get(i).toJson())
            .as("%s revision %s", ref, ha.get(i).version())
            .isEqualTo(ha.get(i).toJson());
        long v = ha.get(i).version();
        if (ha.get(i).kind() == Revision.Kind.DELETE) continue;
        assertThat(b.get(ADMIN, ref, v).content())
            .as("%s@%s", ref, v)
            .isEqualTo(a.get(ADMIN, ref, v).content());
      }
    }
  }

  static void assertOk(StoreCopy.Report r) {
    assertThat(r.refused()).isEmpty();
    assertThat(r.failed()).isEmpty();
    assertThat(r.mismatches()).isEmpty();
    assertThat(r.ok()).isTrue();
  }

  static int fence(ConfigService s, ConfigRef ref) {
    Lock l = s.acquire(SARAH, ref, new LockRequest(60L, "test", null, true, "test"));
    s.release(SARAH, ref, l.id());
    return (int) l.fence();
  }

  @Test
  void sqliteToPostgresAndBackKeepsEveryRevisionFenceAndTokenButNoLock() {
    ConfigService source = sqlite("source.db");
    Secrets secrets = fill(source);
    ConfigService pg = postgres(Databases.freshPostgresSchema());
    ConfigService back = sqlite("back.db");

    StoreCopy.Report there = copy(source, pg, true);
    assertOk(there);
    assertThat(there.configs()).isEqualTo(4);
    assertThat(there.tenants()).isEqualTo(2);
    assertThat(there.outcomes().get(Outcome.COPIED)).isEqualTo(4);
    assertThat(there.revisions()).isEqualTo(6 + 7 + 2 + 2); // pricing keeps 7 of its 13
    assertThat(there.verified()).isEqualTo(4);
    assertThat(there.tokens().copied()).isEqualTo(2);
    assertThat(there.liveLocks()).isEqualTo(1);
    assertOk(copy(pg, back, true));

    for (ConfigService target : List.of(pg, back)) {
      assertSameConfigs(source, target);
      assertThat(target.lock(ADMIN, LANDING)).as("locks stay behind").isEmpty();
      assertThat(target.authenticate(secrets.live()).id()).isEqualTo("ci");
      assertThatThrownBy(() -> target.authenticate(secrets.revoked()))
          .isInstanceOf(StoreException.class);
    }
    // fences only grow: the source handed out 2 on landing and 1 on a name never created
    assertThat(fence(back, LANDING)).isEqualTo(3);
    assertThat(fence(back, new ConfigRef("acme", "never-created"))).isEqualTo(2);
    // undo stacks are derived from the copied history: Tom's and Sarah's undo the same on both
    source.forceRelease(ADMIN, LANDING, "test"); // Tom's live lock stayed with the source
    for (Principal who : List.of(SARAH, TOM)) {
      source.undo(who, LANDING, false, 1, null, Write.PLAIN);
      back.undo(who, LANDING, false, 1, null, Write.PLAIN);
      assertThat(back.get(ADMIN, LANDING).content())
          .isEqualTo(source.get(ADMIN, LANDING).content());
    }
    source.undo(SARAH, GONE, false, 1, null, Write.PLAIN); // undo the delete
    back.undo(SARAH, GONE, false, 1, null, Write.PLAIN);
    assertThat(back.get(ADMIN, GONE).content()).isEqualTo(json("{\"x\":1}"));
  }

  @Test
  void aSecondRunSkipsWhatIsThereAndCopiesWhatIsMissing() throws SQLException {
    ConfigService source = sqlite("source.db");
    fill(source);
    String url = Databases.freshPostgresSchema();
    ConfigService pg = postgres(url);
    assertOk(copy(source, pg, false));
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      s.execute("DELETE FROM configs WHERE name IN ('pricing', 'home')");
      s.execute("DELETE FROM revisions WHERE name IN ('pricing', 'home')");
    }
    StoreCopy.Report again = copy(source, pg, false);
    assertOk(again);
    assertThat(again.outcomes())
        .containsEntry(Outcome.COPIED, 2)
        .containsEntry(Outcome.UNCHANGED, 2);
    assertThat(again.revisions()).isEqualTo(7 + 2);
    assertThat(again.auditRows()).as("audit rows are copied once").isZero();
    assertSameConfigs(source, pg);
  }

  @Test
  void aCopyInterruptedHalfWayIsFinishedByRunningItAgain() {
    ConfigService source = sqlite("source.db");
    fill(source);
    ConfigService target = sqlite("target.db");
    AtomicInteger copied = new AtomicInteger();
    StoreCopy.Report broken =
        copy(
            source,
            target,
            new StoreCopy.Options(false, false, false, 1),
            new StoreCopy.Listener() {
              @Override
              public void done(ConfigRef ref, Outcome outcome) {
                if (copied.incrementAndGet() == 2) throw new IllegalStateException("killed");
              }
            });
    assertThat(broken.failed()).hasSize(1).allMatch(f -> f.endsWith("killed"));
    assertThat(broken.ok()).isFalse();
    assertThat(broken.outcomes().values().stream().mapToInt(i -> i).sum()).isLessThan(4);

    StoreCopy.Report again = copy(source, target, false);
    assertOk(again);
    assertThat(again.outcomes().get(Outcome.UNCHANGED)).isEqualTo(2);
    assertThat(again.outcomes().get(Outcome.COPIED)).isEqualTo(2);
    assertSameConfigs(source, target);
  }

  @Test
  void configsWrittenOnTheSourceSinceTheLastCopyAreCaughtUp() {
    ConfigService source = sqlite("source.db");
    fill(source);
    ConfigService target = postgres(Databases.freshPostgresSchema());
    assertOk(copy(source, target, false));
    for (int i = 0; i < 4; i++) {
      source.patch(
          GINA,
          HOME,
          patch("[{\"op\":\"replace\",\"path\":\"/cta\",\"value\":\"v" + i + "\"}]"),
          null,
          Write.PLAIN);
    }
    StoreCopy.Report again = copy(source, target, false);
    assertOk(again);
    assertThat(again.outcomes())
        .containsEntry(Outcome.CAUGHT_UP, 1)
        .containsEntry(Outcome.UNCHANGED, 3);
    assertThat(again.revisions()).isEqualTo(4);
    assertSameConfigs(source, target);
  }

  @Test
  void aConfigWithAnotherHistoryOnTheTargetIsRefusedUnlessOverwritten() {
    ConfigService source = sqlite("source.db");
    fill(source);
    ConfigService target = sqlite("target.db");
    target.create(TOM, PRICING, json("{\"price\":99}"), Write.PLAIN);

    StoreCopy.Report r = copy(source, target, false);
    assertThat(r.refused())
        .singleElement()
        .asString()
        .startsWith("acme/pricing: the target has it");
    assertThat(r.outcomes()).containsEntry(Outcome.REFUSED, 1).containsEntry(Outcome.COPIED, 3);
    assertThat(target.get(ADMIN, PRICING).content())
        .as("left alone")
        .isEqualTo(json("{\"price\":99}"));

    StoreCopy.Report forced =
        copy(
            source,
            target,
            new StoreCopy.Options(false, true, false, 2),
            new StoreCopy.Listener() {});
    assertOk(forced);
    assertThat(forced.outcomes()).containsEntry(Outcome.REPLACED, 1);
    assertSameConfigs(source, target);
  }

  @Test
  void aDryRunWritesNothing() {
    ConfigService source = sqlite("source.db");
    fill(source);
    ConfigService target = sqlite("target.db");
    StoreCopy.Report r =
        copy(
            source,
            target,
            new StoreCopy.Options(true, false, true, 2),
            new StoreCopy.Listener() {});
    assertThat(r.outcomes().get(Outcome.COPIED)).isEqualTo(4);
    assertThat(r.revisions()).isEqualTo(17);
    assertThat(r.tokens().copied()).isEqualTo(2);
    assertThat(target.list(ADMIN, "acme", null, 100, null).items()).isEmpty();
    assertThat(target.tokens(ADMIN)).isEmpty();
  }

  @Test
  void verificationCatchesARowChangedOnTheTarget() throws SQLException {
    ConfigService source = sqlite("source.db");
    fill(source);
    String url = Databases.freshPostgresSchema();
    ConfigService target = postgres(url);
    StoreCopy.Report r =
        copy(
            source,
            target,
            new StoreCopy.Options(false, false, false, 2),
            tamperBeforeVerifying(
                url,
                "UPDATE revisions SET snapshot = '{\"hero\":\"evil\"}'"
                    + " WHERE name = 'home' AND version = 2"));
    assertThat(r.ok()).isFalse();
    assertThat(r.mismatches())
        .singleElement()
        .asString()
        .startsWith("globex/home: revision rows differ; content SHA-256");
  }

  @Test
  void verificationCatchesAMissingAuditRow() throws SQLException {
    ConfigService source = sqlite("source.db");
    fill(source);
    String url = Databases.freshPostgresSchema();
    ConfigService target = postgres(url);
    StoreCopy.Report r =
        copy(
            source,
            target,
            new StoreCopy.Options(false, false, false, 2),
            tamperBeforeVerifying(
                url, "DELETE FROM audit WHERE seq = (SELECT MAX(seq) FROM audit)"));
    assertThat(r.mismatches()).containsExactly("1 audit rows are not on the target");
  }

  /** A listener that runs {@code sql} on the database once copying is over, before verification. */
  static StoreCopy.Listener tamperBeforeVerifying(String url, String sql) {
    return new StoreCopy.Listener() {
      @Override
      public void phase(String name, int total) {
        if (!name.equals("verify")) return;
        try (Connection c = DriverManager.getConnection(url);
            Statement s = c.createStatement()) {
          s.execute(sql);
        } catch (SQLException e) {
          throw new IllegalStateException(e);
        }
      }
    };
  }

  @Test
  void newColumnsAreCopiedByNameAndOtherTablesAreNot() throws SQLException {
    ConfigService source = sqlite("source.db");
    fill(source);
    String url = Databases.freshPostgresSchema();
    ConfigService target = postgres(url);
    Consumer<String> onSource = sql -> sqlite(tmp.resolve("source.db"), sql);
    // a column a later migration adds to configs, and the table of idempotency keys, which the
    // copy must leave alone (a key's answer belongs to the server that gave it)
    onSource.accept("ALTER TABLE configs ADD COLUMN future_bytes BIGINT");
    onSource.accept("UPDATE configs SET future_bytes = length(name) * 1000");
    onSource.accept(
        "INSERT INTO idempotency_keys VALUES ('acme/alice', 'k1', 'r', 'acme',"
            + " 'landing', '{\"versions\":[1]}', 0)");
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      s.execute("ALTER TABLE configs ADD COLUMN future_bytes BIGINT");
      s.execute("ALTER TABLE configs ADD COLUMN only_here TEXT NOT NULL DEFAULT 'x'");
    }
    assertOk(copy(source, target, false));
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      var rs = s.executeQuery("SELECT SUM(future_bytes), MIN(only_here) FROM configs");
      rs.next();
      assertThat(rs.getLong(1)).isEqualTo(7000 + 7000 + 4000 + 4000);
      assertThat(rs.getString(2)).isEqualTo("x");
      rs = s.executeQuery("SELECT COUNT(*) FROM idempotency_keys");
      rs.next();
      assertThat(rs.getInt(1)).as("idempotency keys are not copied").isZero();
    }
    assertSameConfigs(source, target);
  }

  @Test
  void aColumnTheTargetLacksIsRefusedBeforeAnythingIsCopied() {
    ConfigService source = sqlite("source.db");
    fill(source);
    ConfigService target = sqlite("target.db");
    sqlite(tmp.resolve("source.db"), "ALTER TABLE revisions ADD COLUMN signature TEXT");
    assertThatThrownBy(() -> copy(source, target, false))
        .isInstanceOf(StoreException.class)
        .hasMessage("the target's table revisions has no column signature: copying would lose it");
    assertThat(target.list(ADMIN, "acme", null, 100, null).items()).isEmpty();
  }

  @Test
  void tokensKeepTheirRevocationAndAClashingTokenIsRefused() throws SQLException {
    ConfigService source = sqlite("source.db");
    Secrets secrets = fill(source);
    ConfigService target = sqlite("target.db");
    assertOk(copy(source, target, true));
    Token ci =
        source.tokens(ADMIN).stream()
            .filter(t -> t.principal().id().equals("ci"))
            .findFirst()
            .orElseThrow();
    source.revokeToken(ADMIN, ci.id());
    StoreCopy.Report again = copy(source, target, true);
    assertOk(again);
    assertThat(again.tokens().revoked()).isEqualTo(1);
    assertThatThrownBy(() -> target.authenticate(secrets.live()))
        .isInstanceOf(StoreException.class);

    sqlite(
        tmp.resolve("target.db"), "UPDATE tokens SET hash = 'other' WHERE id = '" + ci.id() + "'");
    StoreCopy.Report clash = copy(source, target, true);
    assertThat(clash.refused())
        .containsExactly(
            "token " + ci.id() + ": the target has another token with this id or secret");
  }

  @Test
  void storesOfDifferentSchemaVersionsAreRefused() {
    ConfigService source = sqlite("source.db");
    ConfigService target = sqlite("target.db");
    sqlite(tmp.resolve("source.db"), "INSERT INTO schema_version VALUES (99)");
    assertThatThrownBy(() -> copy(source, target, false))
        .hasMessageStartingWith(
            "the source's schema is version 99 and the target's 6: a newer"
                + " cfgctl has written to the source");
  }

  /** Runs one statement on a SQLite file, beside the store that has it open. */
  static void sqlite(Path file, String sql) {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = c.createStatement()) {
      s.execute("PRAGMA busy_timeout = 10000");
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
