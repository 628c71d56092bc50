package dev.cfgctl.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cfgctl.server.TestServer.Response;
import dev.cfgctl.store.Databases;
import dev.cfgctl.store.Limits;
import dev.cfgctl.store.Role;
import dev.cfgctl.store.TestClock;
import dev.cfgctl.store.jdbc.JdbcConfigStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@link ApiFuzzTest} and the attacks around it found, one focused test each, disabled until
 * fixed (enable a test with its fix, and remove its entry from {@link ApiFuzzTest#KNOWN}).
 */
class ApiFuzzFindingsTest {
  static final String CFG = "/v1/tenants/acme/configs/landing";
  static final String JSON = "application/json";
  static final String MERGE = "application/merge-patch+json";
  static final String JSON_PATCH = "application/json-patch+json";

  @TempDir Path dir;
  final TestClock clock = new TestClock();
  TestServer s;
  String alice;

  void start(JdbcConfigStore store) {
    s = new TestServer(store, clock, TestServer.UNLIMITED_RATES);
    alice = s.token("alice", "acme", Role.EDITOR);
  }

  void sqlite(int retention, int snapshotEvery) {
    start(JdbcConfigStore.sqlite(dir.resolve("cfgctl.db"),
        new JdbcConfigStore.Options(retention, 1, 3600, 300, snapshotEvery, Limits.DEFAULT), clock));
  }

  @AfterEach
  void stop() {
    if (s != null) s.close();
  }

  Response send(String method, String path, String token, String type, String body,
      String... headers) {
    return s.send(method, path, token, type, body, headers);
  }

  @Test
  @Disabled("BUG: a merge patch with If-Match ahead of the config is 404 not-found, a JSON Patch 412")
  void aMergePatchWithAnIfMatchAheadOfTheConfigIsAVersionConflict() {
    sqlite(1000, 100);
    assertThat(send("PUT", CFG, alice, JSON, "{\"a\":1}", "If-None-Match", "*").status()).isEqualTo(201);
    // the same stale precondition, as a JSON Patch and as a merge patch
    ApiTest.problem(send("PATCH", CFG, alice, JSON_PATCH,
        "[{\"op\":\"replace\",\"path\":\"/a\",\"value\":2}]", "If-Match", "\"3\""), 412, "version-conflict");
    ApiTest.problem(send("PATCH", CFG, alice, MERGE, "{\"a\":2}", "If-Match", "\"3\""), 412,
        "version-conflict"); // 404 not-found "acme/landing has no version 3 (its latest is 1)"
  }

  @Test
  @Disabled("BUG: a stale merge patch based on a version no longer retained is 404, a JSON Patch 412")
  void aMergePatchBasedOnAVersionNoLongerRetainedIsAVersionConflict() {
    sqlite(2, 2);
    assertThat(send("PUT", CFG, alice, JSON, "{\"a\":0}", "If-None-Match", "*").status()).isEqualTo(201);
    for (int i = 1; i <= 6; i++) {
      assertThat(send("PATCH", CFG, alice, MERGE, "{\"a\":" + i + "}").status()).isEqualTo(200);
    }
    assertThat(send("GET", CFG + "?version=1", alice, null, null).status()).isEqualTo(404); // pruned
    ApiTest.problem(send("PATCH", CFG, alice, JSON_PATCH,
        "[{\"op\":\"replace\",\"path\":\"/b\",\"value\":2}]", "If-Match", "\"1\""), 412, "version-conflict");
    ApiTest.problem(send("PATCH", CFG, alice, MERGE, "{\"b\":2}", "If-Match", "\"1\""), 412,
        "version-conflict"); // 404 not-found "version 1 of acme/landing is no longer retained"
  }

  @Test
  @Disabled("BUG: openapi.yaml does not list 429 on any operation, nor 422 and 423 where they happen")
  void theOpenApiDocumentListsTheStatusesTheServerAnswers() {
    sqlite(1000, 100);
    Map<String, Set<String>> documented = ApiFuzzer.DOCUMENTED;
    List<String> missing = new ArrayList<>();
    // every route but health is rate limited (429, with Retry-After)
    documented.forEach((op, codes) -> {
      if (!op.equals("GET /v1/health") && !op.endsWith("/events") && !codes.contains("429")) {
        missing.add(op + " 429");
      }
    });
    String cfg = "/v1/tenants/{tenant}/configs/{name}";
    // seen by the fuzz: result-too-large/-deep, not-an-object, idempotency-key-reused
    for (String op : new String[] {"PUT " + cfg, "POST " + cfg + "/rollback", "POST " + cfg + "/undo",
        "POST " + cfg + "/redo", "POST " + cfg + "/lock", "DELETE " + cfg}) {
      if (!documented.get(op).contains("422")) missing.add(op + " 422");
    }
    // someone else's lock id: 423 locked
    for (String op : new String[] {"PUT " + cfg + "/lock/{id}", "DELETE " + cfg + "/lock/{id}"}) {
      if (!documented.get(op).contains("423")) missing.add(op + " 423");
    }
    assertThat(missing).as("statuses the server answers that openapi.yaml does not list").isEmpty();
  }

  @Test
  @Disabled("BUG: on PostgreSQL a NUL character in a text parameter is a 503 showing the database's error")
  void aNulCharacterIsNoDatabaseFailureOnPostgres() {
    start(JdbcConfigStore.open(Databases.freshPostgresSchema(), new JdbcConfigStore.Options(1000, 1,
        3600, 300, 100), clock));
    assertThat(send("PUT", CFG, alice, JSON, "{\"a\":\"\\u0000\"}", "If-None-Match", "*").status())
        .isEqualTo(201); // inside a document it is only escaped text
    List<String> wrong = new ArrayList<>();
    Response[] answers = {
        send("GET", CFG + "/history?author=%00", alice, null, null),
        send("GET", "/v1/tenants/acme/configs?prefix=%00", alice, null, null),
        send("GET", "/v1/tenants/acme/configs?after=a%00", alice, null, null),
        send("POST", CFG + "/lock", alice, JSON, "{\"client\":\"tab\\u0000\"}"),
        send("POST", CFG + "/lock", alice, JSON, "{\"note\":\"\\u0000\"}"),
        send("POST", "/v1/tokens", s.adminToken, JSON,
            "{\"user\":\"x\",\"displayName\":\"X\\u0000\",\"tenant\":\"acme\",\"role\":\"viewer\"}"),
        send("POST", "/v1/tokens", s.adminToken, JSON,
            "{\"user\":\"x\\u0000\",\"tenant\":\"acme\",\"role\":\"viewer\"}"),
    };
    for (Response r : answers) {
      // an answer (200/201), or a refusal of the input (400); never the database's failure
      if (r.status() >= 500 || r.body().contains("database")) wrong.add(r.toString());
    }
    assertThat(wrong).as("answers to NUL characters in text").isEmpty();
  }
}
