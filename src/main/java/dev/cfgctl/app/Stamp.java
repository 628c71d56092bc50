package dev.cfgctl.app;

import dev.cfgctl.patch.Patch;
import dev.cfgctl.store.Author;
import dev.cfgctl.store.ConfigRef;
import dev.cfgctl.store.Revision;
import dev.cfgctl.store.Revision.Kind;
import java.time.Instant;
import java.util.List;

/** What every revision one write makes shares: who, when, why, and under which lock. */
record Stamp(Author author, Instant at, String message, String lockId) {

  /**
   * Version {@code version} of {@code ref}, made by {@code patch} and undone by {@code inverse}.
   */
  Revision revision(
      ConfigRef ref,
      long version,
      Kind kind,
      Patch patch,
      Patch inverse,
      Long undoes,
      boolean forced,
      Long rebasedFrom) {
    return revision(
        ref, version, kind, Revision.touched(patch), patch, inverse, undoes, forced, rebasedFrom);
  }

  /** A revision that deletes or restores the whole config, whose content stays as it was. */
  Revision wholeConfig(ConfigRef ref, long version, Kind kind, Long undoes, boolean forced) {
    return revision(
        ref, version, kind, List.of(""), Patch.EMPTY, Patch.EMPTY, undoes, forced, null);
  }

  private Revision revision(
      ConfigRef ref,
      long version,
      Kind kind,
      List<String> paths,
      Patch patch,
      Patch inverse,
      Long undoes,
      boolean forced,
      Long rebasedFrom) {
    return new Revision(
        ref,
        version,
        kind,
        author,
        at,
        message,
        paths,
        undoes,
        forced,
        rebasedFrom,
        lockId,
        patch,
        inverse);
  }
}
