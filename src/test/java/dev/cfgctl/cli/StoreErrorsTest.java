package dev.cfgctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cfgctl.api.ProblemJson;
import dev.cfgctl.patch.Patch;
import dev.cfgctl.store.Author;
import dev.cfgctl.store.ConfigRef;
import dev.cfgctl.store.Lock;
import dev.cfgctl.store.LockedException;
import dev.cfgctl.store.Problem;
import dev.cfgctl.store.Refusals;
import dev.cfgctl.store.Revision;
import dev.cfgctl.store.StoreException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Refusals as a person reads them, written from the refusal's typed fields. */
class StoreErrorsTest {
  static final ConfigRef LANDING = new ConfigRef("acme", "landing");
  static final Instant NOW = Instant.parse("2026-11-28T10:06:00Z");
  static final Revision SUMMER =
      new Revision(
          LANDING,
          8,
          Revision.Kind.SAVE,
          new Author("sarah", "Sarah"),
          Instant.parse("2026-11-28T10:04:00Z"),
          "summer",
          List.of("/title", ""),
          null,
          false,
          null,
          null,
          Patch.EMPTY,
          Patch.EMPTY);

  @Test
  void aStaleWriteNamesTheChangesSinceTheSameLocallyAndOverTheWire() {
    StoreException local = Refusals.stale(LANDING, 7, 8, List.of(SUMMER));
    StoreException remote = ProblemJson.decode(412, ProblemJson.encode(local));

    String expected =
        "acme/landing is at version 8, not 7; since then: v8 save by Sarah 2m ago:"
            + " /title (whole document) (summer)";
    assertThat(StoreErrors.translate(local, NOW).getMessage()).isEqualTo(expected);
    assertThat(StoreErrors.translate(remote, NOW).getMessage()).isEqualTo(expected);
    assertThat(StoreErrors.translate(remote, NOW).hint()).endsWith("start again from version 8");
  }

  @Test
  void aConflictWhoseHistoryIsGoneSaysSoBeforeTheChangesSince() {
    StoreException e = Refusals.notRetained(LANDING, 3, 8, List.of(SUMMER));

    assertThat(StoreErrors.translate(e, NOW).getMessage())
        .isEqualTo(
            "acme/landing is at version 8"
                + " and the changes since version 3 are no longer all retained, so nothing can be rebased"
                + " over them; start again from version 8; since then: v8 save by Sarah 2m ago: /title"
                + " (whole document) (summer)");
  }

  @Test
  void aConflictWithoutItsTypedFormIsShownAsItsDetail() {
    StoreException e =
        new StoreException(
                Problem.VERSION_CONFLICT,
                "acme/landing changed" + " concurrently; since then: (this is no list)")
            .with("expectedVersion", 7);

    CliException shown = StoreErrors.translate(e, NOW);
    assertThat(shown.getMessage()).isEqualTo(e.getMessage());
    assertThat(shown.hint()).contains("--rebase");
  }

  @Test
  void aLockedConfigIsDescribedFromItsLockAsOfNow() {
    Lock lock =
        new Lock(
            "secret",
            LANDING,
            new Author("bob", "Bob"),
            "web",
            null,
            Instant.parse("2026-11-28T10:04:00Z"),
            Instant.parse("2026-11-28T10:05:00Z"),
            Instant.parse("2026-11-28T10:09:00Z"),
            300,
            4);
    StoreException e =
        ProblemJson.decode(
            423,
            ProblemJson.encode(new LockedException(Problem.LOCKED, "locked: as of then", lock)));

    CliException shown = StoreErrors.translate(e, NOW);
    assertThat(shown.getMessage())
        .isEqualTo(
            "locked: Bob (web) has held acme/landing since"
                + " 2026-11-28T10:04:00.000Z; the lock expires in 3m");
    assertThat(shown.hint()).contains("cfgctl lock acquire acme/landing --take-over");
  }
}
