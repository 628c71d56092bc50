package dev.cfgctl.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cfgctl.app.Stores;
import dev.cfgctl.server.TestServer.Response;
import dev.cfgctl.store.Role;
import dev.cfgctl.store.TestClock;
import dev.cfgctl.store.Tunables;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every route of API.md with its statuses, headers and problem slugs, over a real server. */
class ApiTest {
  static final String CFG = "/v1/tenants/acme/configs/landing";
  static final String JSON = "application/json";
  static final String JSON_PATCH = "application/json-patch+json";

  @TempDir Path dir;
  final TestClock clock = new TestClock();
  TestServer s;
  String editor;
  String bob;
  String viewer;
  String admin;
  String otherTenant;

  @BeforeEach
  void start() {
    s =
        new TestServer(
            Stores.sqlite(dir.resolve("cfgctl.db"), new Tunables(1000, 1, 3600, 300, 100), clock),
            clock);
    editor = s.token("alice", "acme", Role.EDITOR);
    bob = s.token("bob", "acme", Role.EDITOR);
    viewer = s.token("val", "acme", Role.VIEWER);
    admin = s.token("root", "acme", Role.ADMIN);
    otherTenant = s.token("eve", "globex", Role.ADMIN);
  }

  @AfterEach
  void stop() {
    s.close();
  }

  Response create(String body) {
    return s.send("PUT", CFG, editor, JSON, body, "If-None-Match", "*");
  }

  Response patch(String token, String body, String... headers) {
    return s.send("PATCH", CFG, token, JSON_PATCH, body, headers);
  }

  static void problem(Response r, int status, String slug) {
    assertThat(r.status()).as(r.toString()).isEqualTo(status);
    assertThat(r.header("Content-Type")).startsWith("application/problem+json");
    JsonNode p = r.json();
    assertThat(p.get("type").asText()).isEqualTo("/problems/" + slug);
    assertThat(p.get("status").asInt()).isEqualTo(status);
    assertThat(p.get("title").asText()).isNotEmpty();
    assertThat(p.get("detail").asText())
        .isNotEmpty()
        .doesNotContain("Exception")
        .doesNotContain("\tat ");
  }

  @Test
  void healthNeedsNoToken() {
    Response r = s.send("GET", "/v1/health", null, null, (String) null);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().get("status").asText()).isEqualTo("ok");
    assertThat(r.json().get("version").asText()).isEqualTo("test");
  }

  @Test
  void createReadReplaceWithVersionHeaders() {
    Response c = create("{\"title\":\"Spring\",\"price\":1.50}");
    assertThat(c.status()).isEqualTo(201);
    assertThat(c.header("ETag")).isEqualTo("\"1\"");
    assertThat(c.header("Config-Version")).isEqualTo("1");
    assertThat(c.header("Config-Updated-By")).isEqualTo("alice");
    assertThat(c.header("Config-Updated-By-Name")).isEqualTo("alice");
    assertThat(c.header("Last-Modified")).endsWith("GMT");
    problem(create("{}"), 409, "already-exists");
    assertThat(create("{}").json().get("currentVersion").asLong()).isEqualTo(1);

    Response g = s.send("GET", CFG, viewer, null, (String) null);
    assertThat(g.status()).isEqualTo(200);
    assertThat(g.body()).isEqualTo("{\"title\":\"Spring\",\"price\":1.50}");
    assertThat(g.header("ETag")).isEqualTo("\"1\"");
    assertThat(s.send("GET", CFG, viewer, null, (String) null, "If-None-Match", "\"1\"").status())
        .isEqualTo(304);

    problem(s.send("PUT", CFG, editor, JSON, "{\"title\":\"x\"}"), 428, "precondition-required");
    Response put =
        s.send(
            "PUT",
            CFG,
            editor,
            JSON,
            "{\"title\":\"Summer\"}",
            "If-Match",
            "\"1\"",
            "Change-Message",
            "new season");
    assertThat(put.status()).isEqualTo(200);
    assertThat(put.header("ETag")).isEqualTo("\"2\"");
    Response stale = s.send("PUT", CFG, bob, JSON, "{\"title\":\"Autumn\"}", "If-Match", "\"1\"");
    problem(stale, 412, "version-conflict");
    assertThat(stale.json().get("expectedVersion").asLong()).isEqualTo(1);
    assertThat(stale.json().get("currentVersion").asLong()).isEqualTo(2);
    assertThat(stale.json().get("since").get(0).get("author").get("id").asText())
        .isEqualTo("alice");
    Response forced = s.send("PUT", CFG, bob, JSON, "{\"title\":\"Autumn\"}", "If-Match", "*");
    assertThat(forced.status()).isEqualTo(200);
    Response v1 = s.send("GET", CFG + "?version=1", viewer, null, (String) null);
    assertThat(v1.body()).isEqualTo("{\"title\":\"Spring\",\"price\":1.50}");
    assertThat(v1.header("ETag")).isEqualTo("\"1\"");
    problem(s.send("GET", CFG + "?version=99", viewer, null, (String) null), 404, "not-found");
    problem(
        s.send("GET", CFG + "?version=abc", viewer, null, (String) null), 400, "invalid-request");
  }

  @Test
  void aVersionConflictCarriesTheConfigTheVersionsAndTheRevisionsSince() {
    create("{\"title\":\"Spring\"}");
    s.send(
        "PUT",
        CFG,
        editor,
        JSON,
        "{\"title\":\"Summer\"}",
        "If-Match",
        "\"1\"",
        "Change-Message",
        "new season");

    Response stale = s.send("PUT", CFG, bob, JSON, "{\"title\":\"Autumn\"}", "If-Match", "\"1\"");

    problem(stale, 412, "version-conflict");
    JsonNode p = stale.json();
    assertThat(p.fieldNames())
        .toIterable()
        .containsExactly(
            "type",
            "title",
            "status",
            "detail",
            "expectedVersion",
            "currentVersion",
            "since",
            "tenant",
            "config",
            "retained");
    assertThat(p.get("detail").asText())
        .isEqualTo("acme/landing is at version 2, not 1; since then: v2 save by alice /title");
    assertThat(p.get("expectedVersion").asLong()).isEqualTo(1);
    assertThat(p.get("currentVersion").asLong()).isEqualTo(2);
    assertThat(p.get("tenant").asText()).isEqualTo("acme");
    assertThat(p.get("config").asText()).isEqualTo("landing");
    assertThat(p.get("retained").asBoolean()).isTrue();
    assertThat(p.get("since")).hasSize(1);
    assertThat(p.get("since").get(0).get("version").asLong()).isEqualTo(2);
    assertThat(p.get("since").get(0).get("message").asText()).isEqualTo("new season");
  }

  @Test
  void patchesAndMergePatches() {
    create("{\"a\":[1,2],\"b\":{\"c\":1}}");
    Response p = patch(editor, "[{\"op\":\"add\",\"path\":\"/a/-\",\"value\":3}]");
    assertThat(p.status()).isEqualTo(200);
    assertThat(p.body()).isEqualTo("{\"a\":[1,2,3],\"b\":{\"c\":1}}");
    assertThat(p.header("ETag")).isEqualTo("\"2\"");
    Response m =
        s.send(
            "PATCH",
            CFG,
            editor,
            "application/merge-patch+json",
            "{\"b\":{\"c\":null}}",
            "If-Match",
            "\"2\"");
    assertThat(m.body()).isEqualTo("{\"a\":[1,2,3],\"b\":{}}");
    Response failed = patch(editor, "[{\"op\":\"test\",\"path\":\"/a/0\",\"value\":9}]");
    problem(failed, 422, "patch-failed");
    assertThat(failed.json().get("opIndex").asInt()).isZero();
    assertThat(failed.json().get("op").asText()).isEqualTo("test");
    assertThat(failed.json().get("path").asText()).isEqualTo("/a/0");
    problem(patch(editor, "[{\"op\":\"jump\",\"path\":\"/a\"}]"), 400, "invalid-patch");
    Response minimal =
        patch(editor, "[{\"op\":\"add\",\"path\":\"/m\",\"value\":1}]", "Prefer", "return=minimal");
    assertThat(minimal.status()).isEqualTo(204);
    assertThat(minimal.body()).isEmpty();
    assertThat(minimal.header("ETag")).isEqualTo("\"4\"");
    patch(editor, "[{\"op\":\"remove\",\"path\":\"/m\"}]");
    assertThat(
            patch(editor, "[{\"op\":\"add\",\"path\":\"/x\",\"value\":1},{\"op\":\"move\"}]")
                .json()
                .get("opIndex")
                .asInt())
        .isEqualTo(1);
    problem(s.send("PATCH", CFG, editor, JSON, "[]"), 415, "unsupported-media-type");
    problem(
        s.send("PUT", CFG, editor, "text/plain", "{}", "If-Match", "*"),
        415,
        "unsupported-media-type");
    problem(patch(editor, "[]", "If-Match", "\"1\""), 412, "version-conflict");
    assertThat(
            patch(editor, "[{\"op\":\"add\",\"path\":\"/z\",\"value\":0}]", "If-Match", "\"1\"")
                .status())
        .isEqualTo(412);
    // the stale patch, rebased over the disjoint changes since
    Response rebased =
        s.send(
            "PATCH",
            CFG + "?rebase=true",
            editor,
            JSON_PATCH,
            "[{\"op\":\"add\",\"path\":\"/z\",\"value\":0}]",
            "If-Match",
            "\"1\"");
    assertThat(rebased.status()).as(rebased.toString()).isEqualTo(200);
    assertThat(rebased.json().get("z").asInt()).isZero();
  }

  @Test
  void deleteIsATombstone() {
    create("{}");
    problem(s.send("DELETE", CFG, editor, null, (String) null), 428, "precondition-required");
    problem(
        s.send("DELETE", CFG, editor, null, (String) null, "If-Match", "\"5\""),
        412,
        "version-conflict");
    Response d = s.send("DELETE", CFG, editor, null, (String) null, "If-Match", "\"1\"");
    assertThat(d.status()).isEqualTo(204);
    Response gone = s.send("GET", CFG, viewer, null, (String) null);
    problem(gone, 410, "deleted");
    assertThat(gone.json().get("version").asLong()).isEqualTo(2);
    Response undo = s.send("POST", CFG + "/undo", editor, JSON, "{}");
    assertThat(undo.status()).as(undo.toString()).isEqualTo(200);
    assertThat(s.send("GET", CFG, viewer, null, (String) null).status()).isEqualTo(200);
  }

  @Test
  void historyRevisionsUndoRedoRollback() {
    create("{\"n\":0}");
    for (int i = 1; i <= 3; i++) {
      patch(
          i == 2 ? bob : editor,
          "[{\"op\":\"replace\",\"path\":\"/n\",\"value\":" + i + "}]",
          "Change-Message",
          "set " + i);
      clock.advance(Duration.ofMinutes(1));
    }
    Response h = s.send("GET", CFG + "/history?limit=2", viewer, null, (String) null);
    assertThat(h.status()).isEqualTo(200);
    assertThat(h.json().get("items")).hasSize(2);
    assertThat(h.json().get("items").get(0).get("version").asLong()).isEqualTo(4);
    assertThat(h.json().get("items").get(0).get("message").asText()).isEqualTo("set 3");
    assertThat(h.json().get("items").get(0).has("patch")).isFalse();
    String next = h.json().get("next").asText();
    Response older =
        s.send("GET", CFG + "/history?limit=2&before=" + next, viewer, null, (String) null);
    assertThat(older.json().get("items").get(0).get("version").asLong()).isEqualTo(2);
    Response byBob = s.send("GET", CFG + "/history?author=bob", viewer, null, (String) null);
    assertThat(byBob.json().get("items")).hasSize(1);
    Response since =
        s.send("GET", CFG + "/history?since=2026-11-28T10:01:00Z", viewer, null, (String) null);
    assertThat(since.json().get("items")).hasSize(2);
    problem(
        s.send("GET", CFG + "/history?since=yesterday", viewer, null, (String) null),
        400,
        "invalid-request");

    Response rev = s.send("GET", CFG + "/revisions/3", viewer, null, (String) null);
    assertThat(rev.json().get("patch").toString())
        .isEqualTo("[{\"op\":\"replace\",\"path\":\"/n\",\"value\":2}]");
    assertThat(rev.json().get("inverse").toString())
        .isEqualTo("[{\"op\":\"replace\",\"path\":\"/n\",\"value\":1}]");
    problem(s.send("GET", CFG + "/revisions/99", viewer, null, (String) null), 404, "not-found");

    // Alice's undo: her latest change (v4) — conflicts with nothing
    Response u = s.send("POST", CFG + "/undo", editor, JSON, "{\"scope\":\"mine\",\"steps\":1}");
    assertThat(u.status()).as(u.toString()).isEqualTo(200);
    assertThat(u.header("ETag")).isEqualTo("\"5\"");
    assertThat(u.json().get(0).get("undoes").asLong()).isEqualTo(4);
    problem(s.send("POST", CFG + "/redo", bob, JSON, "{}"), 409, "nothing-to-redo");
    assertThat(s.send("POST", CFG + "/redo", editor, JSON, "{\"steps\":1}").status())
        .isEqualTo(200);
    // Alice's next undoable change (v2) was overwritten by Bob's v3: a conflict naming Bob
    s.send("POST", CFG + "/undo", editor, JSON, "{}");
    Response conflict = s.send("POST", CFG + "/undo", editor, JSON, "{}");
    problem(conflict, 409, "undo-conflict");
    assertThat(conflict.json().get("conflicts").get(0).get("author").get("id").asText())
        .isEqualTo("bob");
    problem(s.send("POST", CFG + "/undo", viewer, JSON, "{}"), 403, "forbidden");
    problem(s.send("POST", CFG + "/undo", editor, JSON, "{\"scope\":\"any\"}"), 403, "forbidden");
    assertThat(
            s.send("POST", CFG + "/undo", editor, JSON, "{\"scope\":\"any\"}")
                .json()
                .get("requiredRole")
                .asText())
        .isEqualTo("admin");
    assertThat(s.send("POST", CFG + "/undo", admin, JSON, "{\"scope\":\"any\"}").status())
        .isEqualTo(200);
    problem(
        s.send("POST", CFG + "/undo", admin, JSON, "{\"scope\":\"all\"}"), 400, "invalid-request");
    problem(
        s.send("POST", CFG + "/undo", s.token("new", "acme", Role.EDITOR), JSON, ""),
        409,
        "nothing-to-undo");

    String current = s.send("GET", CFG, viewer, null, (String) null).header("Config-Version");
    problem(
        s.send("POST", CFG + "/rollback", editor, JSON, "{\"toVersion\":1}"),
        428,
        "precondition-required");
    Response rb =
        s.send(
            "POST",
            CFG + "/rollback",
            editor,
            JSON,
            "{\"toVersion\":1}",
            "If-Match",
            "\"" + current + "\"");
    assertThat(rb.status()).as(rb.toString()).isEqualTo(200);
    assertThat(rb.json().get("kind").asText()).isEqualTo("rollback");
    assertThat(s.send("GET", CFG, viewer, null, (String) null).body()).isEqualTo("{\"n\":0}");
    problem(
        s.send("POST", CFG + "/rollback", editor, JSON, "{\"toVersion\":999}", "If-Match", "*"),
        404,
        "not-found");
  }

  @Test
  void locks() {
    create("{\"a\":0}");
    problem(s.send("GET", CFG + "/lock", viewer, null, (String) null), 404, "no-lock");
    Response l =
        s.send(
            "POST",
            CFG + "/lock",
            editor,
            JSON,
            "{\"ttlSeconds\":60,\"client\":\"cli alice@laptop pid 4711\",\"note\":\"migration\"}");
    assertThat(l.status()).isEqualTo(201);
    String id = l.json().get("id").asText();
    assertThat(l.json().get("fence").asLong()).isEqualTo(1);
    assertThat(l.json().get("expiresAt").asText()).isEqualTo("2026-11-28T10:01:00.000Z");
    Response status = s.send("GET", CFG + "/lock", viewer, null, (String) null);
    assertThat(status.json().get("holder").get("id").asText()).isEqualTo("alice");
    assertThat(status.json().has("id")).isFalse();
    Response held = s.send("POST", CFG + "/lock", bob, JSON, "{}");
    problem(held, 409, "lock-held");
    assertThat(held.json().get("lock").get("client").asText())
        .isEqualTo("cli alice@laptop pid 4711");
    assertThat(held.json().get("lock").has("id")).isFalse();
    Response locked = patch(bob, "[{\"op\":\"replace\",\"path\":\"/a\",\"value\":1}]");
    problem(locked, 423, "locked");
    assertThat(locked.json().get("detail").asText()).contains("alice").contains("expires in");
    assertThat(
            patch(editor, "[{\"op\":\"replace\",\"path\":\"/a\",\"value\":1}]", "Lock-Id", id)
                .status())
        .isEqualTo(200);
    clock.advance(Duration.ofSeconds(20));
    Response stale =
        s.send("GET", "/v1/tenants/acme/locks?staleAfter=10", viewer, null, (String) null);
    assertThat(stale.json().get("items")).hasSize(1);
    assertThat(stale.json().get("items").get(0).get("heartbeatAgeSeconds").asDouble())
        .isEqualTo(20.0);
    assertThat(stale.json().get("items").get(0).has("id")).isFalse();
    Response hb = s.send("PUT", CFG + "/lock/" + id, editor, JSON, "{\"ttlSeconds\":120}");
    assertThat(hb.status()).isEqualTo(200);
    assertThat(hb.json().get("ttlSeconds").asLong()).isEqualTo(120);
    assertThat(
            s.send("GET", "/v1/tenants/acme/locks?staleAfter=10", viewer, null, (String) null)
                .json()
                .get("items"))
        .isEmpty();
    Response taken =
        s.send("POST", CFG + "/lock", bob, JSON, "{\"takeOver\":true,\"reason\":\"away\"}");
    assertThat(taken.status()).isEqualTo(201);
    Response lost = s.send("PUT", CFG + "/lock/" + id, editor, null, (String) null);
    problem(lost, 410, "lock-lost");
    assertThat(lost.json().get("reason").asText()).isEqualTo("taken-over");
    assertThat(lost.json().get("by").get("id").asText()).isEqualTo("bob");
    assertThat(lost.json().get("at").asText()).isNotEmpty();
    problem(patch(editor, "[]", "Lock-Id", id), 410, "lock-lost");
    problem(s.send("DELETE", CFG + "/lock", editor, null, (String) null), 400, "invalid-request");
    problem(
        s.send("DELETE", CFG + "/lock?force=true", editor, null, (String) null), 403, "forbidden");
    assertThat(
            s.send("DELETE", CFG + "/lock?force=true&reason=stale", admin, null, (String) null)
                .status())
        .isEqualTo(204);
    problem(
        s.send("DELETE", CFG + "/lock?force=true", admin, null, (String) null),
        400,
        "invalid-request"); // a force-release always carries a reason
    problem(
        s.send("DELETE", CFG + "/lock?force=true&reason=again", admin, null, (String) null),
        404,
        "no-lock");
    String bobs = taken.json().get("id").asText();
    Response gone = s.send("DELETE", CFG + "/lock/" + bobs, bob, null, (String) null);
    problem(gone, 410, "lock-lost");
    assertThat(gone.json().get("reason").asText()).isEqualTo("force-released");
    Response mine = s.send("POST", CFG + "/lock", bob, JSON, "{\"ttlSeconds\":5}");
    assertThat(
            s.send(
                    "DELETE",
                    CFG + "/lock/" + mine.json().get("id").asText(),
                    bob,
                    null,
                    (String) null)
                .status())
        .isEqualTo(204);
    problem(s.send("POST", CFG + "/lock", bob, JSON, "{\"ttlSeconds\":0}"), 400, "invalid-request");
    problem(
        s.send("POST", CFG + "/lock", bob, JSON, "{\"takeOver\":\"yes\"}"), 400, "invalid-request");
  }

  @Test
  void authAndTenants() {
    create("{}");
    Response none = s.send("GET", CFG, null, null, (String) null);
    problem(none, 401, "unauthorized");
    assertThat(none.header("WWW-Authenticate")).startsWith("Bearer");
    problem(s.send("GET", CFG, "cfgctl_forged", null, (String) null), 401, "unauthorized");
    problem(
        s.send("GET", CFG, editor.substring(0, editor.length() - 3), null, (String) null),
        401,
        "unauthorized");
    problem(s.send("GET", CFG, otherTenant, null, (String) null), 404, "not-found");
    problem(
        s.send("GET", "/v1/tenants/acme/configs", otherTenant, null, (String) null),
        404,
        "not-found");
    problem(
        s.send("GET", "/v1/tenants/acme/locks", otherTenant, null, (String) null),
        404,
        "not-found");
    problem(patch(viewer, "[]"), 403, "forbidden");
    assertThat(patch(viewer, "[]").json().get("requiredRole").asText()).isEqualTo("editor");
    problem(s.send("GET", "/v1/tokens", editor, null, (String) null), 403, "forbidden");

    Response list = s.send("GET", "/v1/tokens", s.adminToken, null, (String) null);
    assertThat(list.status()).isEqualTo(200);
    assertThat(list.body()).doesNotContain(editor).doesNotContain("hash");
    String id = null;
    for (JsonNode t : list.json().get("items"))
      if (t.get("user").asText().equals("val")) id = t.get("id").asText();
    assertThat(s.send("DELETE", "/v1/tokens/" + id, s.adminToken, null, (String) null).status())
        .isEqualTo(204);
    problem(s.send("GET", CFG, viewer, null, (String) null), 401, "unauthorized");
    problem(
        s.send("DELETE", "/v1/tokens/tok_nope", s.adminToken, null, (String) null),
        404,
        "not-found");
    // a tenant admin manages its own tenant's tokens only
    problem(
        s.send(
            "POST",
            "/v1/tokens",
            admin,
            JSON,
            "{\"user\":\"x\",\"tenant\":\"globex\",\"role\":\"viewer\"}"),
        403,
        "forbidden");
    problem(
        s.send(
            "POST",
            "/v1/tokens",
            admin,
            JSON,
            "{\"user\":\"x\",\"tenant\":\"acme\",\"role\":\"god\"}"),
        400,
        "invalid-request");
    Response expiring =
        s.send(
            "POST",
            "/v1/tokens",
            admin,
            JSON,
            "{\"user\":\"tmp\",\"tenant\":\"acme\",\"role\":\"viewer\",\"expiresInDays\":1}");
    assertThat(expiring.status()).isEqualTo(201);
    String tmp = expiring.json().get("token").asText();
    assertThat(s.send("GET", CFG, tmp, null, (String) null).status()).isEqualTo(200);
    clock.advance(Duration.ofDays(1));
    problem(s.send("GET", CFG, tmp, null, (String) null), 401, "unauthorized");
  }

  @Test
  void listsConfigs() {
    for (String n : new String[] {"home", "landing", "landing-b", "zeta"}) {
      s.send("PUT", "/v1/tenants/acme/configs/" + n, editor, JSON, "{}", "If-None-Match", "*");
    }
    Response r =
        s.send("GET", "/v1/tenants/acme/configs?prefix=landing", viewer, null, (String) null);
    assertThat(r.json().get("items")).hasSize(2);
    assertThat(r.json().get("items").get(0).get("name").asText()).isEqualTo("landing");
    assertThat(r.json().get("items").get(0).get("version").asLong()).isEqualTo(1);
    assertThat(r.json().get("items").get(0).get("updatedBy").asText()).isEqualTo("alice");
    Response p1 = s.send("GET", "/v1/tenants/acme/configs?limit=3", viewer, null, (String) null);
    assertThat(p1.json().get("next").asText()).isEqualTo("landing-b");
    Response p2 =
        s.send(
            "GET", "/v1/tenants/acme/configs?limit=3&after=landing-b", viewer, null, (String) null);
    assertThat(p2.json().get("items")).hasSize(1);
    assertThat(p2.json().get("next").isNull()).isTrue();
    problem(
        s.send("GET", "/v1/tenants/acme/configs?limit=0", viewer, null, (String) null),
        400,
        "invalid-request");
  }

  @Test
  void unknownRoutesAndMethodsAreProblemsToo() {
    problem(s.send("GET", "/v1/nothing", editor, null, (String) null), 404, "not-found");
    problem(s.send("POST", CFG, editor, JSON, "{}"), 405, "method-not-allowed");
  }
}
