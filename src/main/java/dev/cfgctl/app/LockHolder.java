package dev.cfgctl.app;

import dev.cfgctl.store.ConfigRef;
import dev.cfgctl.store.ConfigStore;
import dev.cfgctl.store.Durations;
import dev.cfgctl.store.Lock;
import dev.cfgctl.store.LockedException;
import dev.cfgctl.store.Principal;
import dev.cfgctl.store.Problem;
import dev.cfgctl.store.StoreException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Takes a config's edit lock for one caller, waiting while someone else holds it if asked to, and
 * with {@link #hold} keeps it: a background thread extends it every third of its time to live until
 * {@link #close} releases it. Whether the lock was lost meanwhile (taken over, force-released,
 * expired) is {@link #lost()}. Holds at most one lock. Thread-safe.
 */
public final class LockHolder implements AutoCloseable {
  /** How long to wait between attempts while someone else holds the lock. */
  static final Duration POLL = Duration.ofMillis(500);

  /** Waits; a test's sleeper moves a fake clock instead. */
  @FunctionalInterface
  public interface Sleeper {
    Sleeper SYSTEM = d -> Thread.sleep(d.toMillis());

    void sleep(Duration d) throws InterruptedException;
  }

  /** What a holder tells the person waiting or working, from the thread that noticed it. */
  public interface Listener {
    /** Someone else holds the lock and the holder waits (said once per acquisition). */
    default void waiting(StoreException held) {}

    /** A heartbeat failed for another reason than a lost lock; the next one tries again. */
    default void heartbeatFailed(StoreException e) {}

    /** The lock is gone: no more heartbeats, and writes under it are refused. */
    default void lost(StoreException e) {}

    /** Releasing failed for another reason than a lock that was already gone. */
    default void releaseFailed(StoreException e) {}
  }

  /**
   * {@link Problem#LOCK_HELD} after waiting for the lock as long as asked: the refusal of the last
   * attempt, with how long was waited. Its detail says so, and callers tell it from a refusal
   * without waiting by its type.
   */
  public static final class StillLocked extends LockedException {
    private final Duration waited;

    StillLocked(Duration waited, StoreException last) {
      super(
          Problem.LOCK_HELD,
          "still locked after waiting " + Durations.format(waited) + ": " + last.getMessage(),
          last.members(),
          last instanceof LockedException l ? l.lock().orElse(null) : null);
      this.waited = waited;
    }

    public Duration waited() {
      return waited;
    }
  }

  private final ConfigStore store;
  private final Principal who;
  private final Clock clock;
  private final Sleeper sleeper;
  private final Listener listener;
  private final AtomicBoolean lost = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile Lock held;
  private volatile Thread heartbeat;

  public LockHolder(
      ConfigStore store, Principal who, Clock clock, Sleeper sleeper, Listener listener) {
    this.store = store;
    this.who = who;
    this.clock = clock;
    this.sleeper = sleeper;
    this.listener = listener;
  }

  /**
   * Takes the lock on {@code ref}; while someone else holds it, tries again every half second for
   * up to {@code wait} by the clock (zero: no waiting), then gives up with {@link
   * Problem#LOCK_HELD}. The lock is the caller's to keep: this holder neither extends nor releases
   * it.
   */
  public Lock acquire(ConfigRef ref, ConfigStore.LockRequest request, Duration wait) {
    Instant deadline = clock.instant().plus(wait);
    boolean waited = false;
    while (true) {
      try {
        return store.acquire(who, ref, request);
      } catch (StoreException e) {
        if (e.problem() != Problem.LOCK_HELD || wait.isZero()) throw e;
        if (!clock.instant().isBefore(deadline)) {
          throw new StillLocked(wait, e);
        }
        if (!waited) {
          listener.waiting(e);
          waited = true;
        }
        try {
          sleeper.sleep(POLL);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  /**
   * Takes the lock as {@link #acquire} does and holds it: extends it every third of its time to
   * live (at least a second apart) until {@link #close}, or until it is found lost.
   */
  public Lock hold(ConfigRef ref, ConfigStore.LockRequest request, Duration wait) {
    if (held != null) throw new IllegalStateException("this holder already holds " + held.ref());
    Lock lock = acquire(ref, request, wait);
    held = lock;
    Thread t = new Thread(() -> heartbeat(lock), "cfgctl-lock-heartbeat");
    t.setDaemon(true);
    heartbeat = t;
    t.start();
    return lock;
  }

  private void heartbeat(Lock lock) {
    Duration every = Duration.ofMillis(Math.max(1000, lock.ttlSeconds() * 1000 / 3));
    while (!lost.get() && !closed.get()) {
      try {
        sleeper.sleep(every);
        store.extend(who, lock.ref(), lock.id(), null);
      } catch (InterruptedException e) {
        return;
      } catch (StoreException e) {
        if (closed.get()) return; // the release under way explains it
        if (e.problem() == Problem.LOCK_LOST) {
          lost.set(true);
          listener.lost(e);
        } else {
          listener.heartbeatFailed(e);
        }
      }
    }
  }

  /** The lock {@link #hold} took, or null. */
  public Lock lock() {
    return held;
  }

  /** Whether a heartbeat found the lock gone. */
  public boolean lost() {
    return lost.get();
  }

  /**
   * Stops the heartbeat and releases the lock {@link #hold} took; a lock already gone is no error.
   * Runs once; later calls, and a holder that holds nothing, do nothing.
   */
  @Override
  public void close() {
    Lock lock = held;
    if (lock == null || closed.getAndSet(true)) return;
    Thread t = heartbeat;
    if (t != null && t != Thread.currentThread()) {
      t.interrupt();
      try {
        t.join(10_000); // a heartbeat under way finishes before the release
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    try {
      store.release(who, lock.ref(), lock.id());
    } catch (StoreException e) {
      if (e.problem() != Problem.LOCK_LOST) listener.releaseFailed(e);
    }
  }
}
