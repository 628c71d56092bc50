package dev.cfgctl.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cfgctl.store.ConfigStore.HistoryQuery;
import dev.cfgctl.store.ConfigStore.Idempotency;
import dev.cfgctl.store.ConfigStore.LockRequest;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where configs, their revisions, edit locks, tokens and idempotency keys are kept, and the
 * transactions over them. No access checks and no rules of versioning: the caller decides, the
 * repository stores. Failures are {@link StoreException}s. Implementations are thread-safe.
 */
public interface ConfigRepository extends AutoCloseable {
  /** What one transaction sees and does; valid only inside the {@link Work} it was given to. */
  interface Tx {
    /** The config's latest version, a tombstone's included; null when it has no row. */
    Long version(ConfigRef ref);

    /** The latest version of every config of {@code tenant}, deleted ones included, by name. */
    java.util.Map<String, Long> versions(String tenant);

    /** The config's state, its current content included; null when it has no row. */
    ConfigState load(ConfigRef ref);

    /** The content at a retained version. */
    JsonNode contentAt(ConfigRef ref, long version);

    /** Whether the config has a row (a tombstone too). */
    boolean exists(ConfigRef ref);

    /** One revision; {@code not-found} when it does not exist or is no longer retained. */
    StoredRevision revision(ConfigRef ref, long version);

    /** Revisions {@code after < version <= upTo}, oldest first. */
    List<StoredRevision> revisionsAfter(ConfigRef ref, long after, long upTo);

    /** As {@link #revisionsAfter}, summaries only: their patches and inverses are empty. */
    List<StoredRevision> summariesAfter(ConfigRef ref, long after, long upTo);

    /** The latest {@code limit} revisions after {@code after}, oldest first, summaries only. */
    List<Revision> latestSummariesAfter(ConfigRef ref, long after, int limit);

    /** The length of the patches of revisions {@code after < version <= upTo}, in characters. */
    long patchBytesAfter(ConfigRef ref, long after, long upTo);

    /** At most {@code limit} live configs of a tenant by name, after {@code after} (null: all). */
    List<ConfigSummary> summaries(String tenant, String prefix, String after, int limit);

    /** At most {@code limit} revision summaries matching {@code query}, latest first. */
    List<Revision> history(ConfigRef ref, HistoryQuery query, int limit);

    /**
     * Stores revision {@code r} on top of {@code before} (null for a config without a row), if
     * {@code before} is still the latest version; returns the new version's document.
     */
    Document commit(
        ConfigState before, Revision r, JsonNode content, boolean deleted, long contentBytes);

    /**
     * The lock check of a write: passes when no live lock exists or {@code lockId} is the live
     * one's and the caller's; returns the lock id to record.
     */
    String checkLock(ConfigRef ref, String lockId, Principal who, Instant now);

    /**
     * What an earlier write with this key did, or null (also without a key); refused as {@code
     * idempotency-key-reused} when the key came with another request.
     */
    ObjectNode findIdempotent(Principal who, Idempotency key, Instant now);

    /** The document a remembered write led to. */
    Document replayed(ConfigRef ref, Principal who, ObjectNode done);

    /** Remembers the document a write led to under its key (nothing without one); returns it. */
    Document remember(Principal who, Idempotency key, Document d, Instant now);

    /** Remembers the revisions an undo, redo or rollback made under its key. */
    void rememberRevisions(
        Principal who, Idempotency key, ConfigRef ref, List<Revision> made, Instant now);

    /** The revisions a remembered undo, redo or rollback made. */
    List<Revision> replayedRevisions(ConfigRef ref, ObjectNode done);
  }

  /** Work inside a transaction; a {@link StoreException} rolls it back and reaches the caller. */
  interface Work<T> {
    T run(Tx tx);
  }

  /** Runs {@code work} on a read-only view. */
  <T> T read(Work<T> work);

  /**
   * Runs {@code work} as one transaction, serialized with every other write to {@code ref}, given
   * up unchanged if it has not started by {@code deadline} (a {@link System#nanoTime} value, 0 for
   * never). With {@code basedOn}, the version the write needs to be latest, a stale write may be
   * refused as a version conflict before it queues. A write of {@code who} refused for presenting
   * someone else's lock id is audited.
   */
  <T> T write(ConfigRef ref, Principal who, Long basedOn, long deadline, Work<T> work);

  /**
   * Tells {@code listener} of changes to configs from now on until the repository closes: at once
   * of writes made through this repository, and within a fraction of a second of those of other
   * processes or servers on the same database. Called on threads of the repository's; the listener
   * must return quickly.
   */
  void listen(ChangeListener listener);

  /** Adds a session to a config's presence list, or moves it to another pointer. */
  void enter(Presence session, Instant now);

  /** Takes a session off its config's presence list. */
  void leave(ConfigRef ref, String session);

  /** The sessions of server {@code node} are alive at {@code now} (each server, every second). */
  void heartbeat(String node, Instant now);

  /**
   * The sessions on {@code ref}, of every server: those seen alive after {@code aliveAfter}, and
   * all of server {@code node} (the caller's own, which it takes off when they end).
   */
  List<Presence> presence(ConfigRef ref, Instant aliveAfter, String node);

  /** Stops telling {@code listener}. */
  void unlisten(ChangeListener listener);

  Optional<Lock> lock(ConfigRef ref);

  List<Lock> locks(String tenant, Long staleAfterSeconds);

  /**
   * The locks of {@code ref} as stored, live or ended, from the one with fence {@code fromFence} on
   * (negative: the latest only), their ids included, oldest first: what the change streams tell of.
   */
  List<LockState> lockHistory(ConfigRef ref, long fromFence);

  Lock acquire(Principal who, ConfigRef ref, LockRequest request);

  Lock extend(Principal who, ConfigRef ref, String lockId, Long ttlSeconds);

  void release(Principal who, ConfigRef ref, String lockId);

  void forceRelease(Principal who, ConfigRef ref, String reason);

  /** Ends the locks that expired, writing each expiry to the audit trail; returns how many. */
  int sweepExpiredLocks();

  /** Forgets idempotency keys older than a day; returns how many. */
  int sweepIdempotencyKeys();

  Token.Issued createToken(Principal who, Principal subject, Integer expiresInDays);

  /** When no token exists, creates an admin token for all tenants and returns it. */
  Optional<Token.Issued> bootstrapAdmin();

  List<Token> tokens(Principal who);

  void revokeToken(Principal who, String id);

  Principal authenticate(String secret);

  @Override
  void close();
}
