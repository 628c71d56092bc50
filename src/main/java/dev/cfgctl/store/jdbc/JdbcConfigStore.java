package dev.cfgctl.store.jdbc;

import static dev.cfgctl.store.Access.allow;
import static dev.cfgctl.store.Access.notFound;
import static dev.cfgctl.store.Access.see;
import static dev.cfgctl.store.Preconditions.anyVersion;
import static dev.cfgctl.store.Preconditions.decide;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cfgctl.patch.Budget;
import dev.cfgctl.patch.JsonDiff;
import dev.cfgctl.patch.MergePatch;
import dev.cfgctl.patch.Patch;
import dev.cfgctl.patch.PatchFailedException;
import dev.cfgctl.store.Access;
import dev.cfgctl.store.ConfigRef;
import dev.cfgctl.store.ConfigStore;
import dev.cfgctl.store.ConfigSummary;
import dev.cfgctl.store.ContentLimits;
import dev.cfgctl.store.ContentLimits.Applied;
import dev.cfgctl.store.Document;
import dev.cfgctl.store.Limits;
import dev.cfgctl.store.Lock;
import dev.cfgctl.store.LockTtl;
import dev.cfgctl.store.Page;
import dev.cfgctl.store.Preconditions;
import dev.cfgctl.store.Preconditions.Decision;
import dev.cfgctl.store.Principal;
import dev.cfgctl.store.Problem;
import dev.cfgctl.store.Rebasing;
import dev.cfgctl.store.Refusals;
import dev.cfgctl.store.Revision;
import dev.cfgctl.store.Revision.Kind;
import dev.cfgctl.store.Role;
import dev.cfgctl.store.StoreException;
import dev.cfgctl.store.Token;
import dev.cfgctl.store.UndoStacks;
import dev.cfgctl.store.jdbc.Rows.RevRow;
import dev.cfgctl.store.jdbc.Rows.State;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * The store on SQLite or PostgreSQL. Every write — lock check, version check (a conditional update),
 * patch, inverse, revision row, audit row — is one transaction. History keeps each revision's patch
 * and inverse plus a full snapshot now and then (see {@link Rows#commit}), from which any retained
 * version, the current one included, is rebuilt; the current content of recently used configs is
 * cached parsed.
 */
public final class JdbcConfigStore implements ConfigStore {
  /** Tunables, each with the product's default. */
  public record Options(int retention, long minTtlSeconds, long maxTtlSeconds,
      long defaultTtlSeconds, int snapshotEvery, Limits limits) {
    public static final Options DEFAULT = new Options(1000, 5, 3600, 300, 100);

    public Options {
      if (retention < 1 || snapshotEvery < 1 || minTtlSeconds < 1 || maxTtlSeconds < minTtlSeconds
          || defaultTtlSeconds < minTtlSeconds || defaultTtlSeconds > maxTtlSeconds
          || limits == null) {
        throw new IllegalArgumentException("inconsistent store options");
      }
    }

    public Options(int retention, long minTtlSeconds, long maxTtlSeconds, long defaultTtlSeconds,
        int snapshotEvery) {
      this(retention, minTtlSeconds, maxTtlSeconds, defaultTtlSeconds, snapshotEvery,
          Limits.DEFAULT);
    }

    public Options withLimits(Limits limits) {
      return new Options(retention, minTtlSeconds, maxTtlSeconds, defaultTtlSeconds, snapshotEvery,
          limits);
    }

    public LockTtl lockTtl() {
      return new LockTtl(minTtlSeconds, maxTtlSeconds, defaultTtlSeconds);
    }
  }

  private final Database db;
  private final Tokens tokens;
  private final Locks locks;
  private final Options options;
  private final Clock clock;
  private final Rows rows;
  private final ContentLimits limits;
  /** The first write in progress on this server based on each version of a config (see write). */
  private final Map<Based, CompletableFuture<Void>> writing = new ConcurrentHashMap<>();

  private JdbcConfigStore(Database db, Options options, Clock clock) {
    this.db = db;
    this.tokens = new Tokens(db, clock);
    this.locks = new Locks(db, options.lockTtl(), clock);
    this.options = options;
    this.clock = clock;
    this.rows = new Rows(db.dialect, options.retention(), options.snapshotEvery());
    this.limits = new ContentLimits(options.limits());
  }

  /** The embedded store in one SQLite file, created owner-only if missing. */
  public static JdbcConfigStore sqlite(Path file, Options options, Clock clock) {
    return new JdbcConfigStore(new SqliteDatabase(file), options, clock);
  }

  /** A store on PostgreSQL ({@code jdbc:postgresql://…}) or SQLite ({@code jdbc:sqlite:FILE}). */
  public static JdbcConfigStore open(String jdbcUrl, Options options, Clock clock) {
    if (jdbcUrl.startsWith("jdbc:sqlite:")) {
      return sqlite(Path.of(jdbcUrl.substring("jdbc:sqlite:".length())), options, clock);
    }
    if (jdbcUrl.startsWith("jdbc:postgresql:")) {
      return new JdbcConfigStore(new PostgresDatabase(jdbcUrl, 16), options, clock);
    }
    throw new StoreException(Problem.INVALID_REQUEST,
        "unsupported database URL (expected jdbc:postgresql://HOST/DB or jdbc:sqlite:FILE)");
  }

  public Options options() {
    return options;
  }

  /** For the store's own tools (copy, verify): the database and the rows beneath the API. */
  Database database() {
    return db;
  }

  Rows rows() {
    return rows;
  }

  Clock clock() {
    return clock;
  }

  // ---------------------------------------------------------------- reads

  @Override
  public Document get(Principal who, ConfigRef ref) {
    see(who, ref.tenant(), ref);
    State s = db.read(c -> rows.load(c, ref));
    return live(s, ref).document(ref);
  }

  @Override
  public Document get(Principal who, ConfigRef ref, long version) {
    see(who, ref.tenant(), ref);
    return db.read(c -> {
      State s = rows.load(c, ref);
      if (s == null) throw notFound(ref);
      if (version == s.version()) return live(s, ref).document(ref);
      if (version < 1 || version > s.version()) {
        throw new StoreException(Problem.NOT_FOUND, ref + " has no version " + version
            + " (its latest is " + s.version() + ")");
      }
      RevRow r = Rows.revisionRow(c, ref, version);
      JsonNode content = rows.contentAt(c, ref, version);
      if (r.deleted()) throw Refusals.deleted(ref, version);
      return new Document(ref, version, content, r.at(), r.author());
    });
  }

  @Override
  public Page<ConfigSummary> list(Principal who, String tenant, String prefix, int limit,
      String after) {
    see(who, ConfigRef.checkName(tenant), null);
    int n = Math.max(1, Math.min(limit, 1000));
    String p = prefix == null ? "" : prefix;
    List<ConfigSummary> items = db.read(c -> Rows.summaries(c, tenant, p, after, n + 1));
    return page(items, n, ConfigSummary::name);
  }

  @Override
  public Page<Revision> history(Principal who, ConfigRef ref, HistoryQuery q) {
    see(who, ref.tenant(), ref);
    int n = Math.max(1, Math.min(q.limit(), 1000));
    List<Revision> items = db.read(c -> {
      if (!Rows.exists(c, ref)) throw notFound(ref);
      return Rows.history(c, ref, q, n + 1);
    });
    return page(items, n, r -> Long.toString(r.version()));
  }

  /** A page of {@code n} of {@code items} (read one more than that), the cursor after its last. */
  private static <T> Page<T> page(List<T> items, int n, Function<T, String> cursor) {
    if (items.size() <= n) return new Page<>(items, null);
    items.remove(n);
    return new Page<>(items, cursor.apply(items.get(n - 1)));
  }

  @Override
  public Revision revision(Principal who, ConfigRef ref, long version) {
    see(who, ref.tenant(), ref);
    return db.read(c -> {
      if (!Rows.exists(c, ref)) throw notFound(ref);
      return Rows.revisionRow(c, ref, version).revision();
    });
  }

  @Override
  public Optional<Lock> lock(Principal who, ConfigRef ref) {
    see(who, ref.tenant(), ref);
    return locks.lock(ref);
  }

  @Override
  public List<Lock> locks(Principal who, String tenant, Long staleAfterSeconds) {
    see(who, ConfigRef.checkName(tenant), null);
    return locks.locks(tenant, staleAfterSeconds);
  }


  // ---------------------------------------------------------------- content writes

  @Override
  public Document create(Principal who, ConfigRef ref, JsonNode content, Write w) {
    allow(who, ref, Role.EDITOR);
    long bytes = limits.checkNew(ref, content);
    return write(ref, who, null, w, c -> {
      Instant now = clock.instant();
      ObjectNode done = IdempotencyKeys.find(c, who, w.idempotency(), now);
      if (done != null) return IdempotencyKeys.replayed(c, rows, ref, who, done);
      State s = rows.load(c, ref);
      if (s != null && !s.deleted()) {
        throw new StoreException(Problem.ALREADY_EXISTS, ref + " already exists (version "
            + s.version() + ")").with("currentVersion", s.version());
      }
      String lockId = locks.check(c, ref, w.lockId(), who, now);
      Patch patch = new Patch(List.of(dev.cfgctl.patch.PatchOp.add(
          dev.cfgctl.patch.JsonPointer.ROOT, content)));
      Revision r = new Revision(ref, s == null ? 1 : s.version() + 1, Kind.CREATE, who.author(), now,
          w.message(), List.of(""), null, false, null, lockId, patch, Patch.EMPTY);
      return IdempotencyKeys.remember(c, who, w.idempotency(), rows.commit(c, s, r, content, false, bytes), now);
    });
  }

  @Override
  public Document save(Principal who, ConfigRef ref, JsonNode content, Long expectedVersion,
      Write w) {
    allow(who, ref, Role.EDITOR);
    if (expectedVersion == null) {
      throw new StoreException(Problem.PRECONDITION_REQUIRED, "saving " + ref
          + " needs the version the new content is based on (If-Match: \"N\"), or a forced"
          + " save (If-Match: *)");
    }
    limits.checkNew(ref, content);
    return write(ref, who, expectedVersion, w, c -> {
      Instant now = clock.instant();
      ObjectNode done = IdempotencyKeys.find(c, who, w.idempotency(), now);
      if (done != null) return IdempotencyKeys.replayed(c, rows, ref, who, done);
      State s = live(rows.load(c, ref), ref);
      String lockId = locks.check(c, ref, w.lockId(), who, now);
      boolean forced = expectedVersion == FORCE;
      Budget budget = limits.budget();
      JsonNode target = content;
      Long rebasedFrom = null;
      Decision d = forced ? Decision.CURRENT : decide(expectedVersion, s.version(), w.rebase());
      if (d == Decision.CONFLICT) throw versionConflict(c, ref, expectedVersion, s);
      if (d == Decision.REBASE) {
        List<Revision> since = revisionsToRebaseOver(c, ref, expectedVersion, s.version());
        JsonNode base = rows.contentAt(c, ref, expectedVersion);
        target = Rebasing.saveOver(ref, base, content, since, s.content(), budget);
        rebasedFrom = expectedVersion;
      }
      Patch patch = JsonDiff.diff(s.content(), target);
      if (patch.ops().isEmpty() && !forced) {
        return IdempotencyKeys.remember(c, who, w.idempotency(), s.document(ref).asUnchanged(), now);
      }
      checkDeadline(w);
      Applied a = limits.apply(ref, s.content(), s.contentBytes(), patch, budget);
      Revision r = new Revision(ref, s.version() + 1, Kind.SAVE, who.author(), now, w.message(),
          Revision.touched(patch), null, forced, rebasedFrom, lockId, patch, a.inverse());
      return IdempotencyKeys.remember(c, who, w.idempotency(), rows.commit(c, s, r, a.content(), false, a.bytes()), now);
    });
  }

  @Override
  public Document patch(Principal who, ConfigRef ref, Patch patch, Long expectedVersion, Write w) {
    allow(who, ref, Role.EDITOR);
    Long expected = anyVersion(expectedVersion);
    return write(ref, who, expected, w, c -> {
      Instant now = clock.instant();
      ObjectNode done = IdempotencyKeys.find(c, who, w.idempotency(), now);
      if (done != null) return IdempotencyKeys.replayed(c, rows, ref, who, done);
      State s = live(rows.load(c, ref), ref);
      String lockId = locks.check(c, ref, w.lockId(), who, now);
      Budget budget = limits.budget();
      Patch toApply = patch;
      Long rebasedFrom = null;
      Decision d = decide(expected, s.version(), w.rebase());
      if (d == Decision.CONFLICT) throw versionConflict(c, ref, expected, s);
      if (d == Decision.REBASE) {
        List<Revision> since = revisionsToRebaseOver(c, ref, expected, s.version());
        toApply = Rebasing.patchOver(ref, patch, since, s.content(), budget);
        rebasedFrom = expected;
      }
      checkDeadline(w);
      Applied a;
      try {
        a = limits.apply(ref, s.content(), s.contentBytes(), toApply, budget);
      } catch (PatchFailedException e) {
        throw Refusals.patchFailed(ref, e);
      }
      if (a.inverse().ops().isEmpty()) { // only tests passed
        return IdempotencyKeys.remember(c, who, w.idempotency(), s.document(ref).asUnchanged(), now);
      }
      Revision r = new Revision(ref, s.version() + 1, Kind.PATCH, who.author(), now, w.message(),
          Revision.touched(toApply), null, false, rebasedFrom, lockId, toApply, a.inverse());
      return IdempotencyKeys.remember(c, who, w.idempotency(), rows.commit(c, s, r, a.content(), false, a.bytes()), now);
    });
  }

  @Override
  public Document mergePatch(Principal who, ConfigRef ref, JsonNode mergePatch, Long expectedVersion,
      Write w) {
    allow(who, ref, Role.EDITOR);
    Long expected = anyVersion(expectedVersion);
    if (w.idempotency() != null) { // a retry: the content it was computed on may have changed since
      Document done = db.read(c -> {
        ObjectNode result = IdempotencyKeys.find(c, who, w.idempotency(), clock.instant());
        return result == null ? null : IdempotencyKeys.replayed(c, rows, ref, who, result);
      });
      if (done != null) return done;
    }
    // A merge patch is turned into the JSON Patch it means against the version it was written for,
    // so it is versioned, rebased and inverted like any other patch.
    if (expected != null) {
      Document current = get(who, ref);
      JsonNode base = switch (decide(expected, current.version(), w.rebase())) {
        case CURRENT -> current.content();
        case CONFLICT -> throw db.read(c -> versionConflict(c, ref, expected, current.version()));
        case REBASE -> db.read(c -> {
          requireHistory(c, ref, expected, current.version());
          return rows.contentAt(c, ref, expected);
        });
      };
      return this.patch(who, ref, diffOfMerge(base, mergePatch), expected, w);
    }
    // without a version it applies to whatever is current: computed on the latest version and
    // written only if that is still the latest, else computed again
    Write unrebased = new Write(w.lockId(), w.message(), false, w.minimal(), w.deadline(),
        w.idempotency());
    return Preconditions.retryWhileStale(() -> {
      Document current = get(who, ref);
      return this.patch(who, ref, diffOfMerge(current.content(), mergePatch), current.version(),
          unrebased);
    });
  }

  private static Patch diffOfMerge(JsonNode content, JsonNode mergePatch) {
    return JsonDiff.diff(content, MergePatch.apply(content, mergePatch));
  }

  @Override
  public long delete(Principal who, ConfigRef ref, long expectedVersion, Write w) {
    allow(who, ref, Role.EDITOR);
    Document d = write(ref, who, null, w, c -> {
      Instant now = clock.instant();
      ObjectNode done = IdempotencyKeys.find(c, who, w.idempotency(), now);
      if (done != null) return IdempotencyKeys.replayed(c, rows, ref, who, done);
      State s = live(rows.load(c, ref), ref);
      String lockId = locks.check(c, ref, w.lockId(), who, now);
      if (decide(anyVersion(expectedVersion), s.version(), false) == Decision.CONFLICT) {
        throw versionConflict(c, ref, expectedVersion, s);
      }
      Revision r = new Revision(ref, s.version() + 1, Kind.DELETE, who.author(), now, w.message(),
          List.of(""), null, expectedVersion == FORCE, null, lockId, Patch.EMPTY, Patch.EMPTY);
      return IdempotencyKeys.remember(c, who, w.idempotency(), rows.commit(c, s, r, s.content(), true, s.contentBytes()), now);
    });
    return d.version();
  }

  @Override
  public Revision rollback(Principal who, ConfigRef ref, long toVersion, long expectedVersion,
      Write w) {
    allow(who, ref, Role.EDITOR);
    Revision[] made = new Revision[1];
    write(ref, who, null, w, c -> {
      Instant now = clock.instant();
      ObjectNode done = IdempotencyKeys.find(c, who, w.idempotency(), now);
      if (done != null) {
        made[0] = IdempotencyKeys.replayedRevisions(c, ref, done).get(0);
        return null;
      }
      State s = live(rows.load(c, ref), ref);
      String lockId = locks.check(c, ref, w.lockId(), who, now);
      if (decide(anyVersion(expectedVersion), s.version(), false) == Decision.CONFLICT) {
        throw versionConflict(c, ref, expectedVersion, s);
      }
      if (toVersion < 1 || toVersion > s.version()) {
        throw new StoreException(Problem.NOT_FOUND, ref + " has no version " + toVersion);
      }
      RevRow at = Rows.revisionRow(c, ref, toVersion);
      if (at.deleted()) throw Refusals.deleted(ref, toVersion);
      JsonNode target = rows.contentAt(c, ref, toVersion);
      Patch patch = JsonDiff.diff(s.content(), target);
      checkDeadline(w);
      Applied a = limits.apply(ref, s.content(), s.contentBytes(), patch, limits.budget());
      made[0] = new Revision(ref, s.version() + 1, Kind.ROLLBACK, who.author(), now,
          w.message() != null ? w.message() : "rollback to version " + toVersion,
          Revision.touched(patch), null, expectedVersion == FORCE, null, lockId, patch, a.inverse());
      Document d = rows.commit(c, s, made[0], a.content(), false, a.bytes());
      IdempotencyKeys.rememberRevisions(c, who, w.idempotency(), ref, List.of(made[0]), now);
      return d;
    });
    return made[0];
  }

  // ---------------------------------------------------------------- idempotency keys

  /** Forgets idempotency keys older than a day; returns how many. */
  public int sweepIdempotencyKeys() {
    return db.write("idempotency-keys", c -> IdempotencyKeys.sweep(c, clock.instant()));
  }

  // ---------------------------------------------------------------- rebasing

  /**
   * The revisions after {@code after}, to rebase over; refused as too much work when their patches
   * add up to more than four of the largest configs, before any is read.
   */
  private List<Revision> revisionsToRebaseOver(Connection c, ConfigRef ref, long after,
      long upTo) throws SQLException {
    requireHistory(c, ref, after, upTo);
    limits.checkRebaseWork(ref, after, upTo, Rows.patchBytesAfter(c, ref, after, upTo));
    return Rows.revisions(Rows.revisionsAfter(c, ref, after, upTo));
  }

  /**
   * Refuses to rebase from version {@code after} when the revisions since are not all retained:
   * over part of them, the changes of the others would be lost without a word.
   */
  private void requireHistory(Connection c, ConfigRef ref, long after, long upTo)
      throws SQLException {
    if (Rows.summariesAfter(c, ref, after, after + 1).isEmpty() && after < upTo) {
      throw Refusals.notRetained(ref, after, upTo, Rows.latestSummariesAfter(c, ref, after,
          Refusals.STALE_LISTED));
    }
  }

  /** Inside a write: gives it up, unchanged, once it has run past its deadline. */
  private static void checkDeadline(Write w) {
    if (w.deadline() != 0 && w.deadline() - System.nanoTime() < 0) throw Database.abandoned();
  }

  // ---------------------------------------------------------------- undo and redo

  @Override
  public List<Revision> undo(Principal who, ConfigRef ref, boolean any, int steps,
      Long expectedVersion, Write w) {
    allow(who, ref, any ? Role.ADMIN : Role.EDITOR);
    return revert(who, ref, Kind.UNDO, any, steps, anyVersion(expectedVersion), w);
  }

  @Override
  public List<Revision> redo(Principal who, ConfigRef ref, int steps, Long expectedVersion,
      Write w) {
    allow(who, ref, Role.EDITOR);
    return revert(who, ref, Kind.REDO, false, steps, anyVersion(expectedVersion), w);
  }

  private List<Revision> revert(Principal who, ConfigRef ref, Kind kind, boolean any, int steps,
      Long expectedVersion, Write w) {
    if (steps < 1 || steps > 1000) {
      throw new StoreException(Problem.INVALID_REQUEST, "steps must be between 1 and 1000");
    }
    List<Revision> made = new ArrayList<>();
    write(ref, who, null, w, c -> {
      Instant now = clock.instant();
      ObjectNode done = IdempotencyKeys.find(c, who, w.idempotency(), now);
      if (done != null) {
        made.addAll(IdempotencyKeys.replayedRevisions(c, ref, done));
        return null;
      }
      State s = rows.load(c, ref);
      if (s == null) throw notFound(ref);
      String lockId = locks.check(c, ref, w.lockId(), who, now);
      if (decide(expectedVersion, s.version(), false) == Decision.CONFLICT) {
        throw versionConflict(c, ref, expectedVersion, s);
      }
      // who did what, without the patches: the stacks need only the summaries
      List<RevRow> all = Rows.summariesAfter(c, ref, 0, s.version());
      Document result = null;
      Budget budget = limits.budget();
      for (int i = 0; i < steps; i++) {
        OptionalLong next = UndoStacks.of(Rows.revisions(all), any ? null : who.id()).next(kind);
        if (next.isEmpty()) {
          if (i > 0) break;
          throw new StoreException(kind == Kind.UNDO ? Problem.NOTHING_TO_UNDO : Problem.NOTHING_TO_REDO,
              (kind == Kind.UNDO ? "nothing to undo: " : "nothing to redo: ")
                  + (any ? "no change" : "no change of yours") + " on " + ref + " in its retained history");
        }
        checkDeadline(w);
        RevRow t = Rows.find(all, next.getAsLong());
        Reverted r = revertOne(c, s, t, all, kind, who, now, w.message(), lockId, budget);
        result = rows.commit(c, s, r.revision, r.content, r.deleted, r.bytes);
        made.add(r.revision);
        all.add(RevRow.of(r.revision, r.deleted));
        s = rows.load(c, ref); // the version just written, its content from the cache
      }
      IdempotencyKeys.rememberRevisions(c, who, w.idempotency(), ref, made, now);
      return result;
    });
    return made;
  }

  /** A revision that reverts another, and the content and tombstone state it leads to. */
  private record Reverted(Revision revision, JsonNode content, boolean deleted, long bytes) {}

  private Reverted revertOne(Connection c, State s, RevRow summary, List<RevRow> all, Kind kind,
      Principal who, Instant now, String message, String lockId, Budget budget)
      throws SQLException {
    ConfigRef ref = summary.revision().ref();
    RevRow t = Rows.revisionRow(c, ref, summary.version());
    boolean deletedBefore = t.version() == 1 || Rows.find(all, t.version() - 1) == null
        ? t.kind() == Kind.CREATE : Rows.find(all, t.version() - 1).deleted();
    String what = kind.label() + " of version " + t.version();
    if (t.deleted() != deletedBefore) {
      // the change created or deleted the config: reverting it deletes or restores it
      // reverting a create deletes: refused if the content changed since (changes since that were
      // undone again, your own included, leave it as created); the conflict names the latest change
      if (deletedBefore && !rows.contentAt(c, ref, t.version()).equals(s.content())) {
        RevRow last = null;
        for (RevRow r : Rows.revisionsAfter(c, ref, t.version(), s.version())) {
          if (!r.patch().ops().isEmpty()) last = r;
        }
        if (last != null) {
          throw Refusals.undoConflict(what + " would delete " + ref + ", changed since by "
              + last.author().name() + " in version " + last.version(), "", last.revision());
        }
      }
      return new Reverted(new Revision(ref, s.version() + 1, kind, who.author(), now, message,
          List.of(""), t.version(), false, null, lockId, Patch.EMPTY, Patch.EMPTY), s.content(),
          deletedBefore, s.contentBytes());
    }
    if (s.deleted()) {
      throw new StoreException(Problem.DELETED, ref + " is deleted; undo the delete first")
          .with("version", s.version());
    }
    List<Revision> later = revisionsToRebaseOver(c, ref, t.version(), s.version());
    Patch patch = Rebasing.undoOver(ref, t.inverse(), later,
        () -> rows.contentAt(c, ref, t.version()), s.content(), budget);
    Long rebasedFrom = later.isEmpty() ? null : t.version();
    Applied a;
    try {
      a = limits.apply(ref, s.content(), s.contentBytes(), patch, budget);
    } catch (PatchFailedException e) {
      throw Refusals.undoConflict(what + " no longer applies: " + e.getMessage(),
          e.op().path().toString(), later.isEmpty() ? t.revision() : later.get(later.size() - 1));
    }
    return new Reverted(new Revision(ref, s.version() + 1, kind, who.author(), now, message,
        Revision.touched(patch), t.version(), false, rebasedFrom, lockId, patch, a.inverse()),
        a.content(), false, a.bytes());
  }

  // ---------------------------------------------------------------- locks

  @Override
  public Lock acquire(Principal who, ConfigRef ref, LockRequest req) {
    allow(who, ref, Role.EDITOR);
    return locks.acquire(who, ref, req);
  }

  @Override
  public Lock extend(Principal who, ConfigRef ref, String lockId, Long ttlSeconds) {
    allow(who, ref, Role.EDITOR);
    return locks.extend(who, ref, lockId, ttlSeconds);
  }

  @Override
  public void release(Principal who, ConfigRef ref, String lockId) {
    allow(who, ref, Role.EDITOR);
    locks.release(who, ref, lockId);
  }

  @Override
  public void forceRelease(Principal who, ConfigRef ref, String reason) {
    allow(who, ref, Role.ADMIN);
    locks.forceRelease(who, ref, reason);
  }

  /** See {@link Locks#sweepExpired}. */
  public int sweepExpiredLocks() {
    return locks.sweepExpired();
  }

  // ---------------------------------------------------------------- tokens

  @Override
  public Token.Issued createToken(Principal who, Principal subject, Integer expiresInDays) {
    Access.allowIssuing(who, subject);
    return tokens.create(who, subject, expiresInDays);
  }

  /**
   * On first start of a server: when no token exists, creates an admin token for all tenants and
   * returns it (its secret is shown once); otherwise empty.
   */
  public Optional<Token.Issued> bootstrapAdmin() {
    return tokens.bootstrapAdmin();
  }

  @Override
  public List<Token> tokens(Principal who) {
    Access.require(who, Role.ADMIN);
    return tokens.list(who);
  }

  @Override
  public void revokeToken(Principal who, String id) {
    Access.require(who, Role.ADMIN);
    tokens.revoke(who, id);
  }

  @Override
  public Principal authenticate(String secret) {
    return tokens.authenticate(secret);
  }

  private static State live(State s, ConfigRef ref) {
    if (s == null) throw notFound(ref);
    if (s.deleted()) throw Refusals.deleted(ref, s.version());
    return s;
  }

  // ---------------------------------------------------------------- errors

  private StoreException versionConflict(Connection c, ConfigRef ref, long expected, State s)
      throws SQLException {
    return versionConflict(c, ref, expected, s.version());
  }

  private StoreException versionConflict(Connection c, ConfigRef ref, long expected, long current)
      throws SQLException {
    return Refusals.stale(ref, expected, current, expected < current
        ? Rows.latestSummariesAfter(c, ref, expected, Refusals.STALE_LISTED) : List.of());
  }

  /**
   * Runs a content write as one transaction, given up unchanged if it has not started by the
   * write's deadline; a write that presented someone else's lock id is refused, and the attempt
   * audited in a transaction of its own.
   *
   * <p>A write based on version {@code expected} (unless forced or rebased) is refused from a plain
   * read when stale, before it queues for the writer, so a conflict costs no write transaction (the
   * check inside the write stays authoritative). Of concurrent writes based on one version of a
   * config at most one can succeed, so on this server the others wait for the first and then take
   * that read: they are refused without each costing the writer a savepoint, a read and a rollback.
   */
  private <T> T write(ConfigRef ref, Principal who, Long expected, Write w, Database.Work<T> work) {
    try {
      // with a key, a retry must reach the key's result, which a stale version hides
      if (expected == null || expected == FORCE || w.rebase() || w.idempotency() != null) {
        return db.write(ref.toString(), w.deadline(), work);
      }
      Based key = new Based(ref, expected);
      CompletableFuture<Void> mine = new CompletableFuture<>();
      CompletableFuture<Void> first = writing.putIfAbsent(key, mine);
      try {
        if (first != null) await(first, w.deadline());
        db.read(c -> {
          Long current = Rows.liveVersion(c, ref);
          if (current != null && !current.equals(expected)) {
            throw versionConflict(c, ref, expected, current);
          }
          return null;
        });
        return db.write(ref.toString(), w.deadline(), work);
      } finally {
        if (first == null) {
          writing.remove(key, mine);
          mine.complete(null);
        }
      }
    } catch (Locks.Misuse e) {
      locks.auditMisuse(e, who);
      throw e;
    }
  }

  private static void await(CompletableFuture<Void> first, long deadline) {
    try {
      if (deadline == 0) {
        first.get();
      } else {
        first.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      }
    } catch (TimeoutException e) {
      throw Database.abandoned();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException(Problem.UNAVAILABLE, "interrupted while waiting to write");
    } catch (ExecutionException e) {
      // the first write's outcome is its own; this one reads the version next
    }
  }

  private record Based(ConfigRef ref, long version) {}

  @Override
  public void close() {
    db.close();
  }
}
