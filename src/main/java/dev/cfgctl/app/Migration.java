package dev.cfgctl.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cfgctl.app.MigrationReport.ConfigResult;
import dev.cfgctl.app.MigrationReport.Outcome;
import dev.cfgctl.patch.JsonPatch;
import dev.cfgctl.patch.Patch;
import dev.cfgctl.patch.PatchFailedException;
import dev.cfgctl.patch.PatchOp;
import dev.cfgctl.store.ConfigRef;
import dev.cfgctl.store.ConfigStore;
import dev.cfgctl.store.ConfigSummary;
import dev.cfgctl.store.Document;
import dev.cfgctl.store.Lock;
import dev.cfgctl.store.Page;
import dev.cfgctl.store.Principal;
import dev.cfgctl.store.Problem;
import dev.cfgctl.store.StoreException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Applies one patch to every config of a tenant whose name matches a glob, several configs at once,
 * each with its own version check, and reports per config what happened. The rules that decide a
 * config's {@link Outcome} are all here, under "the outcome rules". Thread-safe.
 */
public final class Migration {
  /**
   * How to migrate: for real or as a dry run (the patch tried on each config's content, nothing
   * written), how many configs at once (at least 1), and how each write presents itself.
   */
  public record Options(boolean dryRun, int concurrency, ConfigStore.Write write) {
    public Options {
      if (concurrency < 1) throw new IllegalArgumentException("concurrency must be at least 1");
    }
  }

  /** Hears how far a migration got; {@link #migrated} is called from the migrating threads. */
  public interface Progress {
    Progress NONE = new Progress() {};

    /** The configs are listed: {@code configs} of them match. */
    default void started(int configs) {}

    /** One config is done. */
    default void migrated(ConfigResult result) {}

    /** All are done, or the migration failed. */
    default void finished() {}
  }

  private final ConfigStore store;
  private final Principal who;
  private final Clock clock;
  private final Function<StoreException, String> explain;

  /**
   * A migration service acting as {@code who}; {@code explain} turns a store's refusal of one
   * config into the detail its result carries.
   */
  public Migration(
      ConfigStore store, Principal who, Clock clock, Function<StoreException, String> explain) {
    this.store = store;
    this.who = who;
    this.clock = clock;
    this.explain = explain;
  }

  /**
   * Migrates the configs of {@code tenant} whose names match {@code glob} ({@code *}, {@code ?}).
   */
  public MigrationReport run(
      String tenant, String glob, Patch patch, Options options, Progress progress)
      throws InterruptedException {
    Pattern names = globPattern(glob);
    List<ConfigRef> refs = new ArrayList<>();
    for (ConfigSummary c : list(tenant, literalPrefix(glob))) {
      if (names.matcher(c.name()).matches()) refs.add(new ConfigRef(tenant, c.name()));
    }
    long t0 = System.nanoTime();
    progress.started(refs.size());
    ExecutorService pool =
        Executors.newFixedThreadPool(Math.min(options.concurrency(), Math.max(1, refs.size())));
    try {
      List<Future<ConfigResult>> futures = new ArrayList<>();
      for (ConfigRef ref : refs) {
        futures.add(
            pool.submit(
                () -> {
                  ConfigResult r = migrate(ref, patch, options);
                  progress.migrated(r);
                  return r;
                }));
      }
      List<ConfigResult> results = new ArrayList<>();
      for (Future<ConfigResult> f : futures) results.add(get(f));
      return new MigrationReport(options.dryRun(), results, System.nanoTime() - t0);
    } finally {
      pool.shutdownNow();
      progress.finished();
    }
  }

  /** A result, or the bug that kept a config from having one, as it was thrown. */
  private static ConfigResult get(Future<ConfigResult> f) throws InterruptedException {
    try {
      return f.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) throw r;
      if (e.getCause() instanceof Error r) throw r;
      throw new IllegalStateException(e.getCause());
    }
  }

  private List<ConfigSummary> list(String tenant, String prefix) {
    List<ConfigSummary> all = new ArrayList<>();
    String after = null;
    do {
      Page<ConfigSummary> page = store.list(who, tenant, prefix, 1000, after);
      all.addAll(page.items());
      after = page.next();
    } while (after != null);
    return all;
  }

  // ---------------------------------------------------------------- the outcome rules

  /**
   * One config. For real, the store applies the patch checked against the version of the latest
   * revision: the content travels only when a test op fails, to tell "already applied" (the patch's
   * changes are there) from drift. A refusal becomes the outcome {@link #outcomeOf} says.
   */
  private ConfigResult migrate(ConfigRef ref, Patch patch, Options options) {
    long t0 = System.nanoTime();
    try {
      if (options.dryRun()) return tryOn(ref, patch, options.write(), t0);
      long version =
          store
              .history(who, ref, new ConfigStore.HistoryQuery(1, null, null, null, null))
              .items()
              .get(0)
              .version();
      try {
        Document written = store.patch(who, ref, patch, version, options.write());
        return result(
            ref,
            written.version() == version ? Outcome.ALREADY_APPLIED : Outcome.APPLIED,
            written.version(),
            null,
            t0);
      } catch (StoreException e) {
        if (!isTestFailure(e)) throw e;
        Document d = store.get(who, ref);
        if (alreadyApplied(d.content(), patch)) {
          return result(ref, Outcome.ALREADY_APPLIED, d.version(), null, t0);
        }
        throw e;
      }
    } catch (StoreException e) {
      return result(ref, outcomeOf(e), null, explain.apply(e), t0);
    }
  }

  /**
   * A dry run: the patch tried on the content here. No change: already applied; a failed test op
   * whose changes are there: already applied; otherwise failed test op or failed; locked by someone
   * when the write would not be made under a lock; else it would apply.
   */
  private ConfigResult tryOn(ConfigRef ref, Patch patch, ConfigStore.Write w, long t0) {
    Document d = store.get(who, ref);
    try {
      JsonNode after = JsonPatch.apply(d.content(), patch).document();
      if (after.equals(d.content())) {
        return result(ref, Outcome.ALREADY_APPLIED, d.version(), null, t0);
      }
    } catch (PatchFailedException e) {
      if (e.isTestFailure() && alreadyApplied(d.content(), patch)) {
        return result(ref, Outcome.ALREADY_APPLIED, d.version(), null, t0);
      }
      return result(
          ref,
          e.isTestFailure() ? Outcome.TEST_FAILED : Outcome.FAILED,
          d.version(),
          e.getMessage(),
          t0);
    }
    Optional<Lock> lock = store.lock(who, ref);
    if (lock.isPresent() && w.lockId() == null) {
      return result(ref, Outcome.LOCKED, d.version(), lock.get().describe(clock.instant()), t0);
    }
    return result(ref, Outcome.APPLIED, d.version(), "dry run: would apply", t0);
  }

  /** The outcome of a store's refusal to patch a config. */
  static Outcome outcomeOf(StoreException e) {
    Problem p = e.problem();
    if (p == Problem.VERSION_CONFLICT || p == Problem.REBASE_CONFLICT) return Outcome.CONFLICT;
    if (p == Problem.LOCKED) return Outcome.LOCKED;
    if (isTestFailure(e)) return Outcome.TEST_FAILED;
    return Outcome.FAILED;
  }

  private static boolean isTestFailure(StoreException e) {
    return e.problem() == Problem.PATCH_FAILED && "test".equals(e.members().path("op").asText());
  }

  /** Whether the patch's changes are already there: without its test ops it changes nothing. */
  private static boolean alreadyApplied(JsonNode content, Patch patch) {
    List<PatchOp> changes = new ArrayList<>();
    for (PatchOp op : patch) if (op.op() != PatchOp.Kind.TEST) changes.add(op);
    if (changes.isEmpty()) return false;
    try {
      return JsonPatch.apply(content, new Patch(changes)).document().equals(content);
    } catch (PatchFailedException e) {
      return false;
    }
  }

  private static ConfigResult result(
      ConfigRef ref, Outcome o, Long version, String detail, long t0) {
    return new ConfigResult(ref, o, version, detail, System.nanoTime() - t0);
  }

  // ---------------------------------------------------------------- names

  /** A name glob as a regular expression: * any run of characters, ? one. */
  static Pattern globPattern(String glob) {
    StringBuilder re = new StringBuilder();
    for (char c : glob.toCharArray()) {
      if (c == '*') re.append(".*");
      else if (c == '?') re.append('.');
      else re.append(Pattern.quote(String.valueOf(c)));
    }
    return Pattern.compile(re.toString());
  }

  /** The part of the glob before its first wildcard: the store lists only names with it. */
  static String literalPrefix(String glob) {
    int i = 0;
    while (i < glob.length() && glob.charAt(i) != '*' && glob.charAt(i) != '?') i++;
    return i == 0 ? null : glob.substring(0, i);
  }
}
