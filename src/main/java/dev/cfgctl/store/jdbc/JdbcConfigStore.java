package dev.cfgctl.store.jdbc;

import static dev.cfgctl.store.Access.allow;
import static dev.cfgctl.store.Access.notFound;
import static dev.cfgctl.store.Access.see;
import static dev.cfgctl.store.jdbc.Sql.set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cfgctl.patch.Budget;
import dev.cfgctl.patch.Json;
import dev.cfgctl.patch.JsonDiff;
import dev.cfgctl.patch.JsonPatch;
import dev.cfgctl.patch.LimitExceededException;
import dev.cfgctl.patch.MergePatch;
import dev.cfgctl.patch.Patch;
import dev.cfgctl.patch.PatchFailedException;
import dev.cfgctl.patch.Rebase;
import dev.cfgctl.store.Access;
import dev.cfgctl.store.Author;
import dev.cfgctl.store.ConfigRef;
import dev.cfgctl.store.ConfigStore;
import dev.cfgctl.store.ConfigSummary;
import dev.cfgctl.store.Document;
import dev.cfgctl.store.Limits;
import dev.cfgctl.store.Lock;
import dev.cfgctl.store.LockTtl;
import dev.cfgctl.store.Page;
import dev.cfgctl.store.Principal;
import dev.cfgctl.store.Problem;
import dev.cfgctl.store.Revision;
import dev.cfgctl.store.Revision.Kind;
import dev.cfgctl.store.Role;
import dev.cfgctl.store.StoreException;
import dev.cfgctl.store.Times;
import dev.cfgctl.store.Token;
import dev.cfgctl.store.jdbc.Rows.RevRow;
import dev.cfgctl.store.jdbc.Rows.State;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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
  /** The first write in progress on this server based on each version of a config (see write). */
  private final Map<Based, CompletableFuture<Void>> writing = new ConcurrentHashMap<>();

  private JdbcConfigStore(Database db, Options options, Clock clock) {
    this.db = db;
    this.tokens = new Tokens(db, clock);
    this.locks = new Locks(db, options.lockTtl(), clock);
    this.options = options;
    this.clock = clock;
    this.rows = new Rows(db.dialect, options.retention(), options.snapshotEvery());
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
      if (r.deleted()) throw deleted(ref, version);
      return new Document(ref, version, content, r.at(), r.author());
    });
  }

  @Override
  public Page<ConfigSummary> list(Principal who, String tenant, String prefix, int limit,
      String after) {
    see(who, ConfigRef.checkName(tenant), null);
    int n = Math.max(1, Math.min(limit, 1000));
    String p = prefix == null ? "" : prefix;
    return db.read(c -> {
      try (PreparedStatement s = c.prepareStatement("SELECT name, version, updated_at, updated_by_id,"
          + " updated_by_name FROM configs WHERE tenant = ? AND deleted = 0 AND name > ?"
          + " AND substr(name, 1, ?) = ? ORDER BY name LIMIT ?")) {
        s.setString(1, tenant);
        s.setString(2, after == null ? "" : after);
        s.setInt(3, p.length());
        s.setString(4, p);
        s.setInt(5, n + 1);
        List<ConfigSummary> items = new ArrayList<>();
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) {
            items.add(new ConfigSummary(rs.getString(1), rs.getLong(2),
                Instant.ofEpochMilli(rs.getLong(3)), new Author(rs.getString(4), rs.getString(5))));
          }
        }
        String next = null;
        if (items.size() > n) {
          items.remove(n);
          next = items.get(n - 1).name();
        }
        return new Page<>(items, next);
      }
    });
  }

  @Override
  public Page<Revision> history(Principal who, ConfigRef ref, HistoryQuery q) {
    see(who, ref.tenant(), ref);
    int n = Math.max(1, Math.min(q.limit(), 1000));
    return db.read(c -> {
      if (!Rows.exists(c, ref)) throw notFound(ref);
      StringBuilder sql = new StringBuilder(Rows.SUMMARY_COLUMNS
          + " FROM revisions WHERE tenant = ? AND name = ?");
      List<Object> args = new ArrayList<>(List.of(ref.tenant(), ref.name()));
      if (q.before() != null) {
        sql.append(" AND version < ?");
        args.add(q.before());
      }
      if (q.author() != null) {
        sql.append(" AND author_id = ?");
        args.add(q.author());
      }
      if (q.since() != null) {
        sql.append(" AND at >= ?");
        args.add(q.since().toEpochMilli());
      }
      if (q.until() != null) {
        sql.append(" AND at < ?");
        args.add(q.until().toEpochMilli());
      }
      sql.append(" ORDER BY version DESC LIMIT ?");
      args.add(n + 1);
      List<Revision> items = new ArrayList<>();
      try (PreparedStatement s = c.prepareStatement(sql.toString())) {
        for (int i = 0; i < args.size(); i++) s.setObject(i + 1, args.get(i));
        try (ResultSet rs = s.executeQuery()) {
          while (rs.next()) items.add(Rows.revision(ref, rs).revision());
        }
      }
      String next = null;
      if (items.size() > n) {
        items.remove(n);
        next = Long.toString(items.get(n - 1).version());
      }
      return new Page<>(items, next);
    });
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
    long bytes = checkNew(ref, content);
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
    checkNew(ref, content);
    return write(ref, who, expectedVersion, w, c -> {
      Instant now = clock.instant();
      ObjectNode done = IdempotencyKeys.find(c, who, w.idempotency(), now);
      if (done != null) return IdempotencyKeys.replayed(c, rows, ref, who, done);
      State s = live(rows.load(c, ref), ref);
      String lockId = locks.check(c, ref, w.lockId(), who, now);
      boolean forced = expectedVersion == FORCE;
      Budget budget = budget();
      JsonNode target = content;
      Long rebasedFrom = null;
      if (!forced && expectedVersion != s.version()) {
        if (!w.rebase() || expectedVersion > s.version()) {
          throw versionConflict(c, ref, expectedVersion, s);
        }
        List<RevRow> since = revisionsToRebaseOver(c, ref, expectedVersion, s.version());
        JsonNode base = rows.contentAt(c, ref, expectedVersion);
        Rebase.Result merged = within(ref, () -> Rebase.merge(base, content, Rows.patches(since),
            s.content(), budget));
        if (merged.hasConflicts()) throw conflicts(Problem.REBASE_CONFLICT, ref, merged, since);
        target = applyOrConflict(s.content(), merged.patch(), ref, since);
        rebasedFrom = expectedVersion;
      }
      Patch patch = JsonDiff.diff(s.content(), target);
      if (patch.ops().isEmpty() && !forced) {
        return IdempotencyKeys.remember(c, who, w.idempotency(), s.document(ref).asUnchanged(), now);
      }
      checkDeadline(w);
      Result a = apply(ref, s, patch, budget);
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
      Budget budget = budget();
      Patch toApply = patch;
      Long rebasedFrom = null;
      if (expected != null && expected != s.version()) {
        if (!w.rebase() || expected > s.version()) throw versionConflict(c, ref, expected, s);
        List<RevRow> since = revisionsToRebaseOver(c, ref, expected, s.version());
        Rebase.Result r;
        try {
          r = within(ref, () -> Rebase.rebase(patch, Rows.patches(since), s.content(), budget));
        } catch (PatchFailedException e) { // it does not even apply to the version it was written for
          throw patchFailed(ref, e);
        }
        if (r.hasConflicts()) throw conflicts(Problem.REBASE_CONFLICT, ref, r, since);
        toApply = r.patch();
        rebasedFrom = expected;
      }
      checkDeadline(w);
      Result a;
      try {
        a = apply(ref, s, toApply, budget);
      } catch (PatchFailedException e) {
        throw patchFailed(ref, e);
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
      JsonNode base;
      if (expected == current.version()) {
        base = current.content();
      } else if (!w.rebase() || expected > current.version()) {
        throw db.read(c -> versionConflict(c, ref, expected, current.version()));
      } else {
        base = db.read(c -> {
          requireHistory(c, ref, expected, current.version());
          return rows.contentAt(c, ref, expected);
        });
      }
      return this.patch(who, ref, diffOfMerge(base, mergePatch), expected, w);
    }
    // without a version it applies to whatever is current: computed on the latest version and
    // written only if that is still the latest, else computed again
    for (int attempt = 1; ; attempt++) {
      Document current = get(who, ref);
      try {
        return this.patch(who, ref, diffOfMerge(current.content(), mergePatch), current.version(),
            new Write(w.lockId(), w.message(), false, w.minimal(), w.deadline(), w.idempotency()));
      } catch (StoreException e) {
        if (e.problem() != Problem.VERSION_CONFLICT || attempt == 20) throw e;
      }
    }
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
      if (expectedVersion != FORCE && expectedVersion != s.version()) {
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
      if (expectedVersion != FORCE && expectedVersion != s.version()) {
        throw versionConflict(c, ref, expectedVersion, s);
      }
      if (toVersion < 1 || toVersion > s.version()) {
        throw new StoreException(Problem.NOT_FOUND, ref + " has no version " + toVersion);
      }
      RevRow at = Rows.revisionRow(c, ref, toVersion);
      if (at.deleted()) throw deleted(ref, toVersion);
      JsonNode target = rows.contentAt(c, ref, toVersion);
      Patch patch = JsonDiff.diff(s.content(), target);
      checkDeadline(w);
      Result a = apply(ref, s, patch, budget());
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

  // ---------------------------------------------------------------- limits

  /** The budget of one write: the store's limits, growth at most the largest config. */
  private Budget budget() {
    Limits l = options.limits();
    return new Budget(l.maxDepth(), l.maxDocumentBytes(), l.maxWork());
  }

  /** A new content and its inverse, after a patch within the limits, with its size bound. */
  private record Result(JsonNode content, Patch inverse, long bytes) {}

  /**
   * Applies {@code patch} to {@code s} within {@code budget}: what the patch writes is checked as it
   * goes (depth, growth, work), and the result must be an object within the size limit, measured
   * only when the bound (the size before plus the growth) exceeds it.
   *
   * @throws PatchFailedException when the patch does not apply (the caller names the problem)
   */
  private Result apply(ConfigRef ref, State s, Patch patch, Budget budget) {
    JsonPatch.Applied a = within(ref, () -> JsonPatch.apply(s.content(), patch, budget));
    if (!a.document().isObject()) throw notAnObject(ref, a.document());
    long max = options.limits().maxDocumentBytes();
    long bytes = s.contentBytes() + budget.growth();
    if (bytes > max) {
      bytes = Json.compactSize(a.document(), max);
      if (bytes > max) throw tooLarge(ref, max);
    }
    return new Result(a.document(), a.inverse(), bytes);
  }

  /** Checks the content of a create or save; returns its size. */
  private long checkNew(ConfigRef ref, JsonNode content) {
    Limits l = options.limits();
    if (!content.isObject()) throw notAnObject(ref, content);
    if (Json.depth(content, l.maxDepth()) > l.maxDepth()) {
      throw new StoreException(Problem.RESULT_TOO_DEEP, "refused: the content is nested deeper"
          + " than the limit of " + l.maxDepth() + " levels").with("limit", l.maxDepth());
    }
    long bytes = Json.compactSize(content, l.maxDocumentBytes());
    if (bytes > l.maxDocumentBytes()) throw tooLarge(ref, l.maxDocumentBytes());
    return bytes;
  }

  /** Runs part of a write that charges a budget; a broken limit becomes its problem. */
  private static <T> T within(ConfigRef ref, java.util.function.Supplier<T> work) {
    try {
      return work.get();
    } catch (LimitExceededException e) {
      Problem p = switch (e.limit()) {
        case DEPTH -> Problem.RESULT_TOO_DEEP;
        case SIZE -> Problem.RESULT_TOO_LARGE;
        case WORK -> Problem.TOO_MUCH_WORK;
      };
      StoreException refused = new StoreException(p, "refused, " + ref + " is unchanged: "
          + e.getMessage()).with("limit", e.max());
      if (e.opIndex() >= 0) refused.with("opIndex", e.opIndex());
      throw refused;
    }
  }

  private StoreException tooLarge(ConfigRef ref, long max) {
    return new StoreException(Problem.RESULT_TOO_LARGE, "refused, " + ref + " is unchanged: the"
        + " result would be larger than the limit of " + max + " bytes").with("limit", max);
  }

  private static StoreException notAnObject(ConfigRef ref, JsonNode content) {
    return new StoreException(Problem.NOT_AN_OBJECT, "a config is a JSON object; the content of "
        + ref + " would be " + Patch.kind(content));
  }

  /**
   * The revisions after {@code after}, to rebase over; refused as too much work when their patches
   * add up to more than four of the largest configs, before any is read.
   */
  private List<RevRow> revisionsToRebaseOver(Connection c, ConfigRef ref, long after, long upTo)
      throws SQLException {
    requireHistory(c, ref, after, upTo);
    long max = 4 * options.limits().maxDocumentBytes();
    long bytes = Rows.patchBytesAfter(c, ref, after, upTo);
    if (bytes > max) {
      throw new StoreException(Problem.TOO_MUCH_WORK, "refused, " + ref + " is unchanged: the"
          + " changes since version " + after + " are " + bytes + " bytes of patches, more than the"
          + " limit of " + max + " to rebase over; start again from version " + upTo)
          .with("limit", max);
    }
    return Rows.revisionsAfter(c, ref, after, upTo);
  }

  /**
   * Refuses to rebase from version {@code after} when the revisions since are not all retained:
   * over part of them, the changes of the others would be lost without a word.
   */
  private void requireHistory(Connection c, ConfigRef ref, long after, long upTo)
      throws SQLException {
    if (Rows.summariesAfter(c, ref, after, after + 1).isEmpty() && after < upTo) {
      StoreException stale = versionConflict(c, ref, after, upTo);
      throw new StoreException(Problem.VERSION_CONFLICT, ref + " is at version " + upTo + " and the"
          + " changes since version " + after + " are no longer all retained, so nothing can be"
          + " rebased over them; start again from version " + upTo, stale.members());
    }
  }

  /** Inside a write: gives it up, unchanged, once it has run past its deadline. */
  private static void checkDeadline(Write w) {
    if (w.deadline() != 0 && w.deadline() - System.nanoTime() < 0) throw Database.abandoned();
  }

  /** {@code If-Match: *} matches whatever version is current: no version check. */
  private static Long anyVersion(Long expectedVersion) {
    return expectedVersion != null && expectedVersion == FORCE ? null : expectedVersion;
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
      if (expectedVersion != null && expectedVersion != s.version()) {
        throw versionConflict(c, ref, expectedVersion, s);
      }
      // who did what, without the patches: the stacks need only the summaries
      List<RevRow> all = Rows.summariesAfter(c, ref, 0, s.version());
      Document result = null;
      Budget budget = budget();
      for (int i = 0; i < steps; i++) {
        Stacks stacks = Stacks.of(all, any ? null : who.id());
        Deque<Long> stack = kind == Kind.UNDO ? stacks.undo : stacks.redo;
        if (stack.isEmpty()) {
          if (i > 0) break;
          throw new StoreException(kind == Kind.UNDO ? Problem.NOTHING_TO_UNDO : Problem.NOTHING_TO_REDO,
              (kind == Kind.UNDO ? "nothing to undo: " : "nothing to redo: ")
                  + (any ? "no change" : "no change of yours") + " on " + ref + " in its retained history");
        }
        checkDeadline(w);
        RevRow t = Rows.find(all, stack.peek());
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
          throw undoConflict(ref, what + " would delete " + ref + ", changed since by "
              + last.author().name() + " in version " + last.version(), "", last);
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
    List<RevRow> later = revisionsToRebaseOver(c, ref, t.version(), s.version());
    Patch patch = t.inverse();
    Long rebasedFrom = null;
    if (!later.isEmpty()) {
      Rebase.Result r = within(ref, () -> Rebase.rebase(t.inverse(), Rows.patches(later),
          s.content(), budget));
      if (r.hasConflicts()) {
        // Later changes to the same place may have cancelled out (changed, then undone): rebase over
        // their net effect before calling it a conflict.
        Patch net = JsonDiff.diff(rows.contentAt(c, ref, t.version()), s.content());
        Rebase.Result overNet = within(ref, () -> Rebase.rebase(t.inverse(), List.of(net),
            s.content(), budget));
        if (overNet.hasConflicts()) throw conflicts(Problem.UNDO_CONFLICT, ref, r, later);
        r = overNet;
      }
      patch = r.patch();
      rebasedFrom = t.version();
    }
    Result a;
    try {
      a = apply(ref, s, patch, budget);
    } catch (PatchFailedException e) {
      throw undoConflict(ref, what + " no longer applies: " + e.getMessage(), e.op().path().toString(),
          later.isEmpty() ? t : later.get(later.size() - 1));
    }
    return new Reverted(new Revision(ref, s.version() + 1, kind, who.author(), now, message,
        Revision.touched(patch), t.version(), false, rebasedFrom, lockId, patch, a.inverse()),
        a.content(), false, a.bytes());
  }

  /**
   * The undo and redo stacks of one user ({@code user} null: of everyone), derived from history:
   * an ordinary change goes onto its author's undo stack and clears their redo stack; an undo takes
   * its target off every undo stack and goes onto its author's redo stack; a redo takes its undo off
   * every redo stack and goes onto its author's undo stack.
   */
  private record Stacks(Deque<Long> undo, Deque<Long> redo) {
    static Stacks of(List<RevRow> history, String user) {
      Deque<Long> undo = new ArrayDeque<>();
      Deque<Long> redo = new ArrayDeque<>();
      for (RevRow r : history) {
        boolean mine = user == null || user.equals(r.author().id());
        if (r.kind().ordinary()) {
          if (mine) {
            undo.push(r.version());
            redo.clear();
          }
        } else if (r.kind() == Kind.UNDO) {
          undo.remove(r.undoes());
          if (mine) redo.push(r.version());
        } else {
          redo.remove(r.undoes());
          if (mine) undo.push(r.version());
        }
      }
      return new Stacks(undo, redo);
    }
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
    if (s.deleted()) throw deleted(ref, s.version());
    return s;
  }

  // ---------------------------------------------------------------- errors

  private static StoreException deleted(ConfigRef ref, long version) {
    return new StoreException(Problem.DELETED, "config " + ref + " was deleted (version " + version
        + ")").with("version", version);
  }

  private StoreException versionConflict(Connection c, ConfigRef ref, long expected, State s)
      throws SQLException {
    return versionConflict(c, ref, expected, s.version());
  }

  private StoreException versionConflict(Connection c, ConfigRef ref, long expected, long current)
      throws SQLException {
    ArrayNode since = Json.NODES.arrayNode();
    StringBuilder who = new StringBuilder();
    if (expected < current) {
      // the latest 50 revisions since the expected version, summaries only
      try (PreparedStatement q = c.prepareStatement("SELECT version, kind, author_id, author_name,"
          + " at, message, paths, undoes, forced, rebased_from FROM revisions WHERE tenant = ?"
          + " AND name = ? AND version > ? ORDER BY version DESC LIMIT 50")) {
        set(q, ref.tenant(), ref.name(), expected);
        try (ResultSet rs = q.executeQuery()) {
          while (rs.next()) {
            ObjectNode o = Json.NODES.objectNode();
            o.put("version", rs.getLong(1));
            o.put("kind", rs.getString(2));
            o.set("author", new Author(rs.getString(3), rs.getString(4)).toJson());
            o.put("at", Times.format(Instant.ofEpochMilli(rs.getLong(5))));
            o.put("message", rs.getString(6));
            List<String> stored = new ArrayList<>();
            Json.parse(rs.getString(7)).forEach(p -> stored.add(p.textValue()));
            ArrayNode paths = o.putArray("paths");
            Revision.summedUp(stored).forEach(paths::add);
            long undoes = rs.getLong(8);
            if (rs.wasNull()) o.putNull("undoes"); else o.put("undoes", undoes);
            o.put("forced", rs.getInt(9) != 0);
            long rebased = rs.getLong(10);
            if (rs.wasNull()) o.putNull("rebasedFrom"); else o.put("rebasedFrom", rebased);
            since.insert(0, o);
          }
        }
      }
      for (JsonNode o : since) {
        if (who.length() > 200) break;
        who.append(who.length() == 0 ? "; since then: " : ", ").append('v').append(o.get("version"))
            .append(' ').append(o.get("kind").asText()).append(" by ")
            .append(o.get("author").get("name").asText());
        for (JsonNode p : o.get("paths")) who.append(' ').append(p.asText().isEmpty() ? "\"\"" : p.asText());
      }
    }
    return new StoreException(Problem.VERSION_CONFLICT, ref + " is at version " + current
        + ", not " + expected + who)
        .with("expectedVersion", expected)
        .with("currentVersion", current)
        .with("since", since);
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
          try (PreparedStatement s = c.prepareStatement(
              "SELECT version, deleted FROM configs WHERE tenant = ? AND name = ?")) {
            set(s, ref.tenant(), ref.name());
            try (ResultSet rs = s.executeQuery()) {
              if (rs.next() && rs.getInt(2) == 0 && rs.getLong(1) != expected) {
                throw versionConflict(c, ref, expected, rs.getLong(1));
              }
            }
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

  private static StoreException conflicts(Problem problem, ConfigRef ref, Rebase.Result r,
      List<RevRow> since) {
    ArrayNode list = Json.NODES.arrayNode();
    // "your change to /title collides with v8 by Sarah (/title, /seo)": which of yours, with which of theirs
    StringBuilder detail = new StringBuilder(problem == Problem.UNDO_CONFLICT ? "cannot undo: " : "cannot rebase: ");
    String yours = problem == Problem.UNDO_CONFLICT ? "undoing your change to " : "your change to ";
    String sep = "";
    for (Rebase.Conflict k : r.conflicts()) {
      RevRow by = since.get(Math.min(k.theirsIndex(), since.size() - 1));
      ObjectNode o = list.addObject();
      o.put("path", k.path());
      o.set("theirs", k.theirs());
      o.set("yours", k.yours());
      o.put("version", by.version());
      o.set("author", by.author().toJson());
      if (detail.length() < 300) {
        detail.append(sep).append(yours).append(shown(k.path())).append(" collides with v").append(by.version())
            .append(" by ").append(by.author().name());
        List<String> theirs = by.revision().paths();
        if (!theirs.isEmpty()) {
          detail.append(" (");
          for (int i = 0; i < theirs.size(); i++) detail.append(i == 0 ? "" : ", ").append(shown(theirs.get(i)));
          detail.append(')');
        }
        sep = "; ";
      }
    }
    return new StoreException(problem, detail.toString()).with("conflicts", list);
  }

  /** A pointer in a message: the whole document's is empty. */
  private static String shown(String pointer) {
    return pointer.isEmpty() ? "the whole document" : pointer;
  }

  private static StoreException undoConflict(ConfigRef ref, String detail, String path, RevRow by) {
    ArrayNode list = Json.NODES.arrayNode();
    ObjectNode o = list.addObject();
    o.put("path", path);
    o.putNull("theirs");
    o.putNull("yours");
    o.put("version", by.version());
    o.set("author", by.author().toJson());
    return new StoreException(Problem.UNDO_CONFLICT, detail).with("conflicts", list);
  }

  private static JsonNode applyOrConflict(JsonNode content, Patch patch, ConfigRef ref,
      List<RevRow> since) {
    try {
      return JsonPatch.apply(content, patch).document();
    } catch (PatchFailedException e) {
      throw new StoreException(Problem.REBASE_CONFLICT, "cannot rebase: " + e.getMessage())
          .with("conflicts", Json.NODES.arrayNode());
    }
  }

  private static StoreException patchFailed(ConfigRef ref, PatchFailedException e) {
    return new StoreException(Problem.PATCH_FAILED, "the patch does not apply to " + ref + ": "
        + e.getMessage())
        .with("opIndex", e.opIndex())
        .with("op", e.op().op().label())
        .with("path", e.op().path().toString())
        .with("reason", e.reason());
  }

  @Override
  public void close() {
    db.close();
  }
}
