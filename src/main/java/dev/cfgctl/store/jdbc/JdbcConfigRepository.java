package dev.cfgctl.store.jdbc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cfgctl.store.ChangeListener;
import dev.cfgctl.store.ConfigRef;
import dev.cfgctl.store.ConfigRepository;
import dev.cfgctl.store.ConfigState;
import dev.cfgctl.store.ConfigStore.HistoryQuery;
import dev.cfgctl.store.ConfigStore.Idempotency;
import dev.cfgctl.store.ConfigStore.LockRequest;
import dev.cfgctl.store.ConfigSummary;
import dev.cfgctl.store.Document;
import dev.cfgctl.store.Lock;
import dev.cfgctl.store.LockState;
import dev.cfgctl.store.Presence;
import dev.cfgctl.store.Principal;
import dev.cfgctl.store.Problem;
import dev.cfgctl.store.Refusals;
import dev.cfgctl.store.Revision;
import dev.cfgctl.store.StoreException;
import dev.cfgctl.store.StoredRevision;
import dev.cfgctl.store.Token;
import dev.cfgctl.store.Tunables;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The repository on SQLite or PostgreSQL. Every write — lock check, version check (a conditional
 * update), revision row, audit row — is one transaction. History keeps each revision's patch and
 * inverse plus a full snapshot now and then (see {@link Rows#commit}), from which any retained
 * version, the current one included, is rebuilt; the current content of recently used configs is
 * cached parsed. Thread-safe.
 */
public final class JdbcConfigRepository implements ConfigRepository {
  private final Database db;
  private final Tokens tokens;
  private final Locks locks;
  private final Clock clock;
  private final Rows rows;
  private final ChangeWatch changes;
  private final Sessions sessions;

  /** The first write in progress on this server based on each version of a config (see write). */
  private final Map<Based, CompletableFuture<Void>> writing = new ConcurrentHashMap<>();

  private JdbcConfigRepository(Database db, Tunables options, Clock clock) {
    this.db = db;
    this.changes = new ChangeWatch(db);
    this.tokens = new Tokens(db, clock, changes);
    this.locks = new Locks(db, options.lockTtl(), clock, changes);
    this.sessions = new Sessions(db, changes);
    this.clock = clock;
    this.rows = new Rows(db.dialect, options.retention(), options.snapshotEvery());
  }

  /** The embedded repository in one SQLite file, created owner-only if missing. */
  public static JdbcConfigRepository sqlite(Path file, Tunables options, Clock clock) {
    return new JdbcConfigRepository(new SqliteDatabase(file), options, clock);
  }

  /** A repository on PostgreSQL ({@code jdbc:postgresql://…}) or SQLite ({@code jdbc:sqlite:…}). */
  public static JdbcConfigRepository open(String jdbcUrl, Tunables options, Clock clock) {
    if (jdbcUrl.startsWith("jdbc:sqlite:")) {
      return sqlite(Path.of(jdbcUrl.substring("jdbc:sqlite:".length())), options, clock);
    }
    if (jdbcUrl.startsWith("jdbc:postgresql:")) {
      return new JdbcConfigRepository(new PostgresDatabase(jdbcUrl, 16), options, clock);
    }
    throw new StoreException(
        Problem.INVALID_REQUEST,
        "unsupported database URL (expected jdbc:postgresql://HOST/DB or jdbc:sqlite:FILE)");
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

  @Override
  public <T> T read(Work<T> work) {
    return db.read(inTransaction(work));
  }

  /**
   * {@inheritDoc}
   *
   * <p>A stale write is refused from a plain read, before it queues for the writer, so a conflict
   * costs no write transaction (the check inside the write stays authoritative). Of concurrent
   * writes based on one version of a config at most one can succeed, so on this server the others
   * wait for the first and then take that read: they are refused without each costing the writer a
   * savepoint, a read and a rollback.
   */
  @Override
  public <T> T write(ConfigRef ref, Principal who, Long basedOn, long deadline, Work<T> work) {
    T result = checkedWrite(ref, who, basedOn, deadline, work);
    changes.changed(ref);
    return result;
  }

  @Override
  public void listen(ChangeListener listener) {
    changes.add(listener);
  }

  @Override
  public void unlisten(ChangeListener listener) {
    changes.remove(listener);
  }

  @Override
  public void enter(Presence session, Instant now) {
    sessions.enter(session, now);
  }

  @Override
  public void leave(ConfigRef ref, String session) {
    sessions.leave(ref, session);
  }

  @Override
  public void heartbeat(String node, Instant now) {
    sessions.heartbeat(node, now);
  }

  @Override
  public List<Presence> presence(ConfigRef ref, Instant aliveAfter, String node) {
    return sessions.of(ref, aliveAfter, node);
  }

  private <T> T checkedWrite(
      ConfigRef ref, Principal who, Long basedOn, long deadline, Work<T> work) {
    try {
      if (basedOn == null) return db.write(ref.toString(), deadline, inTransaction(work));
      Based key = new Based(ref, basedOn);
      CompletableFuture<Void> mine = new CompletableFuture<>();
      CompletableFuture<Void> first = writing.putIfAbsent(key, mine);
      try {
        if (first != null) await(first, deadline);
        db.read(
            c -> {
              Long current = Rows.liveVersion(c, ref);
              if (current != null && !current.equals(basedOn)) {
                throw Refusals.stale(
                    ref,
                    basedOn,
                    current,
                    basedOn < current
                        ? Rows.latestSummariesAfter(c, ref, basedOn, Refusals.STALE_LISTED)
                        : List.of());
              }
              return null;
            });
        return db.write(ref.toString(), deadline, inTransaction(work));
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

  /**
   * The work as the database runs it. A database failure inside it leaves as the {@link
   * SQLException} it was, since the transaction code (the group commit above all) tells failures of
   * the database from refusals of a write by that type.
   */
  private <T> Database.Work<T> inTransaction(Work<T> work) {
    return c -> {
      try {
        return work.run(new JdbcTx(c));
      } catch (DatabaseFailure e) {
        throw e.getCause();
      }
    };
  }

  /** A {@link SQLException} on its way through a {@link Work}, which declares none. */
  private static final class DatabaseFailure extends RuntimeException {
    DatabaseFailure(SQLException cause) {
      super(cause);
    }

    @Override
    public synchronized SQLException getCause() {
      return (SQLException) super.getCause();
    }
  }

  private interface Query<T> {
    T run() throws SQLException;
  }

  private static <T> T sql(Query<T> query) {
    try {
      return query.run();
    } catch (SQLException e) {
      throw new DatabaseFailure(e);
    }
  }

  /** One transaction on one connection. */
  private final class JdbcTx implements Tx {
    private final Connection c;

    JdbcTx(Connection c) {
      this.c = c;
    }

    @Override
    public Long version(ConfigRef ref) {
      return sql(() -> Rows.version(c, ref));
    }

    @Override
    public Map<String, Long> versions(String tenant) {
      return sql(() -> Rows.versions(c, tenant));
    }

    @Override
    public ConfigState load(ConfigRef ref) {
      return sql(() -> rows.load(c, ref));
    }

    @Override
    public JsonNode contentAt(ConfigRef ref, long version) {
      return sql(() -> rows.contentAt(c, ref, version));
    }

    @Override
    public boolean exists(ConfigRef ref) {
      return sql(() -> Rows.exists(c, ref));
    }

    @Override
    public StoredRevision revision(ConfigRef ref, long version) {
      return sql(() -> Rows.revisionRow(c, ref, version));
    }

    @Override
    public List<StoredRevision> revisionsAfter(ConfigRef ref, long after, long upTo) {
      return sql(() -> Rows.revisionsAfter(c, ref, after, upTo));
    }

    @Override
    public List<StoredRevision> summariesAfter(ConfigRef ref, long after, long upTo) {
      return sql(() -> Rows.summariesAfter(c, ref, after, upTo));
    }

    @Override
    public List<Revision> latestSummariesAfter(ConfigRef ref, long after, int limit) {
      return sql(() -> Rows.latestSummariesAfter(c, ref, after, limit));
    }

    @Override
    public long patchBytesAfter(ConfigRef ref, long after, long upTo) {
      return sql(() -> Rows.patchBytesAfter(c, ref, after, upTo));
    }

    @Override
    public List<ConfigSummary> summaries(String tenant, String prefix, String after, int limit) {
      return sql(() -> Rows.summaries(c, tenant, prefix, after, limit));
    }

    @Override
    public List<Revision> history(ConfigRef ref, HistoryQuery query, int limit) {
      return sql(() -> Rows.history(c, ref, query, limit));
    }

    @Override
    public Document commit(
        ConfigState before, Revision r, JsonNode content, boolean deleted, long contentBytes) {
      return sql(
          () -> {
            Document d = rows.commit(c, before, r, content, deleted, contentBytes);
            ChangeWatch.notify(c, db.dialect, r.ref());
            return d;
          });
    }

    @Override
    public String checkLock(ConfigRef ref, String lockId, Principal who, Instant now) {
      return sql(() -> locks.check(c, ref, lockId, who, now));
    }

    @Override
    public ObjectNode findIdempotent(Principal who, Idempotency key, Instant now) {
      return sql(() -> IdempotencyKeys.find(c, who, key, now));
    }

    @Override
    public Document replayed(ConfigRef ref, Principal who, ObjectNode done) {
      return sql(() -> IdempotencyKeys.replayed(c, rows, ref, who, done));
    }

    @Override
    public Document remember(Principal who, Idempotency key, Document d, Instant now) {
      return sql(() -> IdempotencyKeys.remember(c, who, key, d, now));
    }

    @Override
    public void rememberRevisions(
        Principal who, Idempotency key, ConfigRef ref, List<Revision> made, Instant now) {
      sql(
          () -> {
            IdempotencyKeys.rememberRevisions(c, who, key, ref, made, now);
            return null;
          });
    }

    @Override
    public List<Revision> replayedRevisions(ConfigRef ref, ObjectNode done) {
      return sql(() -> IdempotencyKeys.replayedRevisions(c, ref, done));
    }
  }

  // ---------------------------------------------------------------- locks

  @Override
  public Optional<Lock> lock(ConfigRef ref) {
    return locks.lock(ref);
  }

  @Override
  public List<LockState> lockHistory(ConfigRef ref, long fromFence) {
    return locks.history(ref, fromFence);
  }

  @Override
  public List<Lock> locks(String tenant, Long staleAfterSeconds) {
    return locks.locks(tenant, staleAfterSeconds);
  }

  @Override
  public Lock acquire(Principal who, ConfigRef ref, LockRequest request) {
    return locks.acquire(who, ref, request);
  }

  @Override
  public Lock extend(Principal who, ConfigRef ref, String lockId, Long ttlSeconds) {
    return locks.extend(who, ref, lockId, ttlSeconds);
  }

  @Override
  public void release(Principal who, ConfigRef ref, String lockId) {
    locks.release(who, ref, lockId);
  }

  @Override
  public void forceRelease(Principal who, ConfigRef ref, String reason) {
    locks.forceRelease(who, ref, reason);
  }

  /** See {@link Locks#sweepExpired}. */
  @Override
  public int sweepExpiredLocks() {
    return locks.sweepExpired();
  }

  @Override
  public int sweepIdempotencyKeys() {
    return db.write("idempotency-keys", c -> IdempotencyKeys.sweep(c, clock.instant()));
  }

  // ---------------------------------------------------------------- tokens

  @Override
  public Token.Issued createToken(Principal who, Principal subject, Integer expiresInDays) {
    return tokens.create(who, subject, expiresInDays);
  }

  @Override
  public Optional<Token.Issued> bootstrapAdmin() {
    return tokens.bootstrapAdmin();
  }

  @Override
  public List<Token> tokens(Principal who) {
    return tokens.list(who);
  }

  @Override
  public void revokeToken(Principal who, String id) {
    tokens.revoke(who, id);
  }

  @Override
  public Principal authenticate(String secret) {
    return tokens.authenticate(secret);
  }

  @Override
  public void close() {
    changes.close();
    db.close();
  }
}
