package dev.cfgctl.app;

import static dev.cfgctl.app.Access.allow;
import static dev.cfgctl.app.Access.notFound;
import static dev.cfgctl.app.Access.see;
import static dev.cfgctl.app.Preconditions.anyVersion;
import static dev.cfgctl.app.Preconditions.decide;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cfgctl.app.ContentLimits.Applied;
import dev.cfgctl.app.Preconditions.Decision;
import dev.cfgctl.patch.Budget;
import dev.cfgctl.patch.JsonDiff;
import dev.cfgctl.patch.JsonPointer;
import dev.cfgctl.patch.MergePatch;
import dev.cfgctl.patch.Patch;
import dev.cfgctl.patch.PatchFailedException;
import dev.cfgctl.patch.PatchOp;
import dev.cfgctl.store.ConfigRef;
import dev.cfgctl.store.ConfigRepository;
import dev.cfgctl.store.ConfigRepository.Tx;
import dev.cfgctl.store.ConfigState;
import dev.cfgctl.store.ConfigStore;
import dev.cfgctl.store.ConfigSummary;
import dev.cfgctl.store.Document;
import dev.cfgctl.store.Lock;
import dev.cfgctl.store.Page;
import dev.cfgctl.store.Presence;
import dev.cfgctl.store.Principal;
import dev.cfgctl.store.Problem;
import dev.cfgctl.store.Refusals;
import dev.cfgctl.store.Revision;
import dev.cfgctl.store.Revision.Kind;
import dev.cfgctl.store.Role;
import dev.cfgctl.store.StoreException;
import dev.cfgctl.store.StoredRevision;
import dev.cfgctl.store.Token;
import dev.cfgctl.store.Tunables;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * The config store's workflows over a {@link ConfigRepository}: access, then in one transaction the
 * state read, the preconditions, a rebase if asked for, the change applied within the limits, and
 * its revision committed; undo and redo; rollback; locks and tokens. Thread-safe.
 */
public final class ConfigService implements ConfigStore {
  private final ConfigRepository repository;
  private final Tunables options;
  private final Clock clock;
  private final ContentLimits limits;
  private final Reverting reverting;

  public ConfigService(ConfigRepository repository, Tunables options, Clock clock) {
    this.repository = repository;
    this.options = options;
    this.clock = clock;
    this.limits = new ContentLimits(options.limits());
    this.reverting = new Reverting(limits);
  }

  public Tunables options() {
    return options;
  }

  // ---------------------------------------------------------------- reads

  @Override
  public Document get(Principal who, ConfigRef ref) {
    see(who, ref.tenant(), ref);
    ConfigState s = repository.read(tx -> tx.load(ref));
    return live(s, ref).document(ref);
  }

  @Override
  public Document get(Principal who, ConfigRef ref, long version) {
    see(who, ref.tenant(), ref);
    return repository.read(
        tx -> {
          ConfigState s = tx.load(ref);
          if (s == null) throw notFound(ref);
          if (version == s.version()) return live(s, ref).document(ref);
          if (version < 1 || version > s.version()) {
            throw new StoreException(
                Problem.NOT_FOUND,
                ref + " has no version " + version + " (its latest is " + s.version() + ")");
          }
          StoredRevision r = tx.revision(ref, version);
          JsonNode content = tx.contentAt(ref, version);
          if (r.deleted()) throw Refusals.deleted(ref, version);
          return new Document(ref, version, content, r.at(), r.author());
        });
  }

  @Override
  public Page<ConfigSummary> list(
      Principal who, String tenant, String prefix, int limit, String after) {
    see(who, ConfigRef.checkName(tenant), null);
    int n = Math.max(1, Math.min(limit, 1000));
    String p = prefix == null ? "" : prefix;
    List<ConfigSummary> items = repository.read(tx -> tx.summaries(tenant, p, after, n + 1));
    return page(items, n, ConfigSummary::name);
  }

  @Override
  public Page<Revision> history(Principal who, ConfigRef ref, HistoryQuery q) {
    see(who, ref.tenant(), ref);
    int n = Math.max(1, Math.min(q.limit(), 1000));
    List<Revision> items =
        repository.read(
            tx -> {
              if (!tx.exists(ref)) throw notFound(ref);
              return tx.history(ref, q, n + 1);
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
    return repository.read(
        tx -> {
          if (!tx.exists(ref)) throw notFound(ref);
          return tx.revision(ref, version).revision();
        });
  }

  @Override
  public Optional<Lock> lock(Principal who, ConfigRef ref) {
    see(who, ref.tenant(), ref);
    return repository.lock(ref);
  }

  @Override
  public List<Presence> sessions(Principal who, ConfigRef ref) {
    see(who, ref.tenant(), ref);
    if (!repository.read(tx -> tx.exists(ref))) throw notFound(ref);
    return repository.presence(ref, clock.instant().minus(ChangeFeed.ALIVE), "");
  }

  @Override
  public List<Lock> locks(Principal who, String tenant, Long staleAfterSeconds) {
    see(who, ConfigRef.checkName(tenant), null);
    return repository.locks(tenant, staleAfterSeconds);
  }

  // ---------------------------------------------------------------- content writes

  @Override
  public Document create(Principal who, ConfigRef ref, JsonNode content, Write w) {
    allow(who, ref, Role.EDITOR);
    long bytes = limits.checkNew(ref, content);
    return writeOnce(
        ref,
        who,
        null,
        w,
        (tx, now) -> {
          ConfigState s = tx.load(ref);
          if (s != null && !s.deleted()) {
            throw new StoreException(
                    Problem.ALREADY_EXISTS, ref + " already exists (version " + s.version() + ")")
                .with("currentVersion", s.version());
          }
          Stamp stamp = stamp(tx, ref, who, w, now, w.message());
          Patch patch = new Patch(List.of(PatchOp.add(JsonPointer.ROOT, content)));
          long version = s == null ? 1 : s.version() + 1;
          Revision r =
              stamp.revision(ref, version, Kind.CREATE, patch, Patch.EMPTY, null, false, null);
          return tx.commit(s, r, content, false, bytes);
        });
  }

  @Override
  public Document save(
      Principal who, ConfigRef ref, JsonNode content, Long expectedVersion, Write w) {
    allow(who, ref, Role.EDITOR);
    if (expectedVersion == null) {
      throw new StoreException(
          Problem.PRECONDITION_REQUIRED,
          "saving "
              + ref
              + " needs the version the new content is based on (If-Match: \"N\"), or a forced"
              + " save (If-Match: *)");
    }
    limits.checkNew(ref, content);
    return writeLive(
        ref,
        who,
        expectedVersion,
        w,
        (tx, s, stamp) -> {
          boolean forced = expectedVersion == FORCE;
          Budget budget = limits.budget();
          JsonNode target = content;
          Long rebasedFrom = null;
          Decision d = forced ? Decision.CURRENT : decide(expectedVersion, s.version(), w.rebase());
          if (d == Decision.CONFLICT) throw versionConflict(tx, ref, expectedVersion, s);
          if (d == Decision.REBASE) {
            List<Revision> since =
                reverting.revisionsToRebaseOver(tx, ref, expectedVersion, s.version());
            JsonNode base = tx.contentAt(ref, expectedVersion);
            target = Rebasing.saveOver(ref, base, content, since, s.content(), budget);
            rebasedFrom = expectedVersion;
          }
          Patch patch = JsonDiff.diff(s.content(), target);
          if (patch.ops().isEmpty() && !forced) return s.document(ref).asUnchanged();
          checkDeadline(w);
          Applied a = limits.apply(ref, s.content(), s.contentBytes(), patch, budget);
          Revision r =
              stamp.revision(
                  ref, s.version() + 1, Kind.SAVE, patch, a.inverse(), null, forced, rebasedFrom);
          return tx.commit(s, r, a.content(), false, a.bytes());
        });
  }

  @Override
  public Document patch(Principal who, ConfigRef ref, Patch patch, Long expectedVersion, Write w) {
    allow(who, ref, Role.EDITOR);
    Long expected = anyVersion(expectedVersion);
    return writeLive(
        ref,
        who,
        expected,
        w,
        (tx, s, stamp) -> {
          Budget budget = limits.budget();
          Patch toApply = patch;
          Long rebasedFrom = null;
          Decision d = decide(expected, s.version(), w.rebase());
          if (d == Decision.CONFLICT) throw versionConflict(tx, ref, expected, s);
          if (d == Decision.REBASE) {
            List<Revision> since = reverting.revisionsToRebaseOver(tx, ref, expected, s.version());
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
            return s.document(ref).asUnchanged();
          }
          Revision r =
              stamp.revision(
                  ref, s.version() + 1, Kind.PATCH, toApply, a.inverse(), null, false, rebasedFrom);
          return tx.commit(s, r, a.content(), false, a.bytes());
        });
  }

  @Override
  public Document mergePatch(
      Principal who, ConfigRef ref, JsonNode mergePatch, Long expectedVersion, Write w) {
    allow(who, ref, Role.EDITOR);
    Long expected = anyVersion(expectedVersion);
    if (w.idempotency() != null) { // a retry: the content it was computed on may have changed since
      Document done =
          repository.read(
              tx -> {
                ObjectNode result = tx.findIdempotent(who, w.idempotency(), clock.instant());
                return result == null ? null : tx.replayed(ref, who, result);
              });
      if (done != null) return done;
    }
    // A merge patch is turned into the JSON Patch it means against the version it was written for,
    // so it is versioned, rebased and inverted like any other patch.
    if (expected != null) {
      Document current = get(who, ref);
      JsonNode base =
          switch (decide(expected, current.version(), w.rebase())) {
            case CURRENT -> current.content();
            case CONFLICT ->
                throw repository.read(tx -> versionConflict(tx, ref, expected, current.version()));
            case REBASE ->
                repository.read(
                    tx -> {
                      reverting.requireHistory(tx, ref, expected, current.version());
                      return tx.contentAt(ref, expected);
                    });
          };
      return this.patch(who, ref, diffOfMerge(base, mergePatch), expected, w);
    }
    // without a version it applies to whatever is current: computed on the latest version and
    // written only if that is still the latest, else computed again
    Write unrebased =
        new Write(w.lockId(), w.message(), false, w.minimal(), w.deadline(), w.idempotency());
    return Preconditions.retryWhileStale(
        () -> {
          Document current = get(who, ref);
          return this.patch(
              who, ref, diffOfMerge(current.content(), mergePatch), current.version(), unrebased);
        });
  }

  private static Patch diffOfMerge(JsonNode content, JsonNode mergePatch) {
    return JsonDiff.diff(content, MergePatch.apply(content, mergePatch));
  }

  @Override
  public long delete(Principal who, ConfigRef ref, long expectedVersion, Write w) {
    allow(who, ref, Role.EDITOR);
    Document d =
        writeLive(
            ref,
            who,
            null,
            w,
            (tx, s, stamp) -> {
              requireLatest(tx, ref, anyVersion(expectedVersion), s);
              Revision r =
                  stamp.wholeConfig(
                      ref, s.version() + 1, Kind.DELETE, null, expectedVersion == FORCE);
              return tx.commit(s, r, s.content(), true, s.contentBytes());
            });
    return d.version();
  }

  @Override
  public Revision rollback(
      Principal who, ConfigRef ref, long toVersion, long expectedVersion, Write w) {
    allow(who, ref, Role.EDITOR);
    return writeRevisions(
            ref,
            who,
            w,
            (tx, now) -> {
              ConfigState s = live(tx.load(ref), ref);
              String message =
                  w.message() != null ? w.message() : "rollback to version " + toVersion;
              Stamp stamp = stamp(tx, ref, who, w, now, message);
              requireLatest(tx, ref, anyVersion(expectedVersion), s);
              if (toVersion < 1 || toVersion > s.version()) {
                throw new StoreException(Problem.NOT_FOUND, ref + " has no version " + toVersion);
              }
              StoredRevision at = tx.revision(ref, toVersion);
              if (at.deleted()) throw Refusals.deleted(ref, toVersion);
              JsonNode target = tx.contentAt(ref, toVersion);
              Patch patch = JsonDiff.diff(s.content(), target);
              checkDeadline(w);
              Applied a = limits.apply(ref, s.content(), s.contentBytes(), patch, limits.budget());
              Revision made =
                  stamp.revision(
                      ref,
                      s.version() + 1,
                      Kind.ROLLBACK,
                      patch,
                      a.inverse(),
                      null,
                      expectedVersion == FORCE,
                      null);
              tx.commit(s, made, a.content(), false, a.bytes());
              return List.of(made);
            })
        .get(0);
  }

  // ---------------------------------------------------------------- idempotency keys

  /** Forgets idempotency keys older than a day; returns how many. */
  public int sweepIdempotencyKeys() {
    return repository.sweepIdempotencyKeys();
  }

  /** Inside a write: gives it up, unchanged, once it has run past its deadline. */
  private static void checkDeadline(Write w) {
    if (w.deadline() != 0 && w.deadline() - System.nanoTime() < 0) throw Refusals.abandoned();
  }

  // ---------------------------------------------------------------- undo and redo

  @Override
  public List<Revision> undo(
      Principal who, ConfigRef ref, boolean any, int steps, Long expectedVersion, Write w) {
    allow(who, ref, any ? Role.ADMIN : Role.EDITOR);
    return revert(who, ref, Kind.UNDO, any, steps, anyVersion(expectedVersion), w);
  }

  @Override
  public List<Revision> redo(
      Principal who, ConfigRef ref, int steps, Long expectedVersion, Write w) {
    allow(who, ref, Role.EDITOR);
    return revert(who, ref, Kind.REDO, false, steps, anyVersion(expectedVersion), w);
  }

  private List<Revision> revert(
      Principal who,
      ConfigRef ref,
      Kind kind,
      boolean any,
      int steps,
      Long expectedVersion,
      Write w) {
    if (steps < 1 || steps > 1000) {
      throw new StoreException(Problem.INVALID_REQUEST, "steps must be between 1 and 1000");
    }
    return writeRevisions(
        ref,
        who,
        w,
        (tx, now) -> {
          List<Revision> made = new ArrayList<>();
          ConfigState s = tx.load(ref);
          if (s == null) throw notFound(ref);
          Stamp stamp = stamp(tx, ref, who, w, now, w.message());
          requireLatest(tx, ref, expectedVersion, s);
          // who did what, without the patches: the stacks need only the summaries
          List<StoredRevision> all = tx.summariesAfter(ref, 0, s.version());
          Budget budget = limits.budget();
          for (int i = 0; i < steps; i++) {
            OptionalLong next =
                UndoStacks.of(StoredRevision.revisions(all), any ? null : who.id()).next(kind);
            if (next.isEmpty()) {
              if (i > 0) break;
              throw new StoreException(
                  kind == Kind.UNDO ? Problem.NOTHING_TO_UNDO : Problem.NOTHING_TO_REDO,
                  (kind == Kind.UNDO ? "nothing to undo: " : "nothing to redo: ")
                      + (any ? "no change" : "no change of yours")
                      + " on "
                      + ref
                      + " in its retained history");
            }
            checkDeadline(w);
            StoredRevision t = StoredRevision.find(all, next.getAsLong());
            Reverting.Reverted r = reverting.revertOne(tx, s, t, all, kind, stamp, budget);
            tx.commit(s, r.revision(), r.content(), r.deleted(), r.bytes());
            made.add(r.revision());
            all.add(new StoredRevision(r.revision(), r.deleted()));
            s = tx.load(ref); // the version just written, its content from the cache
          }
          return made;
        });
  }

  // ---------------------------------------------------------------- locks

  @Override
  public Lock acquire(Principal who, ConfigRef ref, LockRequest req) {
    allow(who, ref, Role.EDITOR);
    return repository.acquire(who, ref, req);
  }

  @Override
  public Lock extend(Principal who, ConfigRef ref, String lockId, Long ttlSeconds) {
    allow(who, ref, Role.EDITOR);
    return repository.extend(who, ref, lockId, ttlSeconds);
  }

  @Override
  public void release(Principal who, ConfigRef ref, String lockId) {
    allow(who, ref, Role.EDITOR);
    repository.release(who, ref, lockId);
  }

  @Override
  public void forceRelease(Principal who, ConfigRef ref, String reason) {
    allow(who, ref, Role.ADMIN);
    repository.forceRelease(who, ref, reason);
  }

  /** Ends the locks that expired, writing each expiry to the audit trail; returns how many. */
  public int sweepExpiredLocks() {
    return repository.sweepExpiredLocks();
  }

  // ---------------------------------------------------------------- tokens

  @Override
  public Token.Issued createToken(Principal who, Principal subject, Integer expiresInDays) {
    Access.allowIssuing(who, subject);
    return repository.createToken(who, subject, expiresInDays);
  }

  /**
   * On first start of a server: when no token exists, creates an admin token for all tenants and
   * returns it (its secret is shown once); otherwise empty.
   */
  public Optional<Token.Issued> bootstrapAdmin() {
    return repository.bootstrapAdmin();
  }

  @Override
  public List<Token> tokens(Principal who) {
    Access.require(who, Role.ADMIN);
    return repository.tokens(who);
  }

  @Override
  public void revokeToken(Principal who, String id) {
    Access.require(who, Role.ADMIN);
    repository.revokeToken(who, id);
  }

  @Override
  public Principal authenticate(String secret) {
    return repository.authenticate(secret);
  }

  private static ConfigState live(ConfigState s, ConfigRef ref) {
    if (s == null) throw notFound(ref);
    if (s.deleted()) throw Refusals.deleted(ref, s.version());
    return s;
  }

  // ---------------------------------------------------------------- errors

  /** Refuses a write not rebased that is based on a version other than the latest (null: any). */
  private void requireLatest(Tx tx, ConfigRef ref, Long expected, ConfigState s) {
    if (decide(expected, s.version(), false) == Decision.CONFLICT) {
      throw versionConflict(tx, ref, expected, s);
    }
  }

  private StoreException versionConflict(Tx tx, ConfigRef ref, long expected, ConfigState s) {
    return versionConflict(tx, ref, expected, s.version());
  }

  private StoreException versionConflict(Tx tx, ConfigRef ref, long expected, long current) {
    return Refusals.stale(
        ref,
        expected,
        current,
        expected < current
            ? tx.latestSummariesAfter(ref, expected, Refusals.STALE_LISTED)
            : List.of());
  }

  /** A write to a live config, given its latest state and the stamp of its revision. */
  private interface LiveWrite {
    Document apply(Tx tx, ConfigState s, Stamp stamp);
  }

  /**
   * Runs a {@link #write} to a live config: the result an earlier try with the same idempotency key
   * left, else {@code work} on the config (refused when missing or deleted, or locked by another)
   * with its result remembered under the key.
   */
  private Document writeLive(ConfigRef ref, Principal who, Long expected, Write w, LiveWrite work) {
    return writeOnce(
        ref,
        who,
        expected,
        w,
        (tx, now) -> {
          ConfigState s = live(tx.load(ref), ref);
          return work.apply(tx, s, stamp(tx, ref, who, w, now, w.message()));
        });
  }

  /** A write that makes a document, given the time; returns it. */
  private interface DocumentWrite {
    Document apply(Tx tx, Instant now);
  }

  /**
   * Runs a {@link #write} that makes a document: the result an earlier try with the same
   * idempotency key left, else that of {@code work}, remembered under the key.
   */
  private Document writeOnce(
      ConfigRef ref, Principal who, Long expected, Write w, DocumentWrite work) {
    return write(
        ref,
        who,
        expected,
        w,
        tx -> {
          Instant now = clock.instant();
          ObjectNode done = tx.findIdempotent(who, w.idempotency(), now);
          if (done != null) return tx.replayed(ref, who, done);
          return tx.remember(who, w.idempotency(), work.apply(tx, now), now);
        });
  }

  /** The stamp of a write's revisions; refused when the config is locked by someone else. */
  private static Stamp stamp(
      Tx tx, ConfigRef ref, Principal who, Write w, Instant now, String message) {
    return new Stamp(who.author(), now, message, tx.checkLock(ref, w.lockId(), who, now));
  }

  /** A write that makes revisions, given the time; returns them. */
  private interface RevisionsWrite {
    List<Revision> apply(Tx tx, Instant now);
  }

  /**
   * Runs a {@link #write} that makes revisions (a rollback, undo or redo): those an earlier try
   * with the same idempotency key made, else those {@code work} makes, remembered under the key.
   */
  private List<Revision> writeRevisions(
      ConfigRef ref, Principal who, Write w, RevisionsWrite work) {
    return write(
        ref,
        who,
        null,
        w,
        tx -> {
          Instant now = clock.instant();
          ObjectNode done = tx.findIdempotent(who, w.idempotency(), now);
          if (done != null) return tx.replayedRevisions(ref, done);
          List<Revision> made = work.apply(tx, now);
          tx.rememberRevisions(who, w.idempotency(), ref, made, now);
          return made;
        });
  }

  /**
   * Runs a content write as one transaction, given up unchanged if it has not started by the
   * write's deadline. A write based on version {@code expected} (unless forced or rebased) may be
   * refused from a plain read when stale, before it queues; with an idempotency key it may not,
   * since a retry must reach the key's result, which a stale version hides.
   */
  private <T> T write(
      ConfigRef ref, Principal who, Long expected, Write w, ConfigRepository.Work<T> work) {
    boolean preChecked =
        expected != null && expected != FORCE && !w.rebase() && w.idempotency() == null;
    return repository.write(ref, who, preChecked ? expected : null, w.deadline(), work);
  }

  /** A change stream of this store's configs (see {@link ChangeFeed}); the caller closes it. */
  public ChangeFeed changeFeed(ChangeFeed.Settings settings) {
    return new ChangeFeed(repository, settings, clock);
  }

  @Override
  public void close() {
    repository.close();
  }
}
