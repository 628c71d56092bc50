package dev.cfgctl.app;

import dev.cfgctl.store.ConfigRef;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What a migration did: one result per config, in the order of their names, the totals per outcome,
 * and the time it took on the wall clock (the configs were migrated at once, so this is not the sum
 * of theirs). Immutable.
 */
public record MigrationReport(boolean dryRun, List<ConfigResult> configs, long wallNanos) {
  public MigrationReport {
    configs = List.copyOf(configs);
  }

  /** What happened to one config; {@link Migration} holds the rules that decide it. */
  public enum Outcome {
    APPLIED("applied"),
    ALREADY_APPLIED("already applied"),
    CONFLICT("conflict"),
    TEST_FAILED("failed test op"),
    LOCKED("locked"),
    FAILED("failed");

    private final String label;

    Outcome(String label) {
      this.label = label;
    }

    /** As people read it: {@code failed test op}. */
    public String label() {
      return label;
    }

    /** As a JSON and JUnit name: {@code failed-test-op}. */
    public String slug() {
      return label.replace(' ', '-');
    }

    /** Whether the config now has the change: applied, or already applied. */
    public boolean ok() {
      return this == APPLIED || this == ALREADY_APPLIED;
    }
  }

  /**
   * One config's outcome, its version after the migration (if known), a detail for people (null
   * when the outcome says it all) and how long its migration took.
   */
  public record ConfigResult(
      ConfigRef ref, Outcome outcome, Long version, String detail, long nanos) {
    /** "locked: Sarah (web) has held …": the outcome, then the detail (which may start with it). */
    public String message() {
      String prefix = outcome.label() + ": ";
      return detail == null
          ? outcome.label()
          : detail.startsWith(prefix) ? detail : prefix + detail;
    }
  }

  /** How many configs had each outcome, every outcome listed (in declaration order). */
  public Map<Outcome, Integer> counts() {
    Map<Outcome, Integer> n = new EnumMap<>(Outcome.class);
    for (Outcome o : Outcome.values()) n.put(o, 0);
    for (ConfigResult r : configs) n.merge(r.outcome(), 1, Integer::sum);
    return Collections.unmodifiableMap(n);
  }

  /** How many configs do not have the change. */
  public int failures() {
    return (int) configs.stream().filter(r -> !r.outcome().ok()).count();
  }

  /** Whether every config has the change now (a migration of no configs succeeds). */
  public boolean succeeded() {
    return failures() == 0;
  }
}
