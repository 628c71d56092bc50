package dev.cfgctl.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cfgctl.app.MigrationReport.ConfigResult;
import dev.cfgctl.app.MigrationReport.Outcome;
import dev.cfgctl.patch.Json;
import dev.cfgctl.patch.Patch;
import dev.cfgctl.store.ConfigRef;
import dev.cfgctl.store.ConfigStore;
import dev.cfgctl.store.ConfigStore.LockRequest;
import dev.cfgctl.store.Principal;
import dev.cfgctl.store.Problem;
import dev.cfgctl.store.Role;
import dev.cfgctl.store.StoreException;
import dev.cfgctl.store.TestClock;
import dev.cfgctl.store.Tunables;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The migration service on the embedded store, on a test clock. */
class MigrationTest {
  private static final Principal ALICE = new Principal("alice", "Alice", "acme", Role.EDITOR);
  private static final Principal BOB = new Principal("bob", "Bob", "acme", Role.EDITOR);
  private static final Patch CTA =
      Patch.fromJson(
          Json.parse(
              "[{\"op\":\"test\",\"path\":\"/cta\",\"value\":\"Buy\"},"
                  + "{\"op\":\"replace\",\"path\":\"/cta\",\"value\":\"Order now\"}]"));
  private static final Migration.Options FOR_REAL =
      new Migration.Options(false, 8, ConfigStore.Write.PLAIN);
  private static final Migration.Options DRY_RUN =
      new Migration.Options(true, 8, ConfigStore.Write.PLAIN);

  @TempDir Path dir;
  private final TestClock clock = new TestClock();
  private final Events progress = new Events();
  private ConfigStore store;
  private Migration migration;

  @BeforeEach
  void openStore() {
    store = Stores.sqlite(dir.resolve("cfgctl.db"), Tunables.DEFAULT, clock);
    for (String name : List.of("landing-1", "landing-2", "landing-3", "landing-10", "other")) {
      store.create(ALICE, ref(name), Json.parse("{\"cta\":\"Buy\"}"), ConfigStore.Write.PLAIN);
    }
    migration = new Migration(store, ALICE, clock, e -> "explained: " + e.getMessage());
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  private static ConfigRef ref(String name) {
    return new ConfigRef("acme", name);
  }

  private String cta(String name) {
    return store.get(ALICE, ref(name)).content().get("cta").asText();
  }

  private long version(String name) {
    return store.get(ALICE, ref(name)).version();
  }

  @Test
  void everyMatchingConfigIsPatchedAndNoOther() throws Exception {
    MigrationReport report = migration.run("acme", "landing-?", CTA, FOR_REAL, progress);

    assertThat(report.configs())
        .extracting(r -> r.ref().name())
        .containsExactly("landing-1", "landing-2", "landing-3");
    assertThat(report.configs())
        .allSatisfy(
            r -> {
              assertThat(r.outcome()).isEqualTo(Outcome.APPLIED);
              assertThat(r.version()).isEqualTo(2L);
              assertThat(r.detail()).isNull();
            });
    assertThat(report.succeeded()).isTrue();
    assertThat(report.counts()).containsEntry(Outcome.APPLIED, 3).containsEntry(Outcome.FAILED, 0);
    assertThat(cta("landing-2")).isEqualTo("Order now");
    assertThat(cta("landing-10")).isEqualTo("Buy");
    assertThat(cta("other")).isEqualTo("Buy");
    assertThat(progress.all)
        .startsWith("started 3")
        .endsWith("finished")
        .hasSize(5)
        .contains("acme/landing-1 applied", "acme/landing-2 applied", "acme/landing-3 applied");
  }

  @Test
  void aSecondRunFindsTheChangeAlreadyAppliedAndWritesNothing() throws Exception {
    migration.run("acme", "landing-*", CTA, FOR_REAL, Migration.Progress.NONE);

    MigrationReport again =
        migration.run("acme", "landing-*", CTA, FOR_REAL, Migration.Progress.NONE);

    assertThat(again.configs())
        .hasSize(4)
        .allSatisfy(
            r -> {
              assertThat(r.outcome()).isEqualTo(Outcome.ALREADY_APPLIED);
              assertThat(r.version()).isEqualTo(2L);
            });
    assertThat(again.succeeded()).isTrue();
    assertThat(version("landing-1")).isEqualTo(2);
  }

  @Test
  void driftFailsTheTestOpAndAnotherHoldersLockRefusesTheWrite() throws Exception {
    store.patch(
        BOB,
        ref("landing-2"),
        Patch.fromJson(Json.parse("[{\"op\":\"replace\",\"path\":\"/cta\",\"value\":\"Sale\"}]")),
        1L,
        ConfigStore.Write.PLAIN);
    store.acquire(BOB, ref("landing-3"), new LockRequest(60L, "web", null, false, null));

    MigrationReport report = migration.run("acme", "landing-?", CTA, FOR_REAL, progress);

    assertThat(report.configs())
        .extracting(ConfigResult::outcome)
        .containsExactly(Outcome.APPLIED, Outcome.TEST_FAILED, Outcome.LOCKED);
    ConfigResult locked = report.configs().get(2);
    assertThat(locked.detail()).startsWith("explained: ");
    assertThat(locked.version()).isNull();
    assertThat(locked.message()).startsWith("locked: explained: ");
    assertThat(report.failures()).isEqualTo(2);
    assertThat(report.succeeded()).isFalse();
    assertThat(cta("landing-2")).isEqualTo("Sale");
    assertThat(cta("landing-3")).isEqualTo("Buy");
  }

  @Test
  void aDryRunTriesThePatchOnEachConfigAndWritesNothing() throws Exception {
    migration.run("acme", "landing-2", CTA, FOR_REAL, Migration.Progress.NONE);
    store.acquire(BOB, ref("landing-3"), new LockRequest(60L, "web", null, false, null));

    MigrationReport report = migration.run("acme", "landing-?", CTA, DRY_RUN, progress);

    assertThat(report.dryRun()).isTrue();
    assertThat(report.configs())
        .extracting(ConfigResult::outcome)
        .containsExactly(Outcome.APPLIED, Outcome.ALREADY_APPLIED, Outcome.LOCKED);
    assertThat(report.configs().get(0).detail()).isEqualTo("dry run: would apply");
    assertThat(report.configs().get(2).detail())
        .isEqualTo(
            "Bob (web) has held acme/landing-3 since 2026-11-28T10:00:00.000Z; the lock expires in"
                + " 1m");
    assertThat(version("landing-1")).isEqualTo(1);
    assertThat(version("landing-3")).isEqualTo(1);
  }

  @Test
  void theOutcomeOfARefusalFollowsItsProblem() {
    assertThat(Migration.outcomeOf(new StoreException(Problem.VERSION_CONFLICT, "x")))
        .isEqualTo(Outcome.CONFLICT);
    assertThat(Migration.outcomeOf(new StoreException(Problem.REBASE_CONFLICT, "x")))
        .isEqualTo(Outcome.CONFLICT);
    assertThat(Migration.outcomeOf(new StoreException(Problem.LOCKED, "x")))
        .isEqualTo(Outcome.LOCKED);
    assertThat(
            Migration.outcomeOf(new StoreException(Problem.PATCH_FAILED, "x").with("op", "test")))
        .isEqualTo(Outcome.TEST_FAILED);
    assertThat(
            Migration.outcomeOf(new StoreException(Problem.PATCH_FAILED, "x").with("op", "remove")))
        .isEqualTo(Outcome.FAILED);
    assertThat(Migration.outcomeOf(new StoreException(Problem.FORBIDDEN, "x")))
        .isEqualTo(Outcome.FAILED);
  }

  @Test
  void aGlobMatchesWholeNamesWithStarAndQuestionMarkOnly() {
    assertThat(Migration.globPattern("landing-?").matcher("landing-1").matches()).isTrue();
    assertThat(Migration.globPattern("landing-?").matcher("landing-10").matches()).isFalse();
    assertThat(Migration.globPattern("*-1*").matcher("landing-10").matches()).isTrue();
    assertThat(Migration.globPattern("a.b").matcher("axb").matches()).isFalse();
    assertThat(Migration.literalPrefix("landing-*")).isEqualTo("landing-");
    assertThat(Migration.literalPrefix("land?ng")).isEqualTo("land");
    assertThat(Migration.literalPrefix("*x")).isNull();
    assertThat(Migration.literalPrefix("landing")).isEqualTo("landing");
  }

  @Test
  void noMatchingConfigIsASuccessWithNothingToReport() throws Exception {
    MigrationReport report = migration.run("acme", "nothing-*", CTA, FOR_REAL, progress);

    assertThat(report.configs()).isEmpty();
    assertThat(report.succeeded()).isTrue();
    assertThat(progress.all).containsExactly("started 0", "finished");
  }

  /** What the migration told its progress listener. */
  private static final class Events implements Migration.Progress {
    final List<String> all = new CopyOnWriteArrayList<>();

    @Override
    public void started(int configs) {
      all.add("started " + configs);
    }

    @Override
    public void migrated(ConfigResult result) {
      all.add(result.ref() + " " + result.outcome().label());
    }

    @Override
    public void finished() {
      all.add("finished");
    }
  }
}
