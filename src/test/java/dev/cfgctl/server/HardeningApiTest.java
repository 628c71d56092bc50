package dev.cfgctl.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cfgctl.app.Stores;
import dev.cfgctl.server.TestServer.Response;
import dev.cfgctl.store.Role;
import dev.cfgctl.store.TestClock;
import dev.cfgctl.store.Tunables;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The holes a hostile user found in the API, each reproduced as it was found: a write that made a
 * config unreadable, amplification by copy, a stale rebase accepted when the values agreed,
 * If-Match * on PATCH, a lock id usable by anyone, a take-over without a reason, lenient input.
 * Each failed before its fix.
 */
class HardeningApiTest {
  static final String CFG = "/v1/tenants/acme/configs/landing";
  static final String JSON = "application/json";
  static final String JSON_PATCH = "application/json-patch+json";

  @TempDir Path dir;
  final TestClock clock = new TestClock();
  TestServer s;
  String alice;
  String bob;
  String admin;

  @BeforeEach
  void start() {
    s = server();
    alice = s.token("alice", "acme", Role.EDITOR);
    bob = s.token("bob", "acme", Role.EDITOR);
    admin = s.token("root", "acme", Role.ADMIN);
  }

  private TestServer server() {
    return new TestServer(
        Stores.sqlite(dir.resolve("cfgctl.db"), new Tunables(1000, 1, 3600, 300, 100), clock),
        clock);
  }

  @AfterEach
  void stop() {
    s.close();
  }

  Response create(String body) {
    Response r = s.send("PUT", CFG, alice, JSON, body, "If-None-Match", "*");
    assertThat(r.status()).as(r.toString()).isEqualTo(201);
    return r;
  }

  Response patch(String token, String body, String... headers) {
    return s.send("PATCH", CFG, token, JSON_PATCH, body, headers);
  }

  static void problem(Response r, int status, String slug) {
    ApiTest.problem(r, status, slug);
  }

  /** Every way of reading the config answers 200. */
  void readable(String token) {
    for (String path :
        new String[] {
          CFG, CFG + "?version=1", CFG + "/history", CFG + "/revisions/1", CFG + "/lock"
        }) {
      Response r = s.send("GET", path, token, null, (String) null);
      assertThat(r.status()).as(path + ": " + r).isIn(200, 404);
      if (r.status() == 404) assertThat(r.slug()).as(path).isEqualTo("no-lock");
    }
  }

  // ---------------------------------------------------------------- 1. depth of results

  @Test
  void aPatchCannotNestAConfigDeeperThanTheLimit() {
    create("{\"a\":".repeat(198) + "{}" + "}".repeat(198)); // 199 levels
    String deepest = "/a".repeat(198);
    Response r = patch(alice, "[{\"op\":\"add\",\"path\":\"" + deepest + "/x\",\"value\":[[1]]}]");
    problem(r, 422, "result-too-deep");
    assertThat(r.json().get("limit").asInt()).isEqualTo(200);
    assertThat(r.json().get("opIndex").asInt()).isZero();
    // the same value one level up fits exactly (200 levels)
    Response fits =
        patch(alice, "[{\"op\":\"add\",\"path\":\"" + "/a".repeat(197) + "/x\",\"value\":[[]]}]");
    assertThat(fits.status()).as(fits.toString()).isEqualTo(200);
    // moves and copies deeper are refused the same way; every way of reading works
    problem(
        patch(alice, "[{\"op\":\"copy\",\"from\":\"/a\",\"path\":\"" + deepest + "/y\"}]"),
        422,
        "result-too-deep");
    problem(
        patch(
            alice,
            "[{\"op\":\"move\",\"from\":\""
                + "/a".repeat(197)
                + "/x\",\"path\":\""
                + deepest
                + "/y\"}]"),
        422,
        "result-too-deep");
    readable(alice);
    Response undo = s.send("POST", CFG + "/undo", alice, null, (String) null);
    assertThat(undo.status()).as(undo.toString()).isEqualTo(200);
    // and after a restart, when nothing is cached
    s.close();
    s = server();
    readable(alice);
    assertThat(s.send("GET", CFG, alice, null, (String) null).header("ETag")).isEqualTo("\"3\"");
  }

  // ---------------------------------------------------------------- 2. amplification

  @Test
  void copiesOfTheWholeDocumentCannotBlowItUp() {
    create("{\"text\":\"" + "x".repeat(1000) + "\"}");
    StringBuilder copies = new StringBuilder("[");
    for (int i = 0; i < 16; i++) {
      copies
          .append(i == 0 ? "" : ",")
          .append("{\"op\":\"copy\",\"from\":\"\",\"path\":\"/c")
          .append(i)
          .append("\"}");
    }
    String body = copies.append(']').toString();
    assertThat(body.length()).isLessThan(700);
    long t0 = System.nanoTime();
    Response r = patch(alice, body);
    problem(r, 422, "result-too-large");
    assertThat(r.json().get("limit").asLong()).isEqualTo(8L << 20);
    assertThat((System.nanoTime() - t0) / 1_000_000).as("ms to refuse").isLessThan(10_000);
    Response now = s.send("GET", CFG, alice, null, (String) null);
    assertThat(now.header("ETag")).isEqualTo("\"1\"");
    assertThat(now.body().length()).isLessThan(1100);
  }

  @Test
  void copiesOfALargeDocumentAreRefusedQuickly() {
    create("{\"items\":[" + ("\"" + "y".repeat(1000) + "\",").repeat(4000) + "0]}"); // 4 MB
    StringBuilder copies = new StringBuilder("[");
    for (int i = 0; i < 15; i++) {
      copies
          .append(i == 0 ? "" : ",")
          .append("{\"op\":\"copy\",\"from\":\"/items\",\"path\":\"/c")
          .append(i)
          .append("\"}");
    }
    long t0 = System.nanoTime();
    problem(patch(alice, copies.append(']').toString()), 422, "result-too-large");
    assertThat((System.nanoTime() - t0) / 1_000_000).as("ms to refuse").isLessThan(10_000);
    assertThat(s.send("GET", CFG, alice, null, (String) null).header("ETag")).isEqualTo("\"1\"");
  }

  // ---------------------------------------------------------------- 3. strict rebase

  @Test
  void aStaleRebasedWriteOfTheSameValueIsAConflict() {
    create("{\"counter\":5,\"other\":0}");
    assertThat(
            patch(
                    bob,
                    "[{\"op\":\"replace\",\"path\":\"/counter\",\"value\":6}]",
                    "If-Match",
                    "\"1\"")
                .status())
        .isEqualTo(200);
    Response r =
        s.send(
            "PATCH",
            CFG + "?rebase=true",
            alice,
            JSON_PATCH,
            "[{\"op\":\"replace\",\"path\":\"/counter\",\"value\":6}]",
            "If-Match",
            "\"1\"");
    problem(r, 409, "rebase-conflict");
    JsonNode c = r.json().get("conflicts").get(0);
    assertThat(c.get("path").asText()).isEqualTo("/counter");
    assertThat(c.get("version").asLong()).isEqualTo(2);
    assertThat(c.get("author").get("id").asText()).isEqualTo("bob");
    Response put =
        s.send(
            "PUT",
            CFG + "?rebase=true",
            alice,
            JSON,
            "{\"counter\":6,\"other\":0}",
            "If-Match",
            "\"1\"");
    problem(put, 409, "rebase-conflict");
    assertThat(s.send("GET", CFG, alice, null, (String) null).header("ETag")).isEqualTo("\"2\"");
    // a disjoint stale change still merges
    Response merged =
        s.send(
            "PATCH",
            CFG + "?rebase=true",
            alice,
            JSON_PATCH,
            "[{\"op\":\"replace\",\"path\":\"/other\",\"value\":1}]",
            "If-Match",
            "\"1\"");
    assertThat(merged.status()).as(merged.toString()).isEqualTo(200);
    assertThat(merged.header("ETag")).isEqualTo("\"3\"");
  }

  @Test
  void aRebaseOverHistoryNoLongerRetainedIsRefusedNotMadeOverPartOfIt(@TempDir Path other) {
    try (TestServer short2 =
        new TestServer(
            Stores.sqlite(other.resolve("cfgctl.db"), new Tunables(2, 1, 3600, 300, 2), clock),
            clock)) {
      String a = short2.token("alice", "acme", Role.EDITOR);
      String b = short2.token("bob", "acme", Role.EDITOR);
      assertThat(
              short2.send("PUT", CFG, a, JSON, "{\"a\":0,\"b\":0}", "If-None-Match", "*").status())
          .isEqualTo(201);
      // bob changes b (version 2), then a several times: version 2 is pruned
      short2.send(
          "PATCH", CFG, b, JSON_PATCH, "[{\"op\":\"replace\",\"path\":\"/b\",\"value\":1}]");
      for (int i = 1; i <= 6; i++) {
        short2.send(
            "PATCH",
            CFG,
            b,
            JSON_PATCH,
            "[{\"op\":\"replace\",\"path\":\"/a\",\"value\":" + i + "}]");
      }
      assertThat(short2.send("GET", CFG + "/revisions/2", a, null, (String) null).status())
          .isEqualTo(404);
      // alice, based on version 1, changes b: rebased over what is left, it would undo bob's change
      for (String type : new String[] {JSON_PATCH, "application/merge-patch+json"}) {
        String body =
            type.equals(JSON_PATCH)
                ? "[{\"op\":\"replace\",\"path\":\"/b\",\"value\":5}]"
                : "{\"b\":5}";
        Response r = short2.send("PATCH", CFG + "?rebase=true", a, type, body, "If-Match", "\"1\"");
        problem(r, 412, "version-conflict");
        assertThat(r.json().get("detail").asText()).contains("no longer all retained");
      }
      Response put =
          short2.send(
              "PUT", CFG + "?rebase=true", a, JSON, "{\"a\":0,\"b\":5}", "If-Match", "\"1\"");
      problem(put, 412, "version-conflict");
      assertThat(short2.send("GET", CFG, a, null, (String) null).body())
          .isEqualTo("{\"a\":6,\"b\":1}");
    }
  }

  @Test
  void aWriteThatChangesNothingSaysSo() {
    create("{\"counter\":5}");
    Response tests = patch(alice, "[{\"op\":\"test\",\"path\":\"/counter\",\"value\":5}]");
    assertThat(tests.status()).isEqualTo(200);
    assertThat(tests.header("Config-Unchanged")).isEqualTo("true");
    assertThat(tests.header("ETag")).isEqualTo("\"1\"");
    Response same = s.send("PUT", CFG, alice, JSON, "{\"counter\":5}", "If-Match", "\"1\"");
    assertThat(same.status()).isEqualTo(200);
    assertThat(same.header("Config-Unchanged")).isEqualTo("true");
    Response changed = patch(alice, "[{\"op\":\"replace\",\"path\":\"/counter\",\"value\":6}]");
    assertThat(changed.header("Config-Unchanged")).isNull();
    assertThat(changed.header("ETag")).isEqualTo("\"2\"");
    assertThat(s.send("GET", CFG + "/history", alice, null, (String) null).json().get("items"))
        .hasSize(2);
  }

  // ---------------------------------------------------------------- 4. If-Match: *

  @Test
  void ifMatchStarOnAPatchMatchesWhateverVersionIsCurrent() {
    create("{\"a\":1}");
    patch(alice, "[{\"op\":\"replace\",\"path\":\"/a\",\"value\":2}]");
    patch(alice, "[{\"op\":\"replace\",\"path\":\"/a\",\"value\":3}]");
    Response r = patch(bob, "[{\"op\":\"replace\",\"path\":\"/a\",\"value\":4}]", "If-Match", "*");
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    assertThat(r.header("ETag")).isEqualTo("\"4\"");
    Response merge =
        s.send("PATCH", CFG, bob, "application/merge-patch+json", "{\"b\":1}", "If-Match", "*");
    assertThat(merge.status()).as(merge.toString()).isEqualTo(200);
    Response undo = s.send("POST", CFG + "/undo", bob, null, (String) null, "If-Match", "*");
    assertThat(undo.status()).as(undo.toString()).isEqualTo(200);
    // on a config that does not exist, * matches nothing
    problem(
        s.send("PATCH", "/v1/tenants/acme/configs/nope", bob, JSON_PATCH, "[]", "If-Match", "*"),
        404,
        "not-found");
  }

  // ---------------------------------------------------------------- 5. a lock id in the wrong
  // hands

  @Test
  void aLockIdIsBoundToItsHolder() throws Exception {
    create("{\"a\":1}");
    Response lock = s.send("POST", CFG + "/lock", alice, JSON, "{\"client\":\"cli alice\"}");
    String id = lock.json().get("id").asText();
    Response write =
        patch(bob, "[{\"op\":\"replace\",\"path\":\"/a\",\"value\":2}]", "Lock-Id", id);
    problem(write, 423, "locked");
    assertThat(write.json().get("lock").get("holder").get("id").asText()).isEqualTo("alice");
    assertThat(write.body()).doesNotContain(id);
    problem(s.send("PUT", CFG, bob, JSON, "{}", "If-Match", "*", "Lock-Id", id), 423, "locked");
    problem(s.send("POST", CFG + "/undo", bob, null, (String) null, "Lock-Id", id), 423, "locked");
    problem(s.send("DELETE", CFG + "/lock/" + id, bob, null, (String) null), 423, "locked");
    problem(s.send("PUT", CFG + "/lock/" + id, bob, null, (String) null), 423, "locked");
    // an admin may force-release, but not use the id either
    problem(s.send("DELETE", CFG + "/lock/" + id, admin, null, (String) null), 423, "locked");
    // the lock is still alice's, and works for her
    assertThat(
            s.send("GET", CFG + "/lock", bob, null, (String) null)
                .json()
                .get("holder")
                .get("id")
                .asText())
        .isEqualTo("alice");
    assertThat(
            patch(alice, "[{\"op\":\"replace\",\"path\":\"/a\",\"value\":3}]", "Lock-Id", id)
                .status())
        .isEqualTo(200);
    assertThat(s.send("PUT", CFG + "/lock/" + id, alice, null, (String) null).status())
        .isEqualTo(200);
    assertThat(s.send("DELETE", CFG + "/lock/" + id, alice, null, (String) null).status())
        .isEqualTo(204);
    // every misuse is in the audit trail, with who tried
    assertThat(audit("lock-misused")).containsOnly("bob", "root").hasSize(6);
  }

  private List<String> audit(String event) throws Exception {
    List<String> actors = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("cfgctl.db"));
        Statement q = c.createStatement();
        ResultSet rs = q.executeQuery("SELECT actor_id FROM audit WHERE event = '" + event + "'")) {
      while (rs.next()) actors.add(rs.getString(1));
    }
    return actors;
  }

  // ---------------------------------------------------------------- 6. reasons

  @Test
  void takeOverAndForceReleaseNeedAReason() {
    create("{\"a\":1}");
    assertThat(s.send("POST", CFG + "/lock", alice, JSON, "{}").status()).isEqualTo(201);
    for (String body :
        new String[] {
          "{\"takeOver\":true}",
          "{\"takeOver\":true,\"reason\":\" \"}",
          "{\"takeOver\":true,\"reason\":null}"
        }) {
      problem(s.send("POST", CFG + "/lock", bob, JSON, body), 400, "invalid-request");
    }
    problem(
        s.send("DELETE", CFG + "/lock?force=true", admin, null, (String) null),
        400,
        "invalid-request");
    problem(
        s.send("DELETE", CFG + "/lock?force=true&reason=", admin, null, (String) null),
        400,
        "invalid-request");
    assertThat(
            s.send("GET", CFG + "/lock", bob, null, (String) null)
                .json()
                .get("holder")
                .get("id")
                .asText())
        .isEqualTo("alice");
    assertThat(
            s.send("POST", CFG + "/lock", bob, JSON, "{\"takeOver\":true,\"reason\":\"away\"}")
                .status())
        .isEqualTo(201);
  }

  // ---------------------------------------------------------------- 8. lenient input

  @Test
  void loneSurrogatesAreMalformedJson() {
    for (String body :
        new String[] {
          "{\"a\":\"\\ud800\"}",
          "{\"a\":\"x\\udc00\"}",
          "{\"\\ud800\":1}",
          "{\"a\":\"\\ud800\\u0041\"}"
        }) {
      problem(s.send("PUT", CFG, alice, JSON, body, "If-None-Match", "*"), 400, "invalid-json");
    }
    byte[] encoded = {
      '{', '"', 'a', '"', ':', '"', (byte) 0xed, (byte) 0xa0, (byte) 0x80, '"', '}'
    };
    problem(s.send("PUT", CFG, alice, JSON, encoded, "If-None-Match", "*"), 400, "invalid-json");
    // a surrogate pair is a character
    create("{\"a\":\"\\ud83d\\ude00\"}");
    assertThat(s.send("GET", CFG, alice, null, (String) null).body())
        .isEqualTo("{\"a\":\"\uD83D\uDE00\"}");
  }

  @Test
  void aUtf8ByteOrderMarkIsSkippedAndUtf16IsRefused() {
    byte[] bom = "\uFEFF{\"a\":1}".getBytes(StandardCharsets.UTF_8);
    assertThat(s.send("PUT", CFG, alice, JSON, bom, "If-None-Match", "*").status()).isEqualTo(201);
    assertThat(s.send("GET", CFG, alice, null, (String) null).body()).isEqualTo("{\"a\":1}");
    for (java.nio.charset.Charset wide :
        new java.nio.charset.Charset[] {
          StandardCharsets.UTF_16, StandardCharsets.UTF_16LE, StandardCharsets.UTF_16BE
        }) {
      problem(
          s.send("PUT", CFG, alice, JSON, "{\"a\":2}".getBytes(wide), "If-Match", "\"1\""),
          400,
          "invalid-json");
    }
  }

  @Test
  void hugeExponentsAreKeptExactly() {
    create("{\"big\":1e400,\"small\":-1E-400,\"long\":123456789012345678901234567890}");
    assertThat(s.send("GET", CFG, alice, null, (String) null).body())
        .isEqualTo("{\"big\":1e400,\"small\":-1E-400,\"long\":123456789012345678901234567890}");
    assertThat(patch(alice, "[{\"op\":\"test\",\"path\":\"/big\",\"value\":10e399}]").status())
        .isEqualTo(200);
  }

  @Test
  void aConfigIsAJsonObject() {
    for (String body : new String[] {"[]", "[1,2]", "5", "\"text\"", "null", "true"}) {
      problem(s.send("PUT", CFG, alice, JSON, body, "If-None-Match", "*"), 422, "not-an-object");
    }
    create("{\"a\":1}");
    problem(
        s.send(
            "PUT",
            CFG,
            alice,
            JSON,
            "[{\"op\":\"add\",\"path\":\"/b\",\"value\":1}]",
            "If-Match",
            "\"1\""),
        422,
        "not-an-object");
    problem(
        patch(alice, "[{\"op\":\"replace\",\"path\":\"\",\"value\":[1]}]"), 422, "not-an-object");
    problem(
        s.send("PATCH", CFG, alice, "application/merge-patch+json", "[1]"), 422, "not-an-object");
    assertThat(s.send("GET", CFG, alice, null, (String) null).header("ETag")).isEqualTo("\"1\"");
  }
}
