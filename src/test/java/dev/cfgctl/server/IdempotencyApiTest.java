package dev.cfgctl.server;

import static org.assertj.core.api.Assertions.assertThat;

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

/**
 * Idempotency-Key (draft-ietf-httpapi-idempotency-key-header): a write sent again with its key,
 * after an answer was lost, gets the first answer and never makes a second revision.
 */
class IdempotencyApiTest {
  static final String CFG = "/v1/tenants/acme/configs/landing";
  static final String JSON = "application/json";
  static final String JSON_PATCH = "application/json-patch+json";
  static final String INC = "[{\"op\":\"replace\",\"path\":\"/n\",\"value\":1}]";

  @TempDir Path dir;
  final TestClock clock = new TestClock();
  TestServer s;
  String alice;
  String bob;

  @BeforeEach
  void start() {
    s =
        new TestServer(
            Stores.sqlite(dir.resolve("cfgctl.db"), new Tunables(1000, 1, 3600, 300, 100), clock),
            clock);
    alice = s.token("alice", "acme", Role.EDITOR);
    bob = s.token("bob", "acme", Role.EDITOR);
  }

  @AfterEach
  void stop() {
    s.close();
  }

  Response send(
      String method, String path, String token, String type, String body, String... headers) {
    return s.send(method, path, token, type, body, headers);
  }

  long history() {
    return send("GET", CFG + "/history", alice, null, null).json().get("items").size();
  }

  @Test
  void aRetriedWriteGetsTheFirstAnswerAndMakesNoSecondRevision() {
    Response created =
        send(
            "PUT",
            CFG,
            alice,
            JSON,
            "{\"n\":0}",
            "If-None-Match",
            "*",
            "Idempotency-Key",
            "\"create-1\"");
    Response again =
        send(
            "PUT",
            CFG,
            alice,
            JSON,
            "{\"n\":0}",
            "If-None-Match",
            "*",
            "Idempotency-Key",
            "\"create-1\"");
    assertThat(again.status()).as(again.toString()).isEqualTo(201);
    assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
    assertThat(again.body()).isEqualTo(created.body());
    // a patch based on version 1: its retry is not refused as stale, it is the same write
    Response patched =
        send(
            "PATCH",
            CFG,
            alice,
            JSON_PATCH,
            INC,
            "If-Match",
            "\"1\"",
            "Idempotency-Key",
            "k-2"); // unquoted, as Stripe's clients send them
    assertThat(patched.header("ETag")).isEqualTo("\"2\"");
    for (int i = 0; i < 3; i++) {
      Response r =
          send("PATCH", CFG, alice, JSON_PATCH, INC, "If-Match", "\"1\"", "Idempotency-Key", "k-2");
      assertThat(r.status()).as(r.toString()).isEqualTo(200);
      assertThat(r.header("ETag")).isEqualTo("\"2\"");
      assertThat(r.header("Idempotent-Replayed")).isEqualTo("true");
      assertThat(r.body()).isEqualTo("{\"n\":1}");
    }
    // without the key the same request is a stale write
    ApiTest.problem(
        send("PATCH", CFG, alice, JSON_PATCH, INC, "If-Match", "\"1\""), 412, "version-conflict");
    assertThat(history()).isEqualTo(2);
  }

  @Test
  void everyKindOfWriteIsMadeOnce() {
    send("PUT", CFG, alice, JSON, "{\"n\":0}", "If-None-Match", "*");
    send("PATCH", CFG, alice, JSON_PATCH, INC);
    for (int i = 0; i < 2; i++) {
      Response undo = send("POST", CFG + "/undo", alice, null, null, "Idempotency-Key", "u");
      assertThat(undo.status()).isEqualTo(200);
      assertThat(undo.json().get(0).get("version").asLong()).isEqualTo(3);
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
              "r");
      assertThat(rollback.json().get("version").asLong()).as(rollback.toString()).isEqualTo(4);
      Response merge =
          send(
              "PATCH",
              CFG,
              alice,
              "application/merge-patch+json",
              "{\"m\":1}",
              "Idempotency-Key",
              "m");
      assertThat(merge.header("ETag")).isEqualTo("\"5\"");
      Response lock =
          send("POST", CFG + "/lock", alice, JSON, "{\"client\":\"cli\"}", "Idempotency-Key", "l");
      assertThat(lock.status()).isEqualTo(201);
      assertThat(lock.json().get("fence").asLong()).isEqualTo(1);
      String id = lock.json().get("id").asText();
      Response delete =
          send(
              "DELETE",
              CFG,
              alice,
              null,
              null,
              "If-Match",
              "\"5\"",
              "Lock-Id",
              id,
              "Idempotency-Key",
              "d");
      assertThat(delete.status()).as(delete.toString()).isEqualTo(204);
      assertThat(delete.header("ETag")).isEqualTo("\"6\"");
    }
    assertThat(history()).isEqualTo(6);
  }

  @Test
  void aKeyIsTheCallersAndForOneRequestOnly() {
    send("PUT", CFG, alice, JSON, "{\"n\":0}", "If-None-Match", "*");
    assertThat(send("PATCH", CFG, alice, JSON_PATCH, INC, "Idempotency-Key", "k").header("ETag"))
        .isEqualTo("\"2\"");
    // another request under the same key is refused, and changes nothing
    Response other =
        send(
            "PATCH",
            CFG,
            alice,
            JSON_PATCH,
            "[{\"op\":\"replace\",\"path\":\"/n\",\"value\":7}]",
            "Idempotency-Key",
            "k");
    ApiTest.problem(other, 422, "idempotency-key-reused");
    ApiTest.problem(
        send(
            "PATCH",
            CFG,
            alice,
            JSON_PATCH,
            INC,
            "Idempotency-Key",
            "k",
            "Change-Message",
            "other"),
        422,
        "idempotency-key-reused");
    // another user's key of the same name is theirs
    Response bobs =
        send(
            "PATCH",
            CFG,
            bob,
            JSON_PATCH,
            "[{\"op\":\"replace\",\"path\":\"/n\",\"value\":2}]",
            "Idempotency-Key",
            "k");
    assertThat(bobs.header("ETag")).isEqualTo("\"3\"");
    assertThat(bobs.header("Idempotent-Replayed")).isNull();
    // a day later the key is forgotten: the same request is a new write
    clock.advance(Duration.ofHours(25));
    Response later = send("PATCH", CFG, alice, JSON_PATCH, INC, "Idempotency-Key", "k");
    assertThat(later.header("ETag")).isEqualTo("\"4\"");
    assertThat(s.store.sweepIdempotencyKeys()).isEqualTo(1); // bob's
    // keys that are not keys; a token's secret cannot be sent twice
    for (String bad : new String[] {"", "\"\"", "a b", "x".repeat(256)}) {
      ApiTest.problem(
          send("PATCH", CFG, alice, JSON_PATCH, INC, "Idempotency-Key", bad),
          400,
          "invalid-request");
    }
    ApiTest.problem(
        send(
            "POST",
            "/v1/tokens",
            s.adminToken,
            JSON,
            "{\"user\":\"x\",\"tenant\":\"acme\",\"role\":\"viewer\"}",
            "Idempotency-Key",
            "t"),
        400,
        "invalid-request");
  }

  @Test
  void aFailedWriteIsNotRemembered() {
    send("PUT", CFG, alice, JSON, "{\"n\":0}", "If-None-Match", "*");
    Response lock = send("POST", CFG + "/lock", bob, JSON, "{}");
    ApiTest.problem(
        send("PATCH", CFG, alice, JSON_PATCH, INC, "Idempotency-Key", "k"), 423, "locked");
    send("DELETE", CFG + "/lock/" + lock.json().get("id").asText(), bob, null, null);
    Response retried = send("PATCH", CFG, alice, JSON_PATCH, INC, "Idempotency-Key", "k");
    assertThat(retried.status()).isEqualTo(200);
    assertThat(retried.header("Idempotent-Replayed")).isNull();
  }
}
