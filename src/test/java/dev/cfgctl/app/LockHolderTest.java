package dev.cfgctl.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.cfgctl.patch.Json;
import dev.cfgctl.store.ConfigRef;
import dev.cfgctl.store.ConfigStore;
import dev.cfgctl.store.ConfigStore.LockRequest;
import dev.cfgctl.store.Lock;
import dev.cfgctl.store.Principal;
import dev.cfgctl.store.Problem;
import dev.cfgctl.store.Role;
import dev.cfgctl.store.StoreException;
import dev.cfgctl.store.TestClock;
import dev.cfgctl.store.Tunables;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lock holder on the embedded store, on a clock and a heartbeat that the test moves. */
class LockHolderTest {
  private static final Principal ALICE = new Principal("alice", "Alice", "acme", Role.EDITOR);
  private static final Principal BOB = new Principal("bob", "Bob", "acme", Role.EDITOR);
  private static final ConfigRef LANDING = new ConfigRef("acme", "landing");
  private static final LockRequest ONE_MINUTE = new LockRequest(60L, "cli", null, false, null);

  @TempDir Path dir;
  private final TestClock clock = new TestClock();
  private final StepSleeper sleeper = new StepSleeper();
  private final Events events = new Events();
  private ConfigStore store;

  @BeforeEach
  void openStore() {
    store = Stores.sqlite(dir.resolve("cfgctl.db"), Tunables.DEFAULT, clock);
    store.create(ALICE, LANDING, Json.parse("{\"a\":0}"), ConfigStore.Write.PLAIN);
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  private LockHolder holder(ConfigStore on) {
    return new LockHolder(on, ALICE, clock, sleeper, events);
  }

  /** A sleeper that moves the clock by what it sleeps. */
  private LockHolder.Sleeper movingTheClock(Runnable onEachSleep) {
    return d -> {
      sleeper.slept.add(d);
      clock.advance(d);
      onEachSleep.run();
    };
  }

  @Test
  void aFreeLockIsTakenAtOnce() {
    Lock lock = holder(store).acquire(LANDING, ONE_MINUTE, Duration.ofSeconds(30));

    assertThat(lock.holder().id()).isEqualTo("alice");
    assertThat(sleeper.slept).isEmpty();
    assertThat(events.all).isEmpty();
  }

  @Test
  void aHeldLockIsRefusedAtOnceWithoutAWait() {
    store.acquire(BOB, LANDING, ONE_MINUTE);

    StoreException e =
        catchThrowableOfType(
            () -> holder(store).acquire(LANDING, ONE_MINUTE, Duration.ZERO), StoreException.class);

    assertThat(e.problem()).isEqualTo(Problem.LOCK_HELD);
    assertThat(e.getMessage()).startsWith("Bob (cli) has held acme/landing");
    assertThat(sleeper.slept).isEmpty();
    assertThat(events.all).isEmpty();
  }

  @Test
  void aWaitingHolderPollsEveryHalfSecondUntilTheLockIsFree() {
    Lock bobs = store.acquire(BOB, LANDING, ONE_MINUTE);
    LockHolder.Sleeper releaseOnSecondPoll =
        movingTheClock(
            () -> {
              if (sleeper.slept.size() == 2) store.release(BOB, LANDING, bobs.id());
            });

    Lock lock =
        new LockHolder(store, ALICE, clock, releaseOnSecondPoll, events)
            .acquire(LANDING, ONE_MINUTE, Duration.ofSeconds(30));

    assertThat(lock.holder().id()).isEqualTo("alice");
    assertThat(sleeper.slept).containsExactly(Duration.ofMillis(500), Duration.ofMillis(500));
    assertThat(events.all).as("said once").hasSize(1);
    assertThat(events.all.get(0)).startsWith("waiting: Bob (cli) has held acme/landing");
  }

  @Test
  void aWaitingHolderGivesUpWhenTheWaitIsOverByTheClock() {
    store.acquire(BOB, LANDING, new LockRequest(600L, "web", null, false, null));

    StoreException e =
        catchThrowableOfType(
            () ->
                new LockHolder(store, ALICE, clock, movingTheClock(() -> {}), events)
                    .acquire(LANDING, ONE_MINUTE, Duration.ofSeconds(2)),
            StoreException.class);

    assertThat(e.problem()).isEqualTo(Problem.LOCK_HELD);
    assertThat(e).isInstanceOf(LockHolder.StillLocked.class);
    assertThat(((LockHolder.StillLocked) e).waited()).isEqualTo(Duration.ofSeconds(2));
    assertThat(e.getMessage())
        .startsWith("still locked after waiting 2s: Bob (web) has held acme/landing");
    assertThat(e.members().path("lock").path("holder").path("id").asText()).isEqualTo("bob");
    assertThat(sleeper.slept).as("tries at 0, 0.5, 1, 1.5 and 2 s").hasSize(4);
    assertThat(events.all).hasSize(1);
  }

  @Test
  void aHeldLockIsExtendedEveryThirdOfItsTtlAndReleasedOnClose() throws Exception {
    try (LockHolder holder = holder(store)) {
      Lock lock = holder.hold(LANDING, ONE_MINUTE, Duration.ZERO);
      assertThat(holder.lock()).isEqualTo(lock);
      sleeper.awaitSleep();
      sleeper.beat();
      sleeper.beat();

      assertThat(sleeper.slept).startsWith(Duration.ofSeconds(20), Duration.ofSeconds(20));
      Lock now = store.lock(ALICE, LANDING).orElseThrow();
      assertThat(now.fence()).as("the same lock").isEqualTo(lock.fence());
      assertThat(now.heartbeatAt()).isEqualTo(clock.instant());
      assertThat(now.expiresAt()).isEqualTo(clock.instant().plusSeconds(60));
      assertThat(holder.lost()).isFalse();
    }
    assertThat(store.lock(ALICE, LANDING)).as("released on close").isEmpty();
    assertThat(events.all).isEmpty();
  }

  @Test
  void aLockTakenOverIsFoundLostByTheNextHeartbeat() throws Exception {
    try (LockHolder holder = holder(store)) {
      holder.hold(LANDING, ONE_MINUTE, Duration.ZERO);
      sleeper.awaitSleep();
      store.acquire(BOB, LANDING, new LockRequest(60L, "web", null, true, "urgent fix"));
      sleeper.ticks.release();

      assertThat(events.next()).startsWith("lost: ");
      assertThat(holder.lost()).isTrue();
      assertThat(sleeper.sleeping.tryAcquire(200, TimeUnit.MILLISECONDS))
          .as("no more heartbeats")
          .isFalse();
    }
    assertThat(store.lock(BOB, LANDING))
        .as("the new holder keeps it")
        .get()
        .extracting(l -> l.holder().id())
        .isEqualTo("bob");
    assertThat(events.all).as("a lost lock's release is no error").hasSize(1);
  }

  @Test
  void aLockThatExpiredIsFoundLostByTheNextHeartbeat() throws Exception {
    try (LockHolder holder = holder(store)) {
      holder.hold(LANDING, ONE_MINUTE, Duration.ZERO);
      sleeper.awaitSleep();
      clock.advance(Duration.ofSeconds(45)); // with the heartbeat's 20 s: past the minute

      sleeper.ticks.release();

      assertThat(events.next()).startsWith("lost: ");
      assertThat(holder.lost()).isTrue();
    }
  }

  @Test
  void aFailedHeartbeatIsReportedAndTheNextOneTriesAgain() throws Exception {
    AtomicInteger failures = new AtomicInteger(1);
    ConfigStore flaky =
        (ConfigStore)
            Proxy.newProxyInstance(
                ConfigStore.class.getClassLoader(),
                new Class<?>[] {ConfigStore.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("extend") && failures.getAndDecrement() > 0) {
                    throw new StoreException(Problem.UNAVAILABLE, "the server is restarting");
                  }
                  try {
                    return method.invoke(store, args);
                  } catch (InvocationTargetException e) {
                    throw e.getCause();
                  }
                });
    try (LockHolder holder = holder(flaky)) {
      holder.hold(LANDING, ONE_MINUTE, Duration.ZERO);
      sleeper.awaitSleep();
      sleeper.beat();
      assertThat(events.next()).isEqualTo("heartbeat failed: the server is restarting");
      sleeper.beat();

      assertThat(holder.lost()).isFalse();
      assertThat(store.lock(ALICE, LANDING).orElseThrow().expiresAt())
          .isEqualTo(clock.instant().plusSeconds(60));
    }
    assertThat(events.all).hasSize(1);
  }

  @Test
  void aFailedReleaseIsReported() {
    ConfigStore refusing =
        (ConfigStore)
            Proxy.newProxyInstance(
                ConfigStore.class.getClassLoader(),
                new Class<?>[] {ConfigStore.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("release")) {
                    throw new StoreException(Problem.UNAVAILABLE, "the server is restarting");
                  }
                  try {
                    return method.invoke(store, args);
                  } catch (InvocationTargetException e) {
                    throw e.getCause();
                  }
                });
    LockHolder holder = holder(refusing);
    holder.hold(LANDING, ONE_MINUTE, Duration.ZERO);

    holder.close();
    holder.close();

    assertThat(events.all).containsExactly("release failed: the server is restarting");
  }

  /** Sleeps until the test lets it go on, then moves the clock by what it slept. */
  private final class StepSleeper implements LockHolder.Sleeper {
    final List<Duration> slept = new CopyOnWriteArrayList<>();
    final Semaphore sleeping = new Semaphore(0);
    final Semaphore ticks = new Semaphore(0);

    @Override
    public void sleep(Duration d) throws InterruptedException {
      slept.add(d);
      sleeping.release();
      ticks.acquire();
      clock.advance(d);
    }

    /** Waits until the heartbeat thread sleeps. */
    void awaitSleep() throws InterruptedException {
      assertThat(sleeping.tryAcquire(10, TimeUnit.SECONDS)).as("the heartbeat sleeps").isTrue();
    }

    /** Ends the sleep under way and waits for the next one, after the heartbeat it let through. */
    void beat() throws InterruptedException {
      ticks.release();
      awaitSleep();
    }
  }

  /** What the holder told its listener, in order. */
  private static final class Events implements LockHolder.Listener {
    final List<String> all = new CopyOnWriteArrayList<>();
    final BlockingQueue<String> queue = new LinkedBlockingQueue<>();

    private void add(String event) {
      all.add(event);
      queue.add(event);
    }

    String next() throws InterruptedException {
      String e = queue.poll(10, TimeUnit.SECONDS);
      assertThat(e).as("an event within 10 s").isNotNull();
      return e;
    }

    @Override
    public void waiting(StoreException held) {
      add("waiting: " + held.getMessage());
    }

    @Override
    public void heartbeatFailed(StoreException e) {
      add("heartbeat failed: " + e.getMessage());
    }

    @Override
    public void lost(StoreException e) {
      add("lost: " + e.getMessage());
    }

    @Override
    public void releaseFailed(StoreException e) {
      add("release failed: " + e.getMessage());
    }
  }
}
