package dev.cfgctl.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cfgctl.patch.Json;
import dev.cfgctl.patch.Patch;
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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A {@link ConfigRepository} in memory, for testing {@link ConfigService} alone, with the semantics
 * of the JDBC repository's transactions: every version's revision and content, tombstones, and
 * idempotency keys. It keeps all history (no retention, so a replay always finds what it made), has
 * no locks (a write presenting a lock id is refused as a lost lock) and no tokens, and never
 * refuses a stale write before its work runs, so the service's own check is what decides. Work runs
 * under one lock; work that throws leaves everything as it was. Thread-safe.
 */
final class InMemoryRepository implements ConfigRepository {
  private static final Duration KEPT = Duration.ofHours(24);

  /** One version of a config: its revision, whether it is a tombstone, and its content. */
  private record Version(StoredRevision stored, JsonNode content) {}

  /** What a write with an idempotency key did, and when. */
  private record Remembered(String request, ConfigRef ref, ObjectNode result, Instant at) {}

  /** Each config's versions, oldest first, by name; a list is replaced, never modified. */
  private final Map<ConfigRef, List<Version>> configs =
      new TreeMap<>(Comparator.comparing(ConfigRef::toString));

  private final Map<String, Remembered> keys = new HashMap<>();
  private final Tx tx = new MemoryTx();

  @Override
  public synchronized <T> T read(Work<T> work) {
    return work.run(tx);
  }

  @Override
  public synchronized <T> T write(
      ConfigRef ref, Principal who, Long basedOn, long deadline, Work<T> work) {
    if (deadline != 0 && deadline - System.nanoTime() < 0) throw Refusals.abandoned();
    Map<ConfigRef, List<Version>> configsBefore = new HashMap<>(configs);
    Map<String, Remembered> keysBefore = new HashMap<>(keys);
    try {
      return work.run(tx);
    } catch (RuntimeException | Error e) {
      configs.clear();
      configs.putAll(configsBefore);
      keys.clear();
      keys.putAll(keysBefore);
      throw e;
    }
  }

  private List<Version> stored(ConfigRef ref) {
    return configs.getOrDefault(ref, List.of());
  }

  /** The revision without its patch and inverse, as the JDBC repository's summaries are. */
  private static StoredRevision summary(StoredRevision s) {
    Revision r = s.revision();
    return new StoredRevision(
        new Revision(
            r.ref(),
            r.version(),
            r.kind(),
            r.author(),
            r.at(),
            r.message(),
            r.paths(),
            r.undoes(),
            r.forced(),
            r.rebasedFrom(),
            r.lockId(),
            Patch.EMPTY,
            Patch.EMPTY),
        s.deleted());
  }

  private final class MemoryTx implements Tx {
    @Override
    public java.util.Map<String, Long> versions(String tenant) {
      java.util.Map<String, Long> all = new java.util.HashMap<>();
      configs.forEach(
          (ref, v) -> {
            if (ref.tenant().equals(tenant)) all.put(ref.name(), (long) v.size());
          });
      return all;
    }

    @Override
    public Long version(ConfigRef ref) {
      List<Version> all = stored(ref);
      return all.isEmpty() ? null : (long) all.size();
    }

    @Override
    public ConfigState load(ConfigRef ref) {
      List<Version> all = stored(ref);
      if (all.isEmpty()) return null;
      Version last = all.get(all.size() - 1);
      StoredRevision r = last.stored();
      long bytes = Json.compactSize(last.content(), Long.MAX_VALUE);
      return new ConfigState(
          r.version(), last.content(), r.deleted(), r.at(), r.author(), bytes, 0, bytes);
    }

    @Override
    public JsonNode contentAt(ConfigRef ref, long version) {
      List<Version> all = stored(ref);
      if (version < 1 || version > all.size()) {
        throw new StoreException(
            Problem.NOT_FOUND, "version " + version + " of " + ref + " is no longer retained");
      }
      return all.get((int) version - 1).content();
    }

    @Override
    public boolean exists(ConfigRef ref) {
      return configs.containsKey(ref);
    }

    @Override
    public StoredRevision revision(ConfigRef ref, long version) {
      List<StoredRevision> at = revisionsAfter(ref, version - 1, version);
      if (at.isEmpty()) {
        throw new StoreException(
            Problem.NOT_FOUND,
            "version " + version + " of " + ref + " does not exist or is no longer retained");
      }
      return at.get(0);
    }

    @Override
    public List<StoredRevision> revisionsAfter(ConfigRef ref, long after, long upTo) {
      List<StoredRevision> found = new ArrayList<>();
      for (Version v : stored(ref)) {
        if (v.stored().version() > after && v.stored().version() <= upTo) found.add(v.stored());
      }
      return found;
    }

    @Override
    public List<StoredRevision> summariesAfter(ConfigRef ref, long after, long upTo) {
      List<StoredRevision> found = revisionsAfter(ref, after, upTo);
      found.replaceAll(InMemoryRepository::summary);
      return found;
    }

    @Override
    public List<Revision> latestSummariesAfter(ConfigRef ref, long after, int limit) {
      List<Revision> all = StoredRevision.revisions(summariesAfter(ref, after, Long.MAX_VALUE));
      return new ArrayList<>(all.subList(Math.max(0, all.size() - limit), all.size()));
    }

    @Override
    public long patchBytesAfter(ConfigRef ref, long after, long upTo) {
      long n = 0;
      for (StoredRevision r : revisionsAfter(ref, after, upTo)) n += r.patch().toString().length();
      return n;
    }

    @Override
    public List<ConfigSummary> summaries(String tenant, String prefix, String after, int limit) {
      List<ConfigSummary> found = new ArrayList<>();
      for (Map.Entry<ConfigRef, List<Version>> e : configs.entrySet()) {
        ConfigRef ref = e.getKey();
        StoredRevision last = e.getValue().get(e.getValue().size() - 1).stored();
        if (found.size() < limit
            && ref.tenant().equals(tenant)
            && !last.deleted()
            && ref.name().startsWith(prefix)
            && ref.name().compareTo(after == null ? "" : after) > 0) {
          found.add(new ConfigSummary(ref.name(), last.version(), last.at(), last.author()));
        }
      }
      return found;
    }

    @Override
    public List<Revision> history(ConfigRef ref, HistoryQuery q, int limit) {
      List<Revision> found = new ArrayList<>();
      for (StoredRevision s : summariesAfter(ref, 0, Long.MAX_VALUE)) {
        Revision r = s.revision();
        if ((q.before() == null || r.version() < q.before())
            && (q.author() == null || r.author().id().equals(q.author()))
            && (q.since() == null || !r.at().isBefore(q.since()))
            && (q.until() == null || r.at().isBefore(q.until()))) {
          found.add(0, r);
        }
      }
      return new ArrayList<>(found.subList(0, Math.min(limit, found.size())));
    }

    @Override
    public Document commit(
        ConfigState before, Revision r, JsonNode content, boolean deleted, long contentBytes) {
      List<Version> all = new ArrayList<>(stored(r.ref()));
      long expected = before == null ? 0 : before.version();
      if (all.size() != expected || r.version() != expected + 1) {
        throw new StoreException(Problem.VERSION_CONFLICT, r.ref() + " changed concurrently")
            .with("expectedVersion", expected);
      }
      all.add(new Version(new StoredRevision(r, deleted), content.deepCopy()));
      configs.put(r.ref(), List.copyOf(all));
      return new Document(r.ref(), r.version(), content, r.at(), r.author());
    }

    @Override
    public String checkLock(ConfigRef ref, String lockId, Principal who, Instant now) {
      if (lockId == null) return null;
      throw new StoreException(Problem.LOCK_LOST, "lock " + lockId + " is not a lock of " + ref);
    }

    @Override
    public ObjectNode findIdempotent(Principal who, Idempotency key, Instant now) {
      Remembered r = key == null ? null : keys.get(principal(who, key));
      if (r == null || !r.at().isAfter(now.minus(KEPT))) return null;
      if (!r.request().equals(request(key))) throw reused(key, r.ref().toString());
      key.replayed().set(true);
      return r.result().deepCopy();
    }

    @Override
    public Document replayed(ConfigRef ref, Principal who, ObjectNode done) {
      long v = done.get("versions").get(0).asLong();
      StoredRevision at = revision(ref, v);
      JsonNode content = at.deleted() ? null : contentAt(ref, v);
      return new Document(
          ref, v, content, at.at(), at.author(), done.path("unchanged").asBoolean());
    }

    @Override
    public Document remember(Principal who, Idempotency key, Document d, Instant now) {
      ObjectNode result = Json.NODES.objectNode();
      result.putArray("versions").add(d.version());
      if (d.unchanged()) result.put("unchanged", true);
      record(who, key, d.ref(), result, now);
      return d;
    }

    @Override
    public void rememberRevisions(
        Principal who, Idempotency key, ConfigRef ref, List<Revision> made, Instant now) {
      ObjectNode result = Json.NODES.objectNode();
      ArrayNode versions = result.putArray("versions");
      made.forEach(r -> versions.add(r.version()));
      record(who, key, ref, result, now);
    }

    @Override
    public List<Revision> replayedRevisions(ConfigRef ref, ObjectNode done) {
      List<Revision> made = new ArrayList<>();
      done.get("versions").forEach(v -> made.add(revision(ref, v.asLong()).revision()));
      return made;
    }

    /** Remembers what a write with {@code key} did; refused when a live key was taken since. */
    private void record(
        Principal who, Idempotency key, ConfigRef ref, ObjectNode result, Instant now) {
      if (key == null) return;
      Remembered old = keys.get(principal(who, key));
      if (old != null && old.at().isAfter(now.minus(KEPT))) {
        throw reused(key, "another config, at the same time");
      }
      keys.put(principal(who, key), new Remembered(request(key), ref, result, now));
    }
  }

  private static String principal(Principal who, Idempotency key) {
    return who.tenant() + "/" + who.id() + " " + key.key();
  }

  private static String request(Idempotency key) {
    return key.request() == null ? "" : key.request();
  }

  private static StoreException reused(Idempotency key, String where) {
    return new StoreException(
        Problem.IDEMPOTENCY_KEY_REUSED,
        "Idempotency-Key "
            + key.key()
            + " was used for another request (to "
            + where
            + "); use a new key for a new request");
  }

  // ---------------------------------------------------------------- no locks, no tokens

  @Override
  public Optional<Lock> lock(ConfigRef ref) {
    return Optional.empty();
  }

  @Override
  public List<Lock> locks(String tenant, Long staleAfterSeconds) {
    return List.of();
  }

  @Override
  public Lock acquire(Principal who, ConfigRef ref, LockRequest request) {
    throw new UnsupportedOperationException("no locks in memory");
  }

  @Override
  public Lock extend(Principal who, ConfigRef ref, String lockId, Long ttlSeconds) {
    throw new UnsupportedOperationException("no locks in memory");
  }

  @Override
  public void release(Principal who, ConfigRef ref, String lockId) {
    throw new UnsupportedOperationException("no locks in memory");
  }

  @Override
  public void forceRelease(Principal who, ConfigRef ref, String reason) {
    throw new UnsupportedOperationException("no locks in memory");
  }

  @Override
  public int sweepExpiredLocks() {
    return 0;
  }

  @Override
  public int sweepIdempotencyKeys() {
    throw new UnsupportedOperationException("keys are kept until the repository is dropped");
  }

  @Override
  public Token.Issued createToken(Principal who, Principal subject, Integer expiresInDays) {
    throw new UnsupportedOperationException("no tokens in memory");
  }

  @Override
  public Optional<Token.Issued> bootstrapAdmin() {
    throw new UnsupportedOperationException("no tokens in memory");
  }

  @Override
  public List<Token> tokens(Principal who) {
    throw new UnsupportedOperationException("no tokens in memory");
  }

  @Override
  public void revokeToken(Principal who, String id) {
    throw new UnsupportedOperationException("no tokens in memory");
  }

  @Override
  public Principal authenticate(String secret) {
    throw new UnsupportedOperationException("no tokens in memory");
  }

  @Override
  public List<LockState> lockHistory(ConfigRef ref, long fromFence) {
    return List.of();
  }

  @Override
  public void enter(Presence session, Instant now) {
    throw new UnsupportedOperationException("no change stream in memory");
  }

  @Override
  public void leave(ConfigRef ref, String session) {
    throw new UnsupportedOperationException("no change stream in memory");
  }

  @Override
  public void heartbeat(String node, Instant now) {
    throw new UnsupportedOperationException("no change stream in memory");
  }

  @Override
  public List<Presence> presence(ConfigRef ref, Instant aliveAfter, String node) {
    throw new UnsupportedOperationException("no change stream in memory");
  }

  @Override
  public void listen(ChangeListener listener) {
    throw new UnsupportedOperationException("no change stream in memory");
  }

  @Override
  public void unlisten(ChangeListener listener) {
    throw new UnsupportedOperationException("no change stream in memory");
  }

  @Override
  public void close() {}
}
