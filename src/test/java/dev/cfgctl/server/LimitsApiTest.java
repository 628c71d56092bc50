package dev.cfgctl.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cfgctl.app.Stores;
import dev.cfgctl.server.TestServer.Response;
import dev.cfgctl.store.Limits;
import dev.cfgctl.store.Role;
import dev.cfgctl.store.TestClock;
import dev.cfgctl.store.Tunables;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The limits on the results of writes, in every write path (patch, save, rebase, merge patch, undo,
 * rollback), the time budget of a write and the rate limits, over a real server.
 */
class LimitsApiTest {
  static final String CFG = "/v1/tenants/acme/configs/landing";
  static final String JSON = "application/json";
  static final String JSON_PATCH = "application/json-patch+json";

  @TempDir Path dir;
  final TestClock clock = new TestClock();
  TestServer s;
  String alice;
  String bob;

  void start(Limits limits, ConfigServer.Options options) {
    s =
        new TestServer(
            Stores.sqlite(
                dir.resolve("cfgctl.db"), new Tunables(1000, 1, 3600, 300, 100, limits), clock),
            clock,
            options);
    alice = s.adminToken == null ? null : s.token("alice", "acme", Role.EDITOR);
    bob = s.adminToken == null ? null : s.token("bob", "acme", Role.EDITOR);
  }

  @AfterEach
  void stop() {
    if (s != null) s.close();
  }

  Response send(
      String method, String path, String token, String type, String body, String... headers) {
    return s.send(method, path, token, type, body, headers);
  }

  String version() {
    return send("GET", CFG, alice, null, null).header("ETag");
  }

  static void problem(Response r, int status, String slug) {
    ApiTest.problem(r, status, slug);
  }

  static String nested(int levels) {
    return "{\"a\":".repeat(levels - 1) + "{}" + "}".repeat(levels - 1);
  }

  @Test
  void aConfigStoredBeyondTheLimitsStaysReadableAndCanBeReplacedOrRolledBack() {
    // an older build (here: a store with a larger depth limit) stored a config 300 levels deep
    ConfigServer.Options d = TestServer.UNLIMITED_RATES;
    start(
        new Limits(1000, 8L << 20, 200_000_000L),
        new ConfigServer.Options(d.maxBodyBytes(), 1000, d.maxOps(), d.timeBudget(), 1e9, 1e9));
    String tokenA = alice;
    assertThat(
            send("PUT", CFG, alice, JSON, "{\"d\":" + nested(299) + "}", "If-None-Match", "*")
                .status())
        .isEqualTo(201);
    assertThat(
            send(
                    "PATCH",
                    CFG,
                    alice,
                    JSON_PATCH,
                    "[{\"op\":\"replace\",\"path\":\"/d\",\"value\":1}]")
                .status())
        .isEqualTo(200);
    String other = "{\"b\":".repeat(298) + "{}" + "}".repeat(298);
    assertThat(
            send(
                    "PATCH",
                    CFG,
                    alice,
                    JSON_PATCH,
                    "[{\"op\":\"replace\",\"path\":\"/d\",\"value\":" + other + "}]")
                .status())
        .isEqualTo(200);
    s.close();
    s = null;
    // this build: 200 levels
    start(Limits.DEFAULT, TestServer.UNLIMITED_RATES);
    alice = tokenA;
    for (String path :
        new String[] {
          CFG, CFG + "?version=1", CFG + "/history", CFG + "/revisions/3", CFG + "/revisions/2"
        }) {
      Response r = send("GET", path, alice, null, null);
      assertThat(r.status()).as(path + ": " + r).isEqualTo(200);
    }
    // a write that keeps it as deep is allowed where it adds nothing deep; undoing the last
    // change would bring back nothing deeper than is there, but rolling back to version 1 would
    problem(
        send("POST", CFG + "/rollback", alice, JSON, "{\"toVersion\":1}", "If-Match", "\"3\""),
        422,
        "result-too-deep");
    Response back =
        send("POST", CFG + "/rollback", alice, JSON, "{\"toVersion\":2}", "If-Match", "\"3\"");
    assertThat(back.status()).as(back.toString()).isEqualTo(200);
    problem(send("POST", CFG + "/undo", alice, null, null), 422, "result-too-deep");
    Response replaced = send("PUT", CFG, alice, JSON, "{\"d\":2}", "If-Match", "\"4\"");
    assertThat(replaced.status()).as(replaced.toString()).isEqualTo(200);
    assertThat(send("GET", CFG, alice, null, null).body()).isEqualTo("{\"d\":2}");
  }

  @Test
  void everyWritePathKeepsTheSizeLimit() {
    start(new Limits(200, 10_000, 200_000_000L), TestServer.UNLIMITED_RATES);
    String kb4 = "\"" + "x".repeat(4000) + "\"";
    assertThat(
            send(
                    "PUT",
                    CFG,
                    alice,
                    JSON,
                    "{\"a\":" + kb4 + ",\"b\":" + kb4 + "}",
                    "If-None-Match",
                    "*")
                .status())
        .isEqualTo(201);
    // a create or save beyond it
    problem(
        send(
            "PUT",
            "/v1/tenants/acme/configs/big",
            alice,
            JSON,
            "{\"a\":\"" + "y".repeat(10_000) + "\"}",
            "If-None-Match",
            "*"),
        422,
        "result-too-large");
    problem(
        send(
            "PUT", CFG, alice, JSON, "{\"a\":\"" + "y".repeat(10_000) + "\"}", "If-Match", "\"1\""),
        422,
        "result-too-large");
    // a patch, and a merge patch
    Response p =
        send(
            "PATCH",
            CFG,
            alice,
            JSON_PATCH,
            "[{\"op\":\"add\",\"path\":\"/c\",\"value\":" + kb4 + "}]");
    problem(p, 422, "result-too-large");
    assertThat(p.json().get("limit").asLong()).isEqualTo(10_000);
    problem(
        send("PATCH", CFG, alice, "application/merge-patch+json", "{\"c\":" + kb4 + "}"),
        422,
        "result-too-large");
    // bob removes b; alice, based on version 1, adds c and rebases: both fit alone, not together
    assertThat(
            send("PATCH", CFG, bob, JSON_PATCH, "[{\"op\":\"remove\",\"path\":\"/b\"}]").status())
        .isEqualTo(200);
    assertThat(
            send(
                    "PATCH",
                    CFG,
                    alice,
                    JSON_PATCH,
                    "[{\"op\":\"add\",\"path\":\"/c\",\"value\":" + kb4 + "}]")
                .status())
        .isEqualTo(200); // v3: a and c
    // undoing bob's remove would bring b back: three of them are too many
    problem(send("POST", CFG + "/undo", bob, null, null), 422, "result-too-large");
    // rolling back to version 1 removes c and adds b: fits
    assertThat(
            send("POST", CFG + "/rollback", alice, JSON, "{\"toVersion\":1}", "If-Match", "\"3\"")
                .status())
        .isEqualTo(200);
    // a stale write that rebases onto a version where it no longer fits
    problem(
        send(
            "PATCH",
            CFG + "?rebase=true",
            bob,
            JSON_PATCH,
            "[{\"op\":\"add\",\"path\":\"/d\",\"value\":" + kb4 + "}]",
            "If-Match",
            "\"2\""),
        422,
        "result-too-large");
    assertThat(version()).isEqualTo("\"4\"");
  }

  @Test
  void aPatchThatShiftsTooMuchIsTooMuchWork() {
    start(new Limits(200, 8L << 20, 1_000_000L), TestServer.UNLIMITED_RATES);
    assertThat(
            send(
                    "PUT",
                    CFG,
                    alice,
                    JSON,
                    "{\"a\":[" + "0,".repeat(9_999) + "0]}",
                    "If-None-Match",
                    "*")
                .status())
        .isEqualTo(201);
    StringBuilder removes = new StringBuilder("[");
    for (int i = 0; i < 200; i++) {
      removes.append(i == 0 ? "" : ",").append("{\"op\":\"remove\",\"path\":\"/a/0\"}");
    }
    Response r = send("PATCH", CFG, alice, JSON_PATCH, removes.append(']').toString());
    problem(r, 422, "too-much-work");
    assertThat(r.json().get("limit").asLong()).isEqualTo(1_000_000);
    assertThat(r.json().get("opIndex").asInt()).isBetween(90, 110);
    // the same removes from the end shift nothing
    assertThat(
            send("PATCH", CFG, alice, JSON_PATCH, removes.toString().replace("/a/0", "/a/9000"))
                .status())
        .isEqualTo(200);
  }

  @Test
  void aRebaseOverTooManyChangesIsTooMuchWork() {
    start(new Limits(200, 8L << 20, 1_000_000L), TestServer.UNLIMITED_RATES);
    assertThat(send("PUT", CFG, alice, JSON, "{\"n\":{}}", "If-None-Match", "*").status())
        .isEqualTo(201);
    for (int v = 0; v < 100; v++) { // 100 versions of 10 operations each
      StringBuilder ops = new StringBuilder("[");
      for (int i = 0; i < 10; i++) {
        ops.append(i == 0 ? "" : ",")
            .append("{\"op\":\"add\",\"path\":\"/n/k")
            .append(v)
            .append('_')
            .append(i)
            .append("\",\"value\":1}");
      }
      assertThat(send("PATCH", CFG, bob, JSON_PATCH, ops.append(']').toString()).status())
          .isEqualTo(200);
    }
    StringBuilder mine = new StringBuilder("[");
    for (int i = 0; i < 100; i++) {
      mine.append(i == 0 ? "" : ",")
          .append("{\"op\":\"add\",\"path\":\"/m")
          .append(i)
          .append("\",\"value\":1}");
    }
    // 1 000 of their operations x 100 of yours: 100 000 pairs, 1.6 million units
    problem(
        send(
            "PATCH",
            CFG + "?rebase=true",
            alice,
            JSON_PATCH,
            mine.append(']').toString(),
            "If-Match",
            "\"1\""),
        422,
        "too-much-work");
    Response fewer =
        send(
            "PATCH",
            CFG + "?rebase=true",
            alice,
            JSON_PATCH,
            "[{\"op\":\"add\",\"path\":\"/m\",\"value\":1}]",
            "If-Match",
            "\"1\"");
    assertThat(fewer.status()).as(fewer.toString()).isEqualTo(200);
  }

  @Test
  void aWriteThatRunsPastItsTimeBudgetIsAbandonedUnchanged() {
    ConfigServer.Options d = TestServer.UNLIMITED_RATES;
    start(
        Limits.DEFAULT,
        new ConfigServer.Options(
            d.maxBodyBytes(), d.maxDepth(), d.maxOps(), Duration.ofNanos(1), 1e9, 1e9));
    Response r = send("PUT", CFG, alice, JSON, "{\"a\":1}", "If-None-Match", "*");
    problem(r, 503, "unavailable");
    assertThat(r.json().get("detail").asText())
        .contains("abandoned")
        .contains("nothing was changed");
    assertThat(send("GET", CFG, alice, null, null).status()).isEqualTo(404);
    assertThat(s.log.toString(StandardCharsets.UTF_8)).contains("503 for PUT " + CFG);
  }

  @Test
  void manyLargeBodiesAtOnceWaitTheirTurnInsteadOfFillingTheHeap() throws Exception {
    ConfigServer.Options d = TestServer.UNLIMITED_RATES;
    start(
        Limits.DEFAULT,
        new ConfigServer.Options(
            64 * 1024, d.maxDepth(), d.maxOps(), Duration.ofMillis(500), 1e9, 1e9));
    assertThat(send("PUT", CFG, alice, JSON, "{\"n\":0}", "If-None-Match", "*").status())
        .isEqualTo(201);
    // eight requests announce the largest body and send none of it: they hold all the room
    java.util.List<java.net.Socket> slow = new java.util.ArrayList<>();
    String lockId;
    try {
      for (int i = 0; i < 8; i++) {
        java.net.Socket socket = new java.net.Socket("127.0.0.1", s.server.port());
        socket
            .getOutputStream()
            .write(
                ("PATCH "
                        + CFG
                        + " HTTP/1.1\r\nHost: x\r\nAuthorization:"
                        + " Bearer "
                        + alice
                        + "\r\nContent-Type: "
                        + JSON_PATCH
                        + "\r\nContent-Length: 65536"
                        + "\r\n\r\n[")
                    .getBytes(StandardCharsets.UTF_8));
        socket.getOutputStream().flush();
        slow.add(socket);
      }
      Thread.sleep(300);
      Response busy =
          send("PATCH", CFG, bob, JSON_PATCH, "[{\"op\":\"replace\",\"path\":\"/n\",\"value\":1}]");
      problem(busy, 503, "unavailable");
      assertThat(busy.header("Retry-After")).isEqualTo("1");
      assertThat(send("GET", CFG, bob, null, null).status()).isEqualTo(200); // reads need no room
      Response lock = send("POST", CFG + "/lock", bob, null, null); // no body: no room needed
      assertThat(lock.status()).isEqualTo(201);
      lockId = lock.json().get("id").asText();
    } finally {
      for (java.net.Socket socket : slow) socket.close();
    }
    Thread.sleep(300);
    Response ok =
        send(
            "PATCH",
            CFG,
            bob,
            JSON_PATCH,
            "[{\"op\":\"replace\",\"path\":\"/n\",\"value\":1}]",
            "Lock-Id",
            lockId);
    assertThat(ok.status()).as(ok.toString()).isEqualTo(200);
  }

  @Test
  void requestsAndWritesArePerPrincipalRateLimited() throws Exception {
    ConfigServer.Options d = TestServer.UNLIMITED_RATES;
    start(
        Limits.DEFAULT,
        new ConfigServer.Options(
            d.maxBodyBytes(), d.maxDepth(), d.maxOps(), d.timeBudget(), 50, 2));
    assertThat(send("PUT", CFG, alice, JSON, "{\"n\":0}", "If-None-Match", "*").status())
        .isEqualTo(201);
    // writes: a burst of 4 (two seconds' worth), then 429 with Retry-After
    int accepted = 0;
    Response limited = null;
    for (int i = 0; i < 10 && limited == null; i++) {
      Response r =
          send(
              "PATCH",
              CFG,
              alice,
              JSON_PATCH,
              "[{\"op\":\"replace\",\"path\":\"/n\",\"value\":" + i + "}]");
      if (r.status() == 429) limited = r;
      else accepted++;
    }
    assertThat(accepted).isBetween(3, 5);
    problem(limited, 429, "rate-limited");
    assertThat(limited.header("Retry-After")).isEqualTo("1");
    assertThat(limited.json().get("retryAfterSeconds").asInt()).isEqualTo(1);
    String before = version();
    // another principal is not limited; reads of the limited one still pass
    assertThat(
            send(
                    "PATCH",
                    CFG,
                    bob,
                    JSON_PATCH,
                    "[{\"op\":\"replace\",\"path\":\"/n\",\"value\":-1}]")
                .status())
        .isEqualTo(200);
    assertThat(send("GET", CFG, alice, null, null).status()).isEqualTo(200);
    Thread.sleep(1000);
    assertThat(
            send(
                    "PATCH",
                    CFG,
                    alice,
                    JSON_PATCH,
                    "[{\"op\":\"replace\",\"path\":\"/n\",\"value\":9}]")
                .status())
        .isEqualTo(200);
    assertThat(before).isNotNull();
    // requests: 50 a second, bursts of 100
    int refused = 0;
    for (int i = 0; i < 150; i++) if (send("GET", CFG, bob, null, null).status() == 429) refused++;
    assertThat(refused).isPositive();
  }

  @Test
  void aClientSendingBadTokensIsToldToSlowDown() {
    start(Limits.DEFAULT, TestServer.UNLIMITED_RATES);
    int limited = 0;
    for (int i = 0; i < 1200 && limited == 0; i++) {
      Response r = send("GET", CFG, "bad-" + i, null, null);
      if (r.status() == 429) limited++;
      else assertThat(r.status()).isEqualTo(401);
    }
    assertThat(limited).isEqualTo(1);
    // good tokens from the same address are not held up
    assertThat(send("GET", "/v1/tenants/acme/configs", alice, null, null).status()).isEqualTo(200);
  }
}
