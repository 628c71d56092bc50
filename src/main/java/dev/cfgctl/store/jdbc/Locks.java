package dev.cfgctl.store.jdbc;

import static dev.cfgctl.store.jdbc.Sql.audit;
import static dev.cfgctl.store.jdbc.Sql.detail;
import static dev.cfgctl.store.jdbc.Sql.random;
import static dev.cfgctl.store.jdbc.Sql.set;

import dev.cfgctl.store.Author;
import dev.cfgctl.store.ConfigRef;
import dev.cfgctl.store.ConfigStore;
import dev.cfgctl.store.Lock;
import dev.cfgctl.store.LockState;
import dev.cfgctl.store.LockTtl;
import dev.cfgctl.store.LockedException;
import dev.cfgctl.store.Principal;
import dev.cfgctl.store.Problem;
import dev.cfgctl.store.Role;
import dev.cfgctl.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Edit locks of the JDBC store: acquire, heartbeat, release, take-over and force-release, each in a
 * write transaction and audited, and {@link #check}, the lock check inside every content write.
 * Expiry is by the store's clock only. Callers decide access first.
 */
final class Locks {
  private final Database db;
  private final LockTtl ttl;
  private final Clock clock;
  private final ChangeWatch changes;

  Locks(Database db, LockTtl ttl, Clock clock, ChangeWatch changes) {
    this.db = db;
    this.ttl = ttl;
    this.clock = clock;
    this.changes = changes;
  }

  /**
   * Runs {@code work} as a write of {@code ref}'s lock; once it committed, the change streams hear
   * of it (other servers through the transaction's notice).
   */
  private <T> T writeLock(ConfigRef ref, Database.Work<T> work) {
    T result =
        db.write(
            ref.toString(),
            c -> {
              T r = work.run(c);
              ChangeWatch.notify(c, db.dialect, ref);
              return r;
            });
    changes.changed(ref);
    return result;
  }

  Optional<Lock> lock(ConfigRef ref) {
    Instant now = clock.instant();
    return db.read(c -> Optional.ofNullable(liveLock(c, ref, now)).map(Locks::withoutId));
  }

  List<Lock> locks(String tenant, Long staleAfterSeconds) {
    Instant now = clock.instant();
    long heartbeatBefore =
        staleAfterSeconds == null ? Long.MAX_VALUE : now.toEpochMilli() - staleAfterSeconds * 1000;
    return db.read(
        c -> {
          List<Lock> locks = new ArrayList<>();
          try (PreparedStatement s =
              c.prepareStatement(
                  LOCK_COLUMNS
                      + " FROM locks WHERE tenant = ?"
                      + " AND ended_at IS NULL AND expires_at > ? AND heartbeat_at <= ? ORDER BY name")) {
            s.setString(1, tenant);
            s.setLong(2, now.toEpochMilli());
            s.setLong(3, heartbeatBefore);
            try (ResultSet rs = s.executeQuery()) {
              while (rs.next()) locks.add(withoutId(lockRow(rs).lock()));
            }
          }
          return locks;
        });
  }

  /**
   * The locks of {@code ref} from fence {@code fromFence} on (negative: the latest only), as
   * stored, oldest first.
   */
  List<LockState> history(ConfigRef ref, long fromFence) {
    return db.read(
        c -> {
          List<LockState> rows = new ArrayList<>();
          try (PreparedStatement s =
              c.prepareStatement(
                  LOCK_COLUMNS
                      + " FROM locks WHERE tenant = ? AND name = ? AND fence >= "
                      + (fromFence < 0
                          ? "(SELECT MAX(fence) FROM locks WHERE tenant = ? AND name = ?)"
                          : "?")
                      + " ORDER BY fence")) {
            if (fromFence < 0) set(s, ref.tenant(), ref.name(), ref.tenant(), ref.name());
            else set(s, ref.tenant(), ref.name(), fromFence);
            try (ResultSet rs = s.executeQuery()) {
              while (rs.next()) rows.add(lockRow(rs));
            }
          }
          return rows;
        });
  }

  Lock acquire(Principal who, ConfigRef ref, ConfigStore.LockRequest req) {
    if (req.takeOver()) requireReason(req.reason(), "taking over a lock");
    long ttl = this.ttl.resolve(req.ttlSeconds());
    return writeLock(
        ref,
        c -> {
          Instant now = clock.instant();
          var done = IdempotencyKeys.find(c, who, req.idempotency(), now);
          if (done != null) return lockById(c, done.get("lock").asText()).lock();
          Lock live = liveLock(c, ref, now);
          if (live != null) {
            if (!req.takeOver()) {
              throw new LockedException(Problem.LOCK_HELD, live.describe(now), live);
            }
            endLock(c, live.id(), "taken-over", who, now);
            audit(
                c,
                ref,
                who,
                now,
                "lock-taken-over",
                detail("lock", live.id(), "from", live.holder().id(), "reason", req.reason()));
          }
          long fence;
          try (PreparedStatement s =
              c.prepareStatement(
                  "INSERT INTO fences VALUES (?, ?, 1)"
                      + " ON CONFLICT (tenant, name) DO UPDATE SET fence = fences.fence + 1 RETURNING fence")) {
            s.setString(1, ref.tenant());
            s.setString(2, ref.name());
            try (ResultSet rs = s.executeQuery()) {
              rs.next();
              fence = rs.getLong(1);
            }
          }
          Lock lock =
              new Lock(
                  "lk_" + random(18),
                  ref,
                  who.author(),
                  req.client(),
                  req.note(),
                  now,
                  now,
                  now.plusSeconds(ttl),
                  ttl,
                  fence);
          try (PreparedStatement s =
              c.prepareStatement(
                  "INSERT INTO locks (id, tenant, name, holder_id,"
                      + " holder_name, client, note, acquired_at, heartbeat_at, expires_at, ttl_seconds, fence,"
                      + " holder_tenant) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            set(
                s,
                lock.id(),
                ref.tenant(),
                ref.name(),
                who.id(),
                who.name(),
                req.client(),
                req.note(),
                now.toEpochMilli(),
                now.toEpochMilli(),
                lock.expiresAt().toEpochMilli(),
                ttl,
                fence,
                who.tenant());
            s.executeUpdate();
          }
          audit(
              c,
              ref,
              who,
              now,
              "lock-acquired",
              detail("lock", lock.id(), "fence", Long.toString(fence)));
          IdempotencyKeys.record(
              c,
              who,
              req.idempotency(),
              ref,
              dev.cfgctl.patch.Json.NODES.objectNode().put("lock", lock.id()),
              now);
          return lock;
        });
  }

  Lock extend(Principal who, ConfigRef ref, String lockId, Long ttlSeconds) {
    return withHeldLock(
        who,
        ref,
        lockId,
        (c, lock, now) -> {
          long ttl = ttlSeconds == null ? lock.ttlSeconds() : this.ttl.resolve(ttlSeconds);
          Instant expires = now.plusSeconds(ttl);
          try (PreparedStatement s =
              c.prepareStatement(
                  "UPDATE locks SET heartbeat_at = ?,"
                      + " expires_at = ?, ttl_seconds = ? WHERE id = ? AND ended_at IS NULL")) {
            set(s, now.toEpochMilli(), expires.toEpochMilli(), ttl, lockId);
            s.executeUpdate();
          }
          return new Lock(
              lock.id(),
              ref,
              lock.holder(),
              lock.client(),
              lock.note(),
              lock.acquiredAt(),
              now,
              expires,
              ttl,
              lock.fence());
        });
  }

  void release(Principal who, ConfigRef ref, String lockId) {
    withHeldLock(
        who,
        ref,
        lockId,
        (c, lock, now) -> {
          endLock(c, lockId, "released", who, now);
          audit(c, ref, who, now, "lock-released", detail("lock", lockId));
          return null;
        });
  }

  /** Work on the lock its holder presents the id of, given a connection and the time. */
  private interface HeldLockWork<T> {
    T apply(Connection c, Lock lock, Instant now) throws SQLException;
  }

  /**
   * Runs {@code work} in a write transaction on the live lock {@code lockId} of {@code ref}, held
   * by {@code who}; an id presented by someone else is refused and audited.
   */
  private <T> T withHeldLock(Principal who, ConfigRef ref, String lockId, HeldLockWork<T> work) {
    try {
      return writeLock(
          ref,
          c -> {
            Instant now = clock.instant();
            return work.apply(c, heldLock(c, ref, lockId, who, now), now);
          });
    } catch (Misuse e) {
      auditMisuse(e, who);
      throw e;
    }
  }

  void forceRelease(Principal who, ConfigRef ref, String reason) {
    requireReason(reason, "force-releasing a lock");
    writeLock(
        ref,
        c -> {
          Instant now = clock.instant();
          Lock live = liveLock(c, ref, now);
          if (live == null) throw new StoreException(Problem.NO_LOCK, ref + " has no live lock");
          endLock(c, live.id(), "force-released", who, now);
          audit(
              c,
              ref,
              who,
              now,
              "lock-force-released",
              detail("lock", live.id(), "from", live.holder().id(), "reason", reason));
          return null;
        });
  }

  /**
   * Ends the locks that expired, writing each expiry to the audit trail. Expired locks are already
   * dead for every reader and writer; this only tidies rows. Returns how many it ended.
   */
  int sweepExpired() {
    long now = clock.instant().toEpochMilli();
    List<ConfigRef> expired =
        db.read(
            c -> {
              List<ConfigRef> refs = new ArrayList<>();
              try (PreparedStatement s =
                  c.prepareStatement(
                      "SELECT tenant, name FROM locks WHERE ended_at IS NULL AND expires_at <= ?")) {
                set(s, now);
                try (ResultSet rs = s.executeQuery()) {
                  while (rs.next()) refs.add(new ConfigRef(rs.getString(1), rs.getString(2)));
                }
              }
              return refs;
            });
    for (ConfigRef ref : expired) {
      writeLock(ref, c -> liveLock(c, ref, clock.instant()));
    }
    return expired.size();
  }

  private static void requireReason(String reason, String what) {
    if (reason == null || reason.isBlank()) {
      throw new StoreException(
          Problem.INVALID_REQUEST,
          what
              + " needs a reason (\"reason\"), for"
              + " the audit trail and for the holder to read");
    }
  }

  /**
   * The live lock whose id the caller presents, or {@code lock-lost} saying what became of it. A
   * lock is bound to its holder: another user presenting its id is refused as {@link Misuse},
   * whatever state the lock is in, so an id that leaked (a log, a shared script) is worth nothing.
   */
  private Lock heldLock(Connection c, ConfigRef ref, String lockId, Principal who, Instant now)
      throws SQLException {
    LockState row = lockById(c, lockId);
    if (row == null || !row.lock().ref().equals(ref)) {
      throw new StoreException(Problem.LOCK_LOST, "lock " + lockId + " is not a lock of " + ref)
          .with("reason", "unknown");
    }
    if (!row.heldBy(who)) throw new Misuse(row.lock(), now);
    if (!row.liveAt(now)) throw row.lost();
    return row.lock();
  }

  /**
   * A lock id presented by someone other than its holder: refused as {@code locked} (the holder and
   * lock shown, the id not), and audited by {@link #auditMisuse} once the refused write has rolled
   * back.
   */
  static final class Misuse extends LockedException {
    private final Lock lock;

    Misuse(Lock lock, Instant now) {
      super(
          Problem.LOCKED,
          "locked: the lock id you presented is not yours; " + lock.describe(now),
          lock);
      this.lock = lock;
    }
  }

  /** Writes the audit row of a misused lock id, in a transaction of its own. */
  void auditMisuse(Misuse e, Principal who) {
    db.write(
        e.lock.ref().toString(),
        c -> {
          audit(
              c,
              e.lock.ref(),
              who,
              clock.instant(),
              "lock-misused",
              detail("lock", e.lock.id(), "holder", e.lock.holder().id()));
          return null;
        });
  }

  /**
   * The lock check of every write: with a live lock, only a write presenting its id passes; a write
   * presenting any other id fails with what became of that lock, or as {@link Misuse} when the id
   * is someone else's. Returns the lock id to record.
   */
  String check(Connection c, ConfigRef ref, String lockId, Principal who, Instant now)
      throws SQLException {
    if (lockId != null) return heldLock(c, ref, lockId, who, now).id();
    Lock live = liveLock(c, ref, now);
    if (live != null) {
      throw new LockedException(Problem.LOCKED, "locked: " + live.describe(now), live);
    }
    return null;
  }

  private void endLock(Connection c, String id, String reason, Principal by, Instant now)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "UPDATE locks SET ended_at = ?, end_reason = ?,"
                + " ended_by_id = ?, ended_by_name = ? WHERE id = ?")) {
      set(s, now.toEpochMilli(), reason, by.id(), by.name(), id);
      s.executeUpdate();
    }
  }

  /** The live lock of {@code ref}; an expired one is ended (and audited) on the way. */
  private Lock liveLock(Connection c, ConfigRef ref, Instant now) throws SQLException {
    LockState row;
    try (PreparedStatement s =
        c.prepareStatement(
            LOCK_COLUMNS + " FROM locks WHERE tenant = ? AND name = ? AND ended_at IS NULL")) {
      set(s, ref.tenant(), ref.name());
      try (ResultSet rs = s.executeQuery()) {
        row = rs.next() ? lockRow(rs) : null;
      }
    }
    if (row == null) return null;
    Lock lock = row.lock();
    if (lock.expiresAt().isAfter(now)) return lock;
    if (!c.getAutoCommit()) { // inside a write: tidy the expired row so a new lock can be taken
      try (PreparedStatement s =
          c.prepareStatement(
              "UPDATE locks SET ended_at = expires_at," + " end_reason = 'expired' WHERE id = ?")) {
        set(s, lock.id());
        s.executeUpdate();
      }
      audit(
          c,
          ref,
          new Principal(lock.holder().id(), lock.holder().name(), ref.tenant(), Role.EDITOR),
          lock.expiresAt(),
          "lock-expired",
          detail("lock", lock.id()));
    }
    return null;
  }

  private static LockState lockById(Connection c, String id) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(LOCK_COLUMNS + " FROM locks WHERE id = ?")) {
      set(s, id);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? lockRow(rs) : null;
      }
    }
  }

  private static final String LOCK_COLUMNS =
      "SELECT id, tenant, name, holder_id, holder_name,"
          + " client, note, acquired_at, heartbeat_at, expires_at, ttl_seconds, fence, ended_at,"
          + " end_reason, ended_by_id, ended_by_name, holder_tenant";

  private static LockState lockRow(ResultSet rs) throws SQLException {
    Lock lock =
        new Lock(
            rs.getString(1),
            new ConfigRef(rs.getString(2), rs.getString(3)),
            new Author(rs.getString(4), rs.getString(5)),
            rs.getString(6),
            rs.getString(7),
            Instant.ofEpochMilli(rs.getLong(8)),
            Instant.ofEpochMilli(rs.getLong(9)),
            Instant.ofEpochMilli(rs.getLong(10)),
            rs.getLong(11),
            rs.getLong(12));
    long ended = rs.getLong(13);
    boolean isEnded = !rs.wasNull();
    return new LockState(
        lock,
        isEnded ? Instant.ofEpochMilli(ended) : null,
        rs.getString(14),
        rs.getString(15) == null ? null : new Author(rs.getString(15), rs.getString(16)),
        rs.getString(17));
  }

  private static Lock withoutId(Lock l) {
    return new Lock(
        null,
        l.ref(),
        l.holder(),
        l.client(),
        l.note(),
        l.acquiredAt(),
        l.heartbeatAt(),
        l.expiresAt(),
        l.ttlSeconds(),
        l.fence());
  }
}
