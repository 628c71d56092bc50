package dev.cfgctl.app;

import dev.cfgctl.store.ConfigStore;
import dev.cfgctl.store.Problem;
import dev.cfgctl.store.StoreException;
import java.util.function.Supplier;

/** What a write's expected version means against the current one. Stateless. */
public final class Preconditions {
  /** What a write does about its expected version. */
  public enum Decision {
    /** No version expected, or the expected one is current: write on the current version. */
    CURRENT,
    /** Stale, and asked to rebase over the changes since (which must all be retained). */
    REBASE,
    /** Stale (or from the future) and not to be rebased: refused as a version conflict. */
    CONFLICT
  }

  /** How often a merge patch without a version is computed again when the config moved on. */
  public static final int MERGE_ATTEMPTS = 20;

  private Preconditions() {}

  /** What a write based on {@code expected} (null: any) does while {@code current} is latest. */
  public static Decision decide(Long expected, long current, boolean rebase) {
    if (expected == null || expected == current) return Decision.CURRENT;
    return rebase && expected < current ? Decision.REBASE : Decision.CONFLICT;
  }

  /** {@code If-Match: *} matches whatever version is current: no version check. */
  public static Long anyVersion(Long expectedVersion) {
    return expectedVersion != null && expectedVersion == ConfigStore.FORCE ? null : expectedVersion;
  }

  /**
   * Runs a write computed on the latest version, computed and tried again (up to {@link
   * #MERGE_ATTEMPTS} times in all) while another write got there first.
   */
  public static <T> T retryWhileStale(Supplier<T> write) {
    for (int attempt = 1; ; attempt++) {
      try {
        return write.get();
      } catch (StoreException e) {
        if (e.problem() != Problem.VERSION_CONFLICT || attempt == MERGE_ATTEMPTS) throw e;
      }
    }
  }
}
