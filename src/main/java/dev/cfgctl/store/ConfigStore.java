package dev.cfgctl.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cfgctl.patch.Patch;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Every versioned operation on configs. Each call acts as {@code who}: tenant isolation (another
 * tenant's config is "not found"), roles, preconditions and edit locks are checked here, so every
 * implementation and every client behaves the same. Failures are {@link StoreException}s and change
 * nothing.
 */
public interface ConfigStore extends TokenStore, AutoCloseable {
  /**
   * How a write presents itself: the caller's lock id, a change message, whether to rebase if
   * stale, whether the caller needs only the new version ({@code minimal}: the returned document's
   * content may then be null, which saves a remote store sending the whole content back), when the
   * caller stops waiting for it ({@code deadline}, a {@link System#nanoTime} value, 0 for never: a
   * write still waiting then is abandoned, unchanged), and its idempotency key, if any.
   */
  record Write(
      String lockId,
      String message,
      boolean rebase,
      boolean minimal,
      long deadline,
      Idempotency idempotency) {
    public static final Write PLAIN = new Write(null, null, false);

    public Write(String lockId, String message, boolean rebase) {
      this(lockId, message, rebase, false);
    }

    public Write(String lockId, String message, boolean rebase, boolean minimal) {
      this(lockId, message, rebase, minimal, 0, null);
    }

    public Write withDeadline(long deadline) {
      return new Write(lockId, message, rebase, minimal, deadline, idempotency);
    }

    public Write withIdempotency(Idempotency idempotency) {
      return new Write(lockId, message, rebase, minimal, deadline, idempotency);
    }
  }

  /**
   * An {@code Idempotency-Key} and what it was sent with: a write that presents a key its caller
   * used before, for the same request, gets the first write's result instead of a second revision.
   * {@code request} tells requests apart (the server uses a hash of method, target, preconditions
   * and body); the same key with another request is refused. The store sets {@code replayed} when
   * it answers with the remembered result instead of writing.
   */
  record Idempotency(String key, String request, AtomicBoolean replayed) {
    public Idempotency(String key, String request) {
      this(key, request, new AtomicBoolean());
    }
  }

  /** Filters of a history listing; {@code before} pages towards older versions. */
  record HistoryQuery(int limit, Long before, String author, Instant since, Instant until) {
    public static final HistoryQuery LATEST = new HistoryQuery(50, null, null, null, null);
  }

  /** A lock request; {@code ttlSeconds} null for the server's default. */
  record LockRequest(
      Long ttlSeconds,
      String client,
      String note,
      boolean takeOver,
      String reason,
      Idempotency idempotency) {
    public LockRequest(
        Long ttlSeconds, String client, String note, boolean takeOver, String reason) {
      this(ttlSeconds, client, note, takeOver, reason, null);
    }

    public LockRequest withIdempotency(Idempotency idempotency) {
      return new LockRequest(ttlSeconds, client, note, takeOver, reason, idempotency);
    }
  }

  /** Precondition of a full save: a version, or {@link #FORCE} to overwrite whatever is there. */
  long FORCE = -1;

  Document get(Principal who, ConfigRef ref);

  Document get(Principal who, ConfigRef ref, long version);

  Page<ConfigSummary> list(Principal who, String tenant, String prefix, int limit, String after);

  Document create(Principal who, ConfigRef ref, JsonNode content, Write write);

  /** Replaces the content; {@code expectedVersion} is required ({@link #FORCE} to overwrite). */
  Document save(Principal who, ConfigRef ref, JsonNode content, Long expectedVersion, Write write);

  /** Applies a JSON Patch to the current version, or checks {@code expectedVersion} when given. */
  Document patch(Principal who, ConfigRef ref, Patch patch, Long expectedVersion, Write write);

  /** Applies an RFC 7396 merge patch, like {@link #patch}. */
  Document mergePatch(
      Principal who, ConfigRef ref, JsonNode mergePatch, Long expectedVersion, Write write);

  /** Writes a tombstone; returns its version. */
  long delete(Principal who, ConfigRef ref, long expectedVersion, Write write);

  Page<Revision> history(Principal who, ConfigRef ref, HistoryQuery query);

  Revision revision(Principal who, ConfigRef ref, long version);

  /**
   * Undoes the caller's latest {@code steps} changes (or anyone's with {@code any}); the new
   * revisions.
   */
  List<Revision> undo(
      Principal who, ConfigRef ref, boolean any, int steps, Long expectedVersion, Write write);

  List<Revision> redo(Principal who, ConfigRef ref, int steps, Long expectedVersion, Write write);

  /** Makes the content equal to version {@code toVersion}'s, as a new revision. */
  Revision rollback(
      Principal who, ConfigRef ref, long toVersion, long expectedVersion, Write write);

  Lock acquire(Principal who, ConfigRef ref, LockRequest request);

  Lock extend(Principal who, ConfigRef ref, String lockId, Long ttlSeconds);

  void release(Principal who, ConfigRef ref, String lockId);

  /** Admin: ends whatever lock is live on {@code ref}. */
  void forceRelease(Principal who, ConfigRef ref, String reason);

  Optional<Lock> lock(Principal who, ConfigRef ref);

  /** The sessions connected to {@code ref}'s change stream, on every server, oldest first. */
  List<Presence> sessions(Principal who, ConfigRef ref);

  /**
   * Live locks of a tenant; with {@code staleAfterSeconds}, those not heartbeated for that long.
   */
  List<Lock> locks(Principal who, String tenant, Long staleAfterSeconds);

  @Override
  void close();
}
