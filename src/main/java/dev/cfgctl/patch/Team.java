package dev.cfgctl.patch;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * The threads of one computation that share its work: the calling thread and helpers from a pool
 * of one thread per further processor. Whoever is working may {@link #offer} a part of its work
 * while another member is waiting for some; it does the rest of its own work, then
 * {@link #finish}es the part: does it itself when nobody took it, or waits for whoever did, taking
 * other offered parts meanwhile. Waiting members look for an offer every 50 microseconds after a
 * short spin (they sleep in between, leaving the processor to the JIT compiler and the garbage
 * collector). Thread-safe.
 */
final class Team {
  private static final int PROCESSORS = Runtime.getRuntime().availableProcessors();
  private static final int SPINS = 100;

  private static final LongAdder TAKEN = new LongAdder();

  private final AtomicInteger waiting = new AtomicInteger();
  private final AtomicReference<Part> offered = new AtomicReference<>();
  private volatile boolean done;

  private Team() {}

  /** Whether work can be shared here at all: more than one processor. */
  static boolean available() {
    return PROCESSORS > 1;
  }

  /**
   * Runs {@code work} on the calling thread with helpers that take the parts it offers; with
   * {@code ready}, not before the helpers are waiting (for tests, so that parts are taken).
   */
  static <T> T run(boolean ready, Function<Team, T> work) {
    Team team = new Team();
    for (int i = 1; i < PROCESSORS; i++) Helpers.POOL.execute(team::help);
    while (ready && team.waiting.get() < PROCESSORS - 1) Thread.onSpinWait();
    try {
      return work.apply(team);
    } finally {
      team.done = true;
    }
  }

  /** How many parts threads other than their offerer have run, in this process so far. */
  static long partsTaken() {
    return TAKEN.sum();
  }

  /** Whether some member waits for work and nothing is on offer. */
  boolean wanted() {
    return waiting.get() > 0 && offered.get() == null;
  }

  /** Offers {@code work} to a waiting member; null when another part is on offer already. */
  Part offer(Runnable work) {
    Part part = new Part(work);
    return offered.compareAndSet(null, part) ? part : null;
  }

  /**
   * Completes an offered part: runs it here if nobody has taken it, else waits for it (running
   * other offered parts meanwhile) and rethrows what it threw.
   */
  void finish(Part part) {
    if (part.claim()) {
      offered.compareAndSet(part, null);
      part.work.run();
      return;
    }
    waitFor(part::finished);
    if (part.failure instanceof RuntimeException e) throw e;
    if (part.failure instanceof Error e) throw e;
  }

  private void help() {
    waitFor(() -> done);
  }

  private void waitFor(BooleanSupplier condition) {
    waiting.incrementAndGet();
    try {
      int idle = 0;
      while (!condition.getAsBoolean()) {
        Part part = offered.get();
        if (part != null && offered.compareAndSet(part, null) && part.claim()) {
          TAKEN.increment();
          waiting.decrementAndGet();
          try {
            part.runTaken();
          } finally {
            waiting.incrementAndGet();
          }
          idle = 0;
        } else if (++idle < SPINS) {
          Thread.onSpinWait();
        } else {
          LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(50));
        }
      }
    } finally {
      waiting.decrementAndGet();
    }
  }

  /** A part of the work on offer, taken by exactly one member. */
  static final class Part {
    private final Runnable work;
    private final AtomicInteger state = new AtomicInteger(); // 0 offered, 1 taken, 2 finished
    private Throwable failure; // written before state 2, read after it

    private Part(Runnable work) {
      this.work = work;
    }

    private boolean claim() {
      return state.compareAndSet(0, 1);
    }

    private boolean finished() {
      return state.get() == 2;
    }

    private void runTaken() {
      try {
        work.run();
      } catch (Throwable t) {
        failure = t;
      } finally {
        state.set(2);
      }
    }
  }

  /** The helper threads, created when a first computation is shared. */
  private static final class Helpers {
    static final ExecutorService POOL = Executors.newFixedThreadPool(PROCESSORS - 1, r -> {
      Thread t = new Thread(r, "cfgctl-diff-helper");
      t.setDaemon(true);
      return t;
    });
  }
}
