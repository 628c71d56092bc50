package dev.cfgctl.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cfgctl.app.ConfigService;
import dev.cfgctl.app.Stores;
import dev.cfgctl.server.TestServer.Response;
import dev.cfgctl.store.Databases;
import dev.cfgctl.store.Limits;
import dev.cfgctl.store.Role;
import dev.cfgctl.store.TestClock;
import dev.cfgctl.store.Tunables;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@link ApiFuzzTest} and the attacks around it found, one focused test each; each failed
 * before its fix. (A new finding: a test here, disabled until fixed, and an entry in {@link
 * ApiFuzzTest#KNOWN} meanwhile.)
 */
@Tag("slow") // seconds to minutes of concurrency: in mvn verify, not in the mvn test loop
class ApiFuzzFindingsTest {
  static final String CFG = "/v1/tenants/acme/configs/landing";
  static final String JSON = "application/json";
  static final String MERGE = "application/merge-patch+json";
  static final String JSON_PATCH = "application/json-patch+json";

  @TempDir Path dir;
  final TestClock clock = new TestClock();
  TestServer s;
  String alice;

  void start(ConfigService store) {
    s = new TestServer(store, clock, TestServer.UNLIMITED_RATES);
    alice = s.token("alice", "acme", Role.EDITOR);
  }

  void sqlite(int retention, int snapshotEvery) {
    start(
        Stores.sqlite(
            dir.resolve("cfgctl.db"),
            new Tunables(retention, 1, 3600, 300, snapshotEvery, Limits.DEFAULT),
            clock));
  }

  @AfterEach
  void stop() {
    if (s != null) s.close();
  }

  Response send(
      String method, String path, String token, String type, String body, String... headers) {
    return s.send(method, path, token, type, body, headers);
  }

  @Test
  void aMergePatchWithAnIfMatchAheadOfTheConfigIsAVersionConflict() {
    sqlite(1000, 100);
    assertThat(send("PUT", CFG, alice, JSON, "{\"a\":1}", "If-None-Match", "*").status())
        .isEqualTo(201);
    // the same stale precondition, as a JSON Patch and as a merge patch
    ApiTest.problem(
        send(
            "PATCH",
            CFG,
            alice,
            JSON_PATCH,
            "[{\"op\":\"replace\",\"path\":\"/a\",\"value\":2}]",
            "If-Match",
            "\"3\""),
        412,
        "version-conflict");
    ApiTest.problem(
        send("PATCH", CFG, alice, MERGE, "{\"a\":2}", "If-Match", "\"3\""),
        412,
        "version-conflict"); // 404 not-found "acme/landing has no version 3 (its latest is 1)"
  }

  @Test
  void aMergePatchBasedOnAVersionNoLongerRetainedIsAVersionConflict() {
    sqlite(2, 2);
    assertThat(send("PUT", CFG, alice, JSON, "{\"a\":0}", "If-None-Match", "*").status())
        .isEqualTo(201);
    for (int i = 1; i <= 6; i++) {
      assertThat(send("PATCH", CFG, alice, MERGE, "{\"a\":" + i + "}").status()).isEqualTo(200);
    }
    assertThat(send("GET", CFG + "?version=1", alice, null, null).status())
        .isEqualTo(404); // pruned
    ApiTest.problem(
        send(
            "PATCH",
            CFG,
            alice,
            JSON_PATCH,
            "[{\"op\":\"replace\",\"path\":\"/b\",\"value\":2}]",
            "If-Match",
            "\"1\""),
        412,
        "version-conflict");
    ApiTest.problem(
        send("PATCH", CFG, alice, MERGE, "{\"b\":2}", "If-Match", "\"1\""),
        412,
        "version-conflict"); // 404 not-found "version 1 of acme/landing is no longer retained"
  }

  @Test
  void theOpenApiDocumentListsTheStatusesTheServerAnswers() {
    sqlite(1000, 100);
    Map<String, Set<String>> documented = ApiFuzzer.DOCUMENTED;
    List<String> missing = new ArrayList<>();
    // every route but health is rate limited (429, with Retry-After)
    documented.forEach(
        (op, codes) -> {
          if (!op.equals("GET /v1/health") && !op.endsWith("/events") && !codes.contains("429")) {
            missing.add(op + " 429");
          }
        });
    String cfg = "/v1/tenants/{tenant}/configs/{name}";
    // seen by the fuzz: result-too-large/-deep, not-an-object, idempotency-key-reused
    for (String op :
        new String[] {
          "PUT " + cfg,
          "POST " + cfg + "/rollback",
          "POST " + cfg + "/undo",
          "POST " + cfg + "/redo",
          "POST " + cfg + "/lock",
          "DELETE " + cfg
        }) {
      if (!documented.get(op).contains("422")) missing.add(op + " 422");
    }
    // someone else's lock id: 423 locked
    for (String op : new String[] {"PUT " + cfg + "/lock/{id}", "DELETE " + cfg + "/lock/{id}"}) {
      if (!documented.get(op).contains("423")) missing.add(op + " 423");
    }
    assertThat(missing).as("statuses the server answers that openapi.yaml does not list").isEmpty();
  }

  @Test
  void aNulCharacterIsNoDatabaseFailureOnPostgres() {
    start(
        Stores.open(Databases.freshPostgresSchema(), new Tunables(1000, 1, 3600, 300, 100), clock));
    assertThat(send("PUT", CFG, alice, JSON, "{\"a\":\"\\u0000\"}", "If-None-Match", "*").status())
        .isEqualTo(201); // inside a document it is only escaped text
    List<String> wrong = new ArrayList<>();
    Response[] answers = {
      send("GET", CFG + "/history?author=%00", alice, null, null),
      send("GET", "/v1/tenants/acme/configs?prefix=%00", alice, null, null),
      send("GET", "/v1/tenants/acme/configs?after=a%00", alice, null, null),
      send("POST", CFG + "/lock", alice, JSON, "{\"client\":\"tab\\u0000\"}"),
      send("POST", CFG + "/lock", alice, JSON, "{\"note\":\"\\u0000\"}"),
      send(
          "POST",
          "/v1/tokens",
          s.adminToken,
          JSON,
          "{\"user\":\"x\",\"displayName\":\"X\\u0000\",\"tenant\":\"acme\",\"role\":\"viewer\"}"),
      send(
          "POST",
          "/v1/tokens",
          s.adminToken,
          JSON,
          "{\"user\":\"x\\u0000\",\"tenant\":\"acme\",\"role\":\"viewer\"}"),
    };
    for (Response r : answers) {
      // an answer (200/201), or a refusal of the input (400); never the database's failure
      if (r.status() >= 500 || r.body().contains("database")) wrong.add(r.toString());
    }
    assertThat(wrong).as("answers to NUL characters in text").isEmpty();
  }

  @Test
  void aRetriedUndoOrRollbackGetsItsFirstAnswerAfterItsRevisionWasPruned() {
    sqlite(2, 2);
    assertThat(send("PUT", CFG, alice, JSON, "{\"a\":0}", "If-None-Match", "*").status())
        .isEqualTo(201);
    assertThat(send("PATCH", CFG, alice, MERGE, "{\"a\":1}").status()).isEqualTo(200);
    Response undo = send("POST", CFG + "/undo", alice, null, null, "Idempotency-Key", "u-1");
    assertThat(undo.status()).isEqualTo(200);
    Response rollback =
        send(
            "POST",
            CFG + "/rollback",
            alice,
            JSON,
            "{\"toVersion\":2}",
            "If-Match",
            "\"3\"",
            "Idempotency-Key",
            "r-1");
    assertThat(rollback.status()).isEqualTo(200);
    Response delete =
        send("DELETE", CFG, alice, null, null, "If-Match", "\"4\"", "Idempotency-Key", "d-1");
    assertThat(delete.status()).isEqualTo(204);
    // the retries, at once: the first answers again
    assertThat(send("POST", CFG + "/undo", alice, null, null, "Idempotency-Key", "u-1").body())
        .isEqualTo(undo.body());
    // later changes prune the revisions those writes made (2 kept, a snapshot every 2)
    assertThat(send("PUT", CFG, alice, JSON, "{\"a\":5}", "If-None-Match", "*").status())
        .isEqualTo(201);
    for (int i = 6; i <= 12; i++) {
      assertThat(send("PATCH", CFG, alice, MERGE, "{\"a\":" + i + "}").status()).isEqualTo(200);
    }
    assertThat(send("GET", CFG + "/revisions/3", alice, null, null).status())
        .isEqualTo(404); // pruned
    // a retry of the PUT or PATCH kind still gets its first answer (without a body); these do not
    Response u = send("POST", CFG + "/undo", alice, null, null, "Idempotency-Key", "u-1");
    Response r =
        send(
            "POST",
            CFG + "/rollback",
            alice,
            JSON,
            "{\"toVersion\":2}",
            "If-Match",
            "\"3\"",
            "Idempotency-Key",
            "r-1");
    Response d =
        send("DELETE", CFG, alice, null, null, "If-Match", "\"4\"", "Idempotency-Key", "d-1");
    assertThat(d.status()).as(d.toString()).isEqualTo(204);
    assertThat(List.of(u.status(), r.status())).as(u + "\n" + r).containsExactly(200, 200);
  }

  @Test
  void everyRetriedWriteSaysItIsAReplay() {
    sqlite(1000, 100);
    assertThat(send("PUT", CFG, alice, JSON, "{\"a\":0}", "If-None-Match", "*").status())
        .isEqualTo(201);
    assertThat(send("PATCH", CFG, alice, MERGE, "{\"a\":1}").status()).isEqualTo(200);
    String[][] writes = {
      {"POST", CFG + "/undo", null, null, null},
      {"POST", CFG + "/redo", null, null, null},
      {"POST", CFG + "/rollback", JSON, "{\"toVersion\":1}", "\"4\""},
      {"DELETE", CFG, null, null, "\"5\""},
      {"POST", CFG + "/lock", JSON, "{}", null},
    };
    List<String> unmarked = new ArrayList<>();
    int n = 0;
    for (String[] w : writes) {
      String key = "k-" + n++;
      String[] h =
          w[4] == null
              ? new String[] {"Idempotency-Key", key}
              : new String[] {"Idempotency-Key", key, "If-Match", w[4]};
      Response first = send(w[0], w[1], alice, w[2], w[3], h);
      assertThat(first.status()).as(w[1] + ": " + first).isBetween(200, 204);
      Response again = send(w[0], w[1], alice, w[2], w[3], h);
      assertThat(again.status()).isEqualTo(first.status());
      if (!"true".equals(again.header("Idempotent-Replayed"))) unmarked.add(w[0] + " " + w[1]);
    }
    assertThat(unmarked).as("retries answered without Idempotent-Replayed: true").isEmpty();
  }

  @Test
  void readingTheOldestRetainedVersionWhileHistoryIsPrunedIsRightOrNotFound() throws Exception {
    sqlite(3, 2);
    // a large document: rebuilding a version parses its snapshot for a while (a wider window)
    String pad = "x".repeat(400_000);
    assertThat(
            send("PUT", CFG, alice, JSON, "{\"n\":1,\"pad\":\"" + pad + "\"}", "If-None-Match", "*")
                .status())
        .isEqualTo(201);
    java.util.concurrent.atomic.AtomicBoolean stop =
        new java.util.concurrent.atomic.AtomicBoolean();
    java.util.concurrent.atomic.AtomicLong latest = new java.util.concurrent.atomic.AtomicLong(1);
    Thread writer =
        new Thread(
            () -> {
              for (long v = 2; !stop.get(); v++) { // version v has {"n": v}
                Response r = send("PATCH", CFG, alice, MERGE, "{\"n\":" + v + "}");
                if (r.status() != 200) throw new IllegalStateException(r.toString());
                latest.set(v);
              }
            });
    writer.start();
    List<String> wrong = java.util.Collections.synchronizedList(new ArrayList<>());
    java.util.concurrent.atomic.AtomicLong reads = new java.util.concurrent.atomic.AtomicLong();
    long end = System.nanoTime() + 10_000_000_000L;
    List<Thread> readers = new ArrayList<>();
    for (int t = 0; t < 3; t++) {
      int k = t;
      readers.add(
          new Thread(
              () -> {
                while (System.nanoTime() < end && wrong.size() < 5) {
                  long v = Math.max(1, latest.get() - 2 - k % 2);
                  Response r = send("GET", CFG + "?version=" + v, alice, null, null);
                  reads.incrementAndGet();
                  if (r.status() == 404) continue; // pruned meanwhile: fine
                  if (r.status() != 200 || !r.body().startsWith("{\"n\":" + v + ",")) {
                    wrong.add(
                        "GET ?version="
                            + v
                            + ": "
                            + r.status()
                            + " "
                            + r.body().substring(0, Math.min(30, r.body().length())));
                  }
                }
              }));
    }
    try {
      readers.forEach(Thread::start);
      for (Thread t : readers) t.join();
    } finally {
      stop.set(true);
      writer.join();
    }
    assertThat(wrong).as(reads + " reads of the oldest retained version").isEmpty();
    assertThat(s.log.toString(java.nio.charset.StandardCharsets.UTF_8))
        .doesNotContain("internal error");
  }

  @Test
  void oneKeySentToSeveralConfigsAtOnceIsOneWriteAndRefusalsOnPostgres() throws Exception {
    start(
        Stores.open(Databases.freshPostgresSchema(), new Tunables(1000, 1, 3600, 300, 100), clock));
    List<String> configs = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      String path = "/v1/tenants/acme/configs/c" + i;
      assertThat(send("PUT", path, alice, JSON, "{}", "If-None-Match", "*").status())
          .isEqualTo(201);
      configs.add(path);
    }
    List<String> wrong = java.util.Collections.synchronizedList(new ArrayList<>());
    for (int round = 0; round < 20 && wrong.isEmpty(); round++) {
      String key = "same-key-" + round;
      java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
      List<Response> answers = java.util.Collections.synchronizedList(new ArrayList<>());
      List<Thread> clients = new ArrayList<>();
      for (String path : configs) {
        clients.add(
            new Thread(
                () -> {
                  try {
                    go.await();
                  } catch (InterruptedException e) {
                    return;
                  }
                  answers.add(
                      send(
                          "PATCH",
                          path,
                          alice,
                          JSON_PATCH,
                          "[{\"op\":\"add\",\"path\":\"/k\",\"value\":1}]",
                          "Idempotency-Key",
                          key));
                }));
      }
      clients.forEach(Thread::start);
      go.countDown();
      for (Thread t : clients) t.join();
      long made = answers.stream().filter(r -> r.status() == 200).count();
      for (Response r : answers) {
        // one write; the others: this key is another request's (422)
        if (r.status() != 200 && r.status() != 422) wrong.add(r.toString());
      }
      if (made != 1) wrong.add(made + " writes under one key");
    }
    assertThat(wrong).isEmpty();
  }

  @Test
  void aPercentEncodedChangeMessageIsStoredDecoded() {
    sqlite(1000, 100);
    assertThat(
            send(
                    "PUT",
                    CFG,
                    alice,
                    JSON,
                    "{\"a\":1}",
                    "If-None-Match",
                    "*",
                    "Change-Message",
                    "caf%C3%A9 %E2%86%92 menu")
                .status())
        .isEqualTo(201);
    assertThat(
            send("GET", CFG + "/history", alice, null, null)
                .json()
                .get("items")
                .get(0)
                .get("message")
                .asText())
        .isEqualTo("café → menu"); // stored as "caf%C3%A9 %E2%86%92 menu"
  }

  @Test
  void aStaleWriteIsAnsweredBrieflyWhateverThePathsOfTheRevisionsSince() {
    sqlite(1000, 100);
    // pointers are as long as the body allows: 8 levels of 20 000-character member names
    StringBuilder doc = new StringBuilder();
    StringBuilder pointer = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      String key = "k" + i + "x".repeat(20_000);
      doc.append("{\"").append(key).append("\":");
      pointer.append('/').append(key);
    }
    doc.append('0').append("}".repeat(8));
    assertThat(send("PUT", CFG, alice, JSON, doc.toString(), "If-None-Match", "*").status())
        .isEqualTo(201);
    for (int v = 1; v <= 30; v++) { // each revision lists the 160 KB pointer it touched
      assertThat(
              send(
                      "PATCH",
                      CFG,
                      alice,
                      JSON_PATCH,
                      "[{\"op\":\"replace\",\"path\":\"" + pointer + "\",\"value\":" + v + "}]",
                      "Prefer",
                      "return=minimal")
                  .status())
          .isEqualTo(204);
    }
    Response stale =
        send(
            "PATCH",
            CFG,
            alice,
            JSON_PATCH,
            "[{\"op\":\"add\",\"path\":\"/z\",\"value\":1}]",
            "If-Match",
            "\"1\"");
    ApiTest.problem(stale, 412, "version-conflict");
    // 30 revisions x 160 KB: about 5 MB for a 40-byte request (with 50 revisions of 5 MB of
    // paths each, 250 MB; a history page of 1000 of them, 5 GB)
    assertThat(stale.body().length()).as("the 412 answer to a 40-byte request").isLessThan(1 << 20);
    Response history = send("GET", CFG + "/history?limit=1000", alice, null, null);
    assertThat(history.body().length()).as("a page of history").isLessThan(4 << 20);
  }

  @Test
  void slowBodiesFromOneViewerDoNotStallTheServer() throws Exception {
    sqlite(1000, 100);
    String viewer = s.token("val", "acme", Role.VIEWER);
    List<java.net.Socket> slow = new ArrayList<>();
    try {
      for (int i = 0; i < 300; i++) { // each announces 100 000 bytes and sends a few
        java.net.Socket socket = new java.net.Socket("127.0.0.1", s.server.port());
        socket
            .getOutputStream()
            .write(
                ("PUT /v1/tenants/acme/configs/c"
                        + i
                        + " HTTP/1.1\r\nHost: x\r\n"
                        + "Authorization: Bearer "
                        + viewer
                        + "\r\nContent-Type: application/json\r\n"
                        + "If-None-Match: *\r\nContent-Length: 100000\r\n\r\n{\"a\":\"")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        slow.add(socket);
      }
      Thread.sleep(1000);
      java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
      long t0 = System.nanoTime();
      int status;
      try {
        status =
            client
                .send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(s.base + "/v1/health"))
                        .timeout(java.time.Duration.ofSeconds(3))
                        .build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString())
                .statusCode();
      } catch (java.net.http.HttpTimeoutException e) {
        status = -1;
      }
      assertThat(status)
          .as("health, answered after %d ms", (System.nanoTime() - t0) / 1_000_000)
          .isEqualTo(200);
    } finally {
      for (java.net.Socket socket : slow) socket.close();
    }
  }

  @Test
  void aTenantAdminCannotActAsTheAllTenantsAdminByItsUserId() {
    sqlite(1000, 100);
    assertThat(send("PUT", CFG, alice, JSON, "{\"a\":1}", "If-None-Match", "*").status())
        .isEqualTo(201);
    String lockId =
        send("POST", CFG + "/lock", s.adminToken, JSON, "{\"client\":\"ops\"}")
            .json()
            .get("id")
            .asText(); // the bootstrap admin (tenant *, user "admin") holds the lock
    String tenantAdmin = s.token("root", "acme", Role.ADMIN);
    Response minted =
        send(
            "POST",
            "/v1/tokens",
            tenantAdmin,
            JSON,
            "{\"user\":\"admin\",\"displayName\":\"admin\",\"tenant\":\"acme\",\"role\":\"editor\"}");
    assertThat(minted.status()).isEqualTo(201); // allowed today: any user id in one's own tenant
    String asAdmin = minted.json().get("token").asText();
    // the lock is bound to the user id alone, so acme/admin passes as */admin
    Response write = send("PATCH", CFG, asAdmin, MERGE, "{\"b\":1}", "Lock-Id", lockId);
    assertThat(write.status()).as(write.toString()).isEqualTo(423);
  }
}
