package dev.cfgctl.app;

import dev.cfgctl.patch.JsonPointer;
import dev.cfgctl.store.Author;
import dev.cfgctl.store.ChangeListener;
import dev.cfgctl.store.ConfigRef;
import dev.cfgctl.store.ConfigRepository;
import dev.cfgctl.store.ConfigState;
import dev.cfgctl.store.Lock;
import dev.cfgctl.store.LockState;
import dev.cfgctl.store.Presence;
import dev.cfgctl.store.Principal;
import dev.cfgctl.store.Problem;
import dev.cfgctl.store.StoreException;
import dev.cfgctl.store.StoredRevision;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The change streams of configs (API.md, "Change stream"): every revision after a version, first
 * from history, then live, strictly in version order, none missing, none repeated.
 *
 * <p>Every watcher of a config reads from one ordered source, the store, with a cursor of its own:
 * the next version it is to get. The config's {@link Topic} learns of new versions from the
 * repository's notices (this server's writes at once, other servers' and processes' soon after),
 * reads them once, keeps the latest few written as JSON, and wakes its watchers; a watcher that is
 * further behind reads its own pages of history, and one whose history is gone gets a snapshot. A
 * watcher has at most one message in flight, so one that reads slowly holds no memory and delays no
 * one; one that stops reading for {@link Settings#sendTimeout} is told to resume and closed.
 * Thread-safe.
 */
public final class ChangeFeed implements AutoCloseable {
  /**
   * How often an idle watcher gets a ping, how long a message may take to go out before its watcher
   * counts as stuck, and how often a watcher's token is checked again.
   */
  public record Settings(Duration ping, Duration sendTimeout, Duration recheck) {
    public static final Settings DEFAULT =
        new Settings(Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofSeconds(2));
  }

  /** Why a stream ended. */
  public enum End {
    /** The server is shutting down: reconnect (to another node) and resume. */
    GOING_AWAY,
    /** The watcher stopped reading: it is to reconnect with {@code since} = the version it has. */
    BEHIND,
    /** Its token was revoked or expired. */
    UNAUTHORIZED,
    /** The watcher left, or its connection failed. */
    LEFT
  }

  /** Where a watcher's messages go: a WebSocket, or an event stream. */
  public interface Sink {
    /**
     * Sends one message; {@code done} is called once, with null or the failure, when it has gone
     * out (perhaps at once, on this thread).
     */
    void send(StreamEvent e, Consumer<Throwable> done);

    /** Ends the stream, saying why; {@code after} is the version the watcher has. */
    void end(End why, String reason, long after);
  }

  /** Events of a config kept ready, and the largest one kept. */
  private static final int CACHED = 256;

  private static final int CACHED_BYTES = 16 * 1024;

  /** How often a server says its sessions are alive, and how long one counts after that. */
  private static final Duration HEARTBEAT = Duration.ofSeconds(1);

  static final Duration ALIVE = Duration.ofSeconds(5);

  /** The least time between two presence lists of one config. */
  private static final long PRESENCE_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

  /** The fewest milliseconds between two presence writes of one session. */
  private static final long POINT_EVERY_MILLIS = 100;

  /** Lock events that may wait for a watcher. */
  private static final int TOLD = 256;

  /** Revisions read at once. */
  private static final int PAGE = 100;

  private final ConfigRepository repository;
  private final Settings settings;
  private final Clock clock;
  private final ExecutorService executor = executor();
  private final ScheduledExecutorService timer;
  private final Map<ConfigRef, Topic> topics = new ConcurrentHashMap<>();
  private final Map<String, TenantTopic> tenants = new ConcurrentHashMap<>();
  private final String node = "n_" + java.util.UUID.randomUUID().toString().substring(0, 8);
  private final AtomicInteger heartbeats = new AtomicInteger();
  private final ChangeListener listener;
  private volatile boolean closed;
  private long lastPing = System.nanoTime();
  private long lastRecheck = System.nanoTime();
  private long lastHeartbeat = System.nanoTime();

  ChangeFeed(ConfigRepository repository, Settings settings, Clock clock) {
    this.repository = repository;
    this.settings = settings;
    this.clock = clock;
    this.listener =
        new ChangeListener() {
          @Override
          public void changed(ConfigRef ref) {
            Topic t = topics.get(ref);
            if (t != null) run(t::advance);
            TenantTopic tt = tenants.get(ref.tenant());
            if (tt != null) tt.changed(ref.name());
          }

          @Override
          public void anyChanged() {
            if (!topics.isEmpty() || !tenants.isEmpty()) run(ChangeFeed.this::resync);
          }
        };
    repository.listen(listener);
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "cfgctl-change-feed-timer");
              t.setDaemon(true);
              return t;
            });
    timer.scheduleWithFixedDelay(this::tick, 200, 200, TimeUnit.MILLISECONDS);
  }

  /**
   * Refuses to stream {@code ref} to {@code who} from {@code since} (null: a snapshot first) as the
   * API would refuse a read: not found (another tenant's config too), or a version past the latest.
   * Returns the latest version.
   */
  public long check(Principal who, ConfigRef ref, Long since) {
    Access.see(who, ref.tenant(), ref);
    Long latest = repository.read(tx -> tx.version(ref));
    if (latest == null) throw Access.notFound(ref);
    if (since != null && (since < 0 || since > latest)) {
      throw new StoreException(
          Problem.NOT_FOUND, ref + " has no version " + since + " (its latest is " + latest + ")");
    }
    return latest;
  }

  /**
   * Streams {@code ref} to {@code sink}: the revisions after {@code since} (null: a snapshot of the
   * latest version first), then every new one, with lock events and presence, until {@link
   * Watch#close} or an {@link End}. The watcher is on the config's presence list as {@code who}
   * with {@code client} (null: unnamed) until then. {@code reauthenticate} is called every {@link
   * Settings#recheck} and ends the stream when it throws.
   */
  public Watch watch(
      Principal who,
      Supplier<Principal> reauthenticate,
      ConfigRef ref,
      Long since,
      String client,
      Sink sink) {
    if (closed) throw new StoreException(Problem.UNAVAILABLE, "the server is shutting down");
    long latest = check(who, ref, since);
    List<LockState> lock = repository.lockHistory(ref, -1);
    Watch w = new Watch(ref.tenant(), ref, since, reauthenticate, sink, who.author(), client);
    Topic[] created = new Topic[1];
    topics.compute(
        ref,
        (k, t) -> {
          if (t == null) {
            t = created[0] = new Topic(ref, latest, lock.isEmpty() ? null : lock.get(0));
          }
          t.watchers.add(w);
          w.topic = t;
          return t;
        });
    if (created[0] != null) run(created[0]::advance); // a notice may have come before it existed
    w.topic.tellHeld(w);
    try {
      repository.enter(w.presence(), clock.instant());
    } catch (RuntimeException e) {
      w.close();
      throw e;
    }
    run(w::pump);
    return w;
  }

  /** Refuses to stream {@code tenant} to {@code who} as the API would refuse to list it. */
  public void checkTenant(Principal who, String tenant) {
    Access.see(who, ConfigRef.checkName(tenant), null);
  }

  /**
   * Streams a summary of every new revision of every config of {@code tenant} to {@code sink}, as
   * it happens (no history: each names its config and version, whose history the API has), until
   * {@link Watch#close} or an {@link End}.
   */
  public Watch watchTenant(
      Principal who, Supplier<Principal> reauthenticate, String tenant, Sink sink) {
    if (closed) throw new StoreException(Problem.UNAVAILABLE, "the server is shutting down");
    checkTenant(who, tenant);
    Watch w = new Watch(tenant, null, null, reauthenticate, sink, who.author(), null);
    tenants.compute(
        tenant,
        (k, t) -> {
          if (t == null) t = new TenantTopic(tenant, repository.read(tx -> tx.versions(tenant)));
          t.watchers.add(w);
          return t;
        });
    run(w::pump);
    return w;
  }

  /**
   * The watcher now looks at {@code pointer} (null: the whole config): everyone on the config sees
   * it within a moment. Writes of one session are coalesced, at most ten a second.
   */
  public void point(Watch w, String pointer) {
    if (pointer != null) {
      if (pointer.length() > 256) {
        throw new StoreException(
            Problem.INVALID_REQUEST, "a presence pointer has at most 256 characters");
      }
      try {
        JsonPointer.parse(pointer);
      } catch (RuntimeException e) {
        throw new StoreException(Problem.INVALID_REQUEST, "invalid pointer: " + e.getMessage());
      }
    }
    w.pointer = pointer;
    if (!w.pointing.compareAndSet(false, true)) return; // a write is due already
    long wait = Math.max(0, w.pointedAt + POINT_EVERY_MILLIS - System.currentTimeMillis());
    timer.schedule(
        () ->
            run(
                () -> {
                  w.pointing.set(false);
                  w.pointedAt = System.currentTimeMillis();
                  if (w.ended.get()) return;
                  try {
                    repository.enter(w.presence(), clock.instant());
                  } catch (RuntimeException e) {
                    // the database is away: the next move or the heartbeat's re-read tells
                  }
                }),
        wait,
        TimeUnit.MILLISECONDS);
  }

  /** How many watchers are connected to this server. */
  public int watchers() {
    return allWatchers().size();
  }

  private List<Watch> allWatchers() {
    List<Watch> all = new ArrayList<>();
    for (Topic t : topics.values()) all.addAll(t.watchers);
    for (TenantTopic t : tenants.values()) all.addAll(t.watchers);
    return all;
  }

  /** Ends every stream (they reconnect elsewhere) and stops. */
  @Override
  public void close() {
    closed = true;
    repository.unlisten(listener);
    for (Watch w : allWatchers()) w.end(End.GOING_AWAY, "the server is shutting down");
    timer.shutdownNow();
    executor.shutdown();
  }

  private void run(Runnable task) {
    if (closed) return;
    try {
      executor.execute(task);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // closing
    }
  }

  /** Anything may have changed: every topic reads what is new. */
  private void resync() {
    for (Topic t : topics.values()) run(t::advance);
    for (TenantTopic t : tenants.values()) run(t::resync);
  }

  private void heartbeat() {
    if (heartbeats.getAndIncrement() != 0) return;
    try {
      repository.heartbeat(node, clock.instant());
    } catch (RuntimeException e) {
      // the database is away: the sessions of this server count as gone until it is back
    } finally {
      heartbeats.set(0);
    }
    for (Topic t : topics.values()) if (t.othersPresent()) run(t::advance); // have any gone?
  }

  /** Pings idle watchers, checks tokens again, and ends watchers that stopped reading. */
  private void tick() {
    long now = System.nanoTime();
    boolean ping = now - lastPing >= settings.ping().toNanos();
    boolean recheck = now - lastRecheck >= settings.recheck().toNanos();
    boolean heartbeat = now - lastHeartbeat >= HEARTBEAT.toNanos();
    if (ping) lastPing = now;
    if (recheck) lastRecheck = now;
    if (heartbeat) {
      lastHeartbeat = now;
      if (!topics.isEmpty()) run(this::heartbeat);
    }
    Instant instant = clock.instant();
    for (Topic t : topics.values()) if (t.expiresBy(instant)) run(t::advance);
    for (Watch w : allWatchers()) {
      long since = w.sendingSince;
      if (since != 0 && now - since > settings.sendTimeout().toNanos()) {
        w.end(End.BEHIND, "resume from version " + w.given);
        continue;
      }
      if (recheck) run(w::recheck);
      if (ping) {
        w.pingDue = true;
        run(w::pump);
      }
    }
  }

  /** One config's watchers, its latest version known here, and its latest events ready to send. */
  private final class Topic {
    final ConfigRef ref;
    final Set<Watch> watchers = ConcurrentHashMap.newKeySet();
    private final StreamEvent[] cached = new StreamEvent[CACHED];
    private final AtomicInteger advancing = new AtomicInteger();
    volatile long latest;
    // the latest lock seen, and whether its expiry was told; read and written while advancing
    private volatile LockState lock;
    private volatile boolean expiryTold;
    private volatile List<Presence> present = List.of();
    private volatile long lastPresence = System.nanoTime() - PRESENCE_EVERY_NANOS;
    private final AtomicBoolean presenceDue = new AtomicBoolean();

    Topic(ConfigRef ref, long latest, LockState lock) {
      this.ref = ref;
      this.latest = latest;
      this.lock = lock;
    }

    /** Whether the live lock seen last has expired by {@code now} without that being told. */
    boolean expiresBy(Instant now) {
      LockState l = lock;
      return l != null && l.endedAt() == null && !expiryTold && !l.lock().expiresAt().isAfter(now);
    }

    /** Whether sessions of other servers are on the list, which only a re-read can see go. */
    boolean othersPresent() {
      for (Presence p : present) if (!p.node().equals(node)) return true;
      return false;
    }

    /** Tells the watchers who is connected, when that changed since the last time. */
    private void readPresence() {
      long wait = lastPresence + PRESENCE_EVERY_NANOS - System.nanoTime();
      if (wait > 0) { // at most a few lists a second, however many come and go
        if (presenceDue.compareAndSet(false, true)) {
          timer.schedule(
              () -> {
                presenceDue.set(false);
                run(this::advance);
              },
              wait,
              TimeUnit.NANOSECONDS);
        }
        return;
      }
      lastPresence = System.nanoTime();
      List<Presence> now = repository.presence(ref, clock.instant().minus(ALIVE), node);
      if (now.equals(present)) return;
      present = now;
      StreamEvent e = StreamEvent.presence(now);
      for (Watch w : watchers) {
        w.tell(e);
        run(w::pump);
      }
    }

    /** Tells a new watcher of the lock that is live, if one is. */
    void tellHeld(Watch w) {
      LockState l = lock;
      if (l != null && l.liveAt(clock.instant())) {
        w.tell(StreamEvent.lock("held", l.lock(), l.lock().holder(), l.lock().acquiredAt()));
      }
    }

    /** The event of {@code version} if kept ready, else null. */
    StreamEvent cached(long version) {
      StreamEvent e = cached[(int) (version % CACHED)];
      return e != null && e.version() == version ? e : null;
    }

    /** Reads the versions after {@link #latest}, keeps them ready and wakes the watchers. */
    void advance() {
      if (advancing.getAndIncrement() != 0) return;
      int missed = 1;
      do {
        try {
          readNew();
          readLocks();
          readPresence();
        } catch (RuntimeException e) {
          // the database is away: the next notice or resync tries again
        }
        missed = advancing.addAndGet(-missed);
      } while (missed != 0);
    }

    /** Tells the watchers what became of the locks since the one seen last. */
    private void readLocks() {
      LockState prev = lock;
      List<LockState> rows = repository.lockHistory(ref, prev == null ? 0 : prev.lock().fence());
      List<StreamEvent> events = new ArrayList<>();
      for (LockState r : rows) {
        Lock l = r.lock();
        if (prev != null && l.id().equals(prev.lock().id())) {
          if (prev.endedAt() == null && r.endedAt() != null) {
            if (!(expiryTold && "expired".equals(r.endReason()))) events.add(ended(r));
          } else if (r.endedAt() == null && !l.expiresAt().equals(prev.lock().expiresAt())) {
            events.add(StreamEvent.lock("extended", l, l.holder(), l.heartbeatAt()));
            expiryTold = false;
          }
        } else if (prev == null || l.fence() > prev.lock().fence()) {
          events.add(StreamEvent.lock("acquired", l, l.holder(), l.acquiredAt()));
          expiryTold = false;
          if (r.endedAt() != null) events.add(ended(r));
        }
        prev = r;
      }
      lock = prev;
      if (expiresBy(clock.instant())) {
        events.add(StreamEvent.lock("expired", prev.lock(), null, prev.lock().expiresAt()));
        expiryTold = true;
      }
      if (events.isEmpty()) return;
      for (Watch w : watchers) {
        for (StreamEvent e : events) w.tell(e);
        run(w::pump);
      }
    }

    private StreamEvent ended(LockState r) {
      String how = r.endReason() == null ? "released" : r.endReason();
      return StreamEvent.lock(how, r.lock(), r.endedBy(), r.endedAt());
    }

    private void readNew() {
      while (true) {
        long from = latest;
        List<StoredRevision> page =
            repository.read(tx -> tx.revisionsAfter(ref, from, from + PAGE));
        if (page.isEmpty()) return;
        for (StoredRevision r : page) {
          StreamEvent e = StreamEvent.of(r);
          // a version gone from history already (a tiny retention) is not kept: its watchers
          // read history, find it missing and get a snapshot
          if (r.version() == latest + 1 && e.json().length() <= CACHED_BYTES) {
            cached[(int) (r.version() % CACHED)] = e;
          }
          latest = r.version();
        }
        for (Watch w : watchers) run(w::pump);
        if (page.size() < PAGE) return;
      }
    }
  }

  /** A tenant's watchers, and the latest version told of each of its configs. */
  private final class TenantTopic {
    final String tenant;
    final Set<Watch> watchers = ConcurrentHashMap.newKeySet();
    private final Map<String, Long> told;
    private final Set<String> dirty = ConcurrentHashMap.newKeySet();
    private final AtomicInteger reading = new AtomicInteger();

    TenantTopic(String tenant, Map<String, Long> versions) {
      this.tenant = tenant;
      this.told = new ConcurrentHashMap<>(versions);
    }

    void changed(String name) {
      dirty.add(name);
      run(this::read);
    }

    /** Anything may have changed: the configs whose version moved are read. */
    void resync() {
      try {
        repository
            .read(tx -> tx.versions(tenant))
            .forEach(
                (name, v) -> {
                  if (v > told.getOrDefault(name, 0L)) dirty.add(name);
                });
        read();
      } catch (RuntimeException e) {
        // the database is away: the next notice tries again
      }
    }

    private void read() {
      if (reading.getAndIncrement() != 0) return;
      int missed = 1;
      do {
        for (String name : List.copyOf(dirty)) {
          dirty.remove(name);
          try {
            readConfig(new ConfigRef(tenant, name));
          } catch (RuntimeException e) {
            dirty.add(name); // the database is away: the next notice tries again
          }
        }
        missed = reading.addAndGet(-missed);
      } while (missed != 0);
    }

    private void readConfig(ConfigRef ref) {
      while (true) {
        long from = told.getOrDefault(ref.name(), 0L);
        List<StoredRevision> page =
            repository.read(tx -> tx.revisionsAfter(ref, from, from + PAGE));
        for (StoredRevision r : page) {
          StreamEvent e = StreamEvent.summary(r);
          for (Watch w : watchers) w.tell(e);
          told.put(ref.name(), r.version());
        }
        for (Watch w : watchers) run(w::pump);
        if (page.size() < PAGE) return;
      }
    }
  }

  /** One watcher: its cursor, its message in flight, and how its stream ends. */
  public final class Watch implements AutoCloseable {
    private final String tenant;
    private final ConfigRef ref; // null: the tenant's stream
    private final Supplier<Principal> reauthenticate;
    private final Sink sink;
    private final AtomicInteger pumps = new AtomicInteger();
    private final AtomicBoolean ended = new AtomicBoolean();
    private final ArrayDeque<StreamEvent> backlog = new ArrayDeque<>();
    private final Queue<StreamEvent> told = new ConcurrentLinkedQueue<>();
    private final AtomicInteger toldCount = new AtomicInteger();
    private volatile Topic topic;
    private volatile Thread pumping;
    private volatile boolean pingDue;
    private volatile long sendingSince;
    // the version of the last message handed to the sink (it may still be on its way)
    private volatile long given;
    // the pump's own: the next version to send, and whether a snapshot goes first
    private long next;
    private boolean snapshotFirst;

    private final String session = "s_" + java.util.UUID.randomUUID().toString().substring(0, 12);
    private final Author user;
    private final String client;
    private final Instant connectedAt = clock.instant();
    private final AtomicBoolean pointing = new AtomicBoolean();
    private volatile String pointer;
    private volatile long pointedAt;

    private Watch(
        String tenant,
        ConfigRef ref,
        Long since,
        Supplier<Principal> reauthenticate,
        Sink sink,
        Author user,
        String client) {
      this.tenant = tenant;
      this.ref = ref;
      this.user = user;
      this.client = client;
      this.reauthenticate = reauthenticate;
      this.sink = sink;
      this.snapshotFirst = since == null;
      this.next = since == null ? 0 : since + 1;
      this.given = since == null ? 0 : since;
    }

    Presence presence() {
      return new Presence(session, node, ref, user, client, pointer, connectedAt);
    }

    /** The watcher left. */
    @Override
    public void close() {
      end(End.LEFT, "closed");
    }

    /**
     * Sends what the watcher has not had yet, one message at a time; runs on one thread at a time,
     * and again for every call that came while it ran.
     */
    void pump() {
      if (pumps.getAndIncrement() != 0) return;
      int missed = 1;
      do {
        pumping = Thread.currentThread();
        try {
          while (!ended.get() && sendingSince == 0) {
            StreamEvent e = nextEvent();
            if (e == null) break;
            sendingSince = System.nanoTime();
            sink.send(e, failure -> sent(e, failure));
          }
        } catch (RuntimeException e) {
          // the database is away: the next notice, ping or resync wakes this watcher again
        }
        pumping = null;
        missed = pumps.addAndGet(-missed);
      } while (missed != 0);
    }

    private void sent(StreamEvent e, Throwable failure) {
      if (failure != null) {
        end(End.LEFT, "the connection failed");
        return;
      }
      sendingSince = 0;
      if (Thread.currentThread() != pumping) run(this::pump);
    }

    /**
     * An answer for this watcher alone (to a message of its own), queued like a lock event: a
     * watcher that sends without reading is told to resume before its answers pile up.
     */
    public void answer(String json) {
      tell(new StreamEvent("answer", 0, json));
      run(this::pump);
    }

    /**
     * Queues an event that is not a version (a lock event) to go out before the versions still to
     * send; a watcher that lets {@value #TOLD} of them pile up is told to resume.
     */
    void tell(StreamEvent e) {
      if (toldCount.incrementAndGet() > TOLD) {
        end(End.BEHIND, "resume from version " + given);
        return;
      }
      told.add(e);
    }

    private StreamEvent nextEvent() {
      Topic t = topic;
      if (snapshotFirst) return snapshot();
      StreamEvent e = told.poll();
      if (e != null) {
        toldCount.decrementAndGet();
        return e;
      }
      if (t == null) { // the tenant's stream
        if (!pingDue) return null;
        pingDue = false;
        return StreamEvent.ping(null);
      }
      if (!backlog.isEmpty()) return taken(backlog.poll());
      if (next <= t.latest) {
        e = t.cached(next);
        if (e != null) return taken(e);
        long after = next - 1;
        long upTo = Math.min(t.latest, after + PAGE);
        List<StoredRevision> page = repository.read(tx -> tx.revisionsAfter(ref, after, upTo));
        if (page.isEmpty() || page.get(0).version() != next) return snapshot(); // not retained
        for (StoredRevision r : page) backlog.add(StreamEvent.of(r));
        return taken(backlog.poll());
      }
      if (pingDue) {
        pingDue = false;
        return StreamEvent.ping(t.latest);
      }
      return null;
    }

    private StreamEvent taken(StreamEvent e) {
      next = e.version() + 1;
      given = e.version();
      return e;
    }

    private StreamEvent snapshot() {
      snapshotFirst = false;
      backlog.clear();
      ConfigState s = repository.read(tx -> tx.load(ref));
      if (s == null) throw Access.notFound(ref);
      return taken(StreamEvent.snapshot(s));
    }

    private void recheck() {
      try {
        Access.see(reauthenticate.get(), tenant, ref);
      } catch (StoreException e) {
        end(End.UNAUTHORIZED, e.getMessage());
      }
    }

    void end(End why, String reason) {
      if (!ended.compareAndSet(false, true)) return;
      if (ref == null) {
        tenants.computeIfPresent(
            tenant,
            (k, t) -> {
              t.watchers.remove(this);
              return t.watchers.isEmpty() ? null : t;
            });
      } else {
        topics.computeIfPresent(
            ref,
            (k, t) -> {
              t.watchers.remove(this);
              return t.watchers.isEmpty() ? null : t;
            });
      }
      try {
        if (ref != null) repository.leave(ref, session);
      } catch (RuntimeException e) {
        // the database is away: the session stops counting once this server's heartbeat stops
      }
      if (why != End.LEFT) {
        if (why == End.BEHIND) sink.send(StreamEvent.resume(given), failure -> {});
        sink.end(why, reason, given);
      }
    }
  }

  /**
   * Virtual threads where the JDK has them (21+), else a small pool: the tasks are short (a read,
   * an asynchronous send), none waits for a watcher.
   */
  private static ExecutorService executor() {
    try {
      return (ExecutorService)
          Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
    } catch (ReflectiveOperationException e) {
      AtomicInteger n = new AtomicInteger();
      return Executors.newFixedThreadPool(
          Math.max(4, 2 * Runtime.getRuntime().availableProcessors()),
          r -> {
            Thread t = new Thread(r, "cfgctl-change-feed-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
          });
    }
  }
}
