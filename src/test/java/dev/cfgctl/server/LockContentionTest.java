package dev.cfgctl.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cfgctl.app.Stores;
import dev.cfgctl.patch.Json;
import dev.cfgctl.server.TestServer.Response;
import dev.cfgctl.store.Role;
import dev.cfgctl.store.Tunables;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 16 contenders fight over one config's lock with 1-second TTLs, pausing longer than the TTL at
 * random, taking over, while an admin force-releases and a rogue writer writes without a lock. A
 * checker then replays the audit trail (written in the same transactions as the writes) and proves:
 * every write accepted under a lock carried the id of the lock that was live then, no write was
 * accepted without the live lock's id, and lock fences only grow along the versions.
 */
@Tag("slow") // seconds to minutes of concurrency: in mvn verify, not in the mvn test loop
class LockContentionTest {
  static final String CFG = "/v1/tenants/acme/configs/contended";
  static final long RUN_MILLIS = Long.getLong("cfgctl.locks.millis", 8_000);

  @TempDir Path dir;

  @Test
  void noTwoHoldersEverWriteAndALostLockNeverWrites() throws Exception {
    Path db = dir.resolve("cfgctl.db");
    try (TestServer s =
        new TestServer(
            Stores.sqlite(db, new Tunables(100_000, 1, 60, 1, 100), Clock.systemUTC()),
            Clock.systemUTC())) {
      String editor = s.token("editor", "acme", Role.EDITOR);
      String admin = s.token("support", "acme", Role.ADMIN);
      assertThat(
              s.send("PUT", CFG, editor, "application/json", "{\"log\":[]}", "If-None-Match", "*")
                  .status())
          .isEqualTo(201);
      long end = System.currentTimeMillis() + RUN_MILLIS;
      ExecutorService pool = Executors.newFixedThreadPool(18);
      List<Future<?>> futures = new ArrayList<>();
      for (int c = 0; c < 16; c++) {
        int client = c;
        futures.add(pool.submit(() -> contender(s, editor, client, end)));
      }
      futures.add(
          pool.submit(
              () -> {
                while (System.currentTimeMillis() < end) {
                  Thread.sleep(ThreadLocalRandom.current().nextInt(500, 1500));
                  int st =
                      s.send(
                              "DELETE",
                              CFG + "/lock?force=true&reason=test",
                              admin,
                              null,
                              (String) null)
                          .status();
                  assertThat(st).isIn(204, 404);
                }
                return null;
              }));
      futures.add(
          pool.submit(
              () -> {
                for (int i = 0; System.currentTimeMillis() < end; i++) {
                  Response r = write(s, editor, null, "rogue:" + i);
                  assertThat(r.status()).as(r.toString()).isIn(200, 423);
                  Thread.sleep(ThreadLocalRandom.current().nextInt(0, 50));
                }
                return null;
              }));
      for (Future<?> f : futures) f.get();
      pool.shutdown();
      // however the random phase went, every way a lock ends happens once more, in a fixed order
      // (the random phase alone may miss one: a take-over is rare, a force-release may find no
      // lock)
      s.send("DELETE", CFG + "/lock?force=true&reason=test", admin, null, (String) null);
      String first = acquire(s, editor, "{\"ttlSeconds\":30}");
      String taker =
          acquire(s, editor, "{\"ttlSeconds\":30,\"takeOver\":true,\"reason\":\"test\"}");
      assertThat(write(s, editor, first, "taken over").status()).isEqualTo(410);
      assertThat(write(s, editor, taker, "taker").status()).isEqualTo(200);
      assertThat(s.send("DELETE", CFG + "/lock/" + taker, editor, null, (String) null).status())
          .isEqualTo(204);
      String forced = acquire(s, editor, "{\"ttlSeconds\":30}");
      assertThat(
              s.send("DELETE", CFG + "/lock?force=true&reason=test", admin, null, (String) null)
                  .status())
          .isEqualTo(204);
      assertThat(write(s, editor, forced, "force-released").status()).isEqualTo(410);
      String expiring = acquire(s, editor, "{\"ttlSeconds\":1}");
      Thread.sleep(1500);
      assertThat(write(s, editor, expiring, "late").status()).isEqualTo(410);
      assertThat(write(s, editor, null, "after expiry").status()).isEqualTo(200);
    }
    check(db);
  }

  private static Object contender(TestServer s, String token, int client, long end)
      throws Exception {
    ThreadLocalRandom rnd = ThreadLocalRandom.current();
    while (System.currentTimeMillis() < end) {
      boolean takeOver = rnd.nextInt(300) == 0;
      Response a =
          s.send(
              "POST",
              CFG + "/lock",
              token,
              "application/json",
              "{\"ttlSeconds\":1,\"client\":\"contender "
                  + client
                  + "\",\"takeOver\":"
                  + takeOver
                  + ",\"reason\":\"contention test\"}");
      if (a.status() == 409) {
        Thread.sleep(rnd.nextInt(5, 50));
        continue;
      }
      assertThat(a.status()).as(a.toString()).isEqualTo(201);
      String id = a.json().get("id").asText();
      for (int i = 0; i < rnd.nextInt(1, 6); i++) {
        Thread.sleep(rnd.nextInt(4) == 0 ? rnd.nextInt(1000, 1500) : rnd.nextInt(0, 100));
        if (rnd.nextBoolean()) s.send("PUT", CFG + "/lock/" + id, token, null, (String) null);
        Response w = write(s, token, id, id + ":" + i);
        if (w.status() != 200) {
          assertThat(w.status()).as(w.toString()).isEqualTo(410);
          assertThat(w.slug()).isEqualTo("lock-lost");
          break;
        }
      }
      s.send("DELETE", CFG + "/lock/" + id, token, null, (String) null);
    }
    return null;
  }

  private static String acquire(TestServer s, String token, String body) {
    Response a = s.send("POST", CFG + "/lock", token, "application/json", body);
    assertThat(a.status()).as(a.toString()).isEqualTo(201);
    return a.json().get("id").asText();
  }

  private static Response write(TestServer s, String token, String lockId, String entry) {
    String body = "[{\"op\":\"add\",\"path\":\"/log/-\",\"value\":\"" + entry + "\"}]";
    return lockId == null
        ? s.send("PATCH", CFG, token, "application/json-patch+json", body)
        : s.send("PATCH", CFG, token, "application/json-patch+json", body, "Lock-Id", lockId);
  }

  /** Replays the audit trail in commit order against the lock table. */
  private static void check(Path db) throws Exception {
    Map<String, long[]> locks = new HashMap<>(); // id -> {fence, expiresAt (final)}
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement st = c.createStatement()) {
      try (ResultSet rs = st.executeQuery("SELECT id, fence, expires_at FROM locks")) {
        while (rs.next()) locks.put(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3)});
      }
      String live = null;
      long lastFence = 0;
      int writes = 0;
      try (ResultSet rs =
          st.executeQuery(
              "SELECT event, at, detail FROM audit WHERE name = 'contended'" + " ORDER BY seq")) {
        while (rs.next()) {
          String event = rs.getString(1);
          long at = rs.getLong(2);
          JsonNode detail = Json.parse(rs.getString(3));
          String lock = detail.path("lock").isTextual() ? detail.get("lock").asText() : null;
          switch (event) {
            case "lock-acquired" -> live = lock;
            case "lock-released", "lock-force-released", "lock-taken-over", "lock-expired" -> {
              if (lock.equals(live)) live = null;
            }
            case "patch" -> {
              writes++;
              boolean liveNow = live != null && at < locks.get(live)[1];
              if (lock == null) {
                assertThat(liveNow)
                    .as(
                        "a write without a lock id was accepted while lock "
                            + live
                            + " was live (version "
                            + detail.get("version")
                            + ")")
                    .isFalse();
              } else {
                assertThat(lock)
                    .as(
                        "version "
                            + detail.get("version")
                            + " was written under lock "
                            + lock
                            + " while the live lock was "
                            + live)
                    .isEqualTo(live);
                assertThat(at).as("write after its lock expired").isLessThan(locks.get(lock)[1]);
                long fence = locks.get(lock)[0];
                assertThat(fence)
                    .as("fence went backwards at version " + detail.get("version"))
                    .isGreaterThanOrEqualTo(lastFence);
                lastFence = fence;
              }
            }
            default -> {}
          }
        }
      }
      assertThat(writes).as("writes under a lock (the fixed part makes one)").isPositive();
      // the run went through every way a lock ends (the fixed part makes sure)
      try (ResultSet rs =
          st.executeQuery("SELECT DISTINCT event FROM audit WHERE event LIKE 'lock-%'")) {
        List<String> events = new ArrayList<>();
        while (rs.next()) events.add(rs.getString(1));
        assertThat(events)
            .contains(
                "lock-acquired",
                "lock-released",
                "lock-force-released",
                "lock-taken-over",
                "lock-expired");
      }
    }
  }
}
