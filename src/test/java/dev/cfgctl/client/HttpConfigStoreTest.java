package dev.cfgctl.client;

import static dev.cfgctl.client.ScriptedServer.HANG;
import static dev.cfgctl.client.ScriptedServer.concat;
import static dev.cfgctl.client.ScriptedServer.head;
import static dev.cfgctl.client.ScriptedServer.http;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.cfgctl.api.ProblemJson;
import dev.cfgctl.patch.Json;
import dev.cfgctl.patch.Patch;
import dev.cfgctl.store.ConfigRef;
import dev.cfgctl.store.ConfigStore.Write;
import dev.cfgctl.store.Document;
import dev.cfgctl.store.Principal;
import dev.cfgctl.store.Problem;
import dev.cfgctl.store.Role;
import dev.cfgctl.store.StoreException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.IntFunction;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the client does when the other end is not a well-behaved config API: no server, a proxy's
 * error page, garbage, a body cut short, a connection dropped or silent. Always one clear {@link
 * StoreException}; reads are retried, and so are writes, with the same idempotency key each time
 * (so the server makes them once); writes without one only when they cannot have arrived.
 */
class HttpConfigStoreTest {
  static final Principal ALICE = new Principal("alice", "Alice", "acme", Role.EDITOR);
  static final ConfigRef LANDING = new ConfigRef("acme", "landing");
  static final Patch PATCH =
      Patch.fromJson(Json.parse("[{\"op\":\"add\",\"path\":\"/a\",\"value\":1}]"));
  static final String CFG = "/v1/tenants/acme/configs/landing";
  static final String PROBLEM = "application/problem+json";
  static final byte[] DOCUMENT =
      http(
          200,
          "application/json",
          "{\"a\":1}",
          "Config-Version",
          "2",
          "ETag",
          "\"2\"",
          "Config-Updated-By",
          "alice",
          "Config-Updated-By-Name",
          "Alice",
          "Last-Modified",
          "Sat, 28 Nov 2026 10:00:00 GMT");

  ScriptedServer server;
  HttpConfigStore store;

  @AfterEach
  void stop() throws IOException {
    if (store != null) store.close();
    if (server != null) server.close();
  }

  HttpConfigStore serve(IntFunction<byte[]> script) throws IOException {
    return serve(script, HttpConfigStore.Options.DEFAULT);
  }

  HttpConfigStore serve(IntFunction<byte[]> script, HttpConfigStore.Options options)
      throws IOException {
    server = new ScriptedServer(script);
    store = new HttpConfigStore(server.base(), who -> "secret", options);
    return store;
  }

  static StoreException refused(ThrowingCallable call, Problem problem) {
    Throwable t = catchThrowable(call);
    assertThat(t).isInstanceOf(StoreException.class);
    StoreException e = (StoreException) t;
    assertThat(e.problem()).as(e.getMessage()).isEqualTo(problem);
    assertThat(e.getMessage()).doesNotContain("Exception").doesNotContain("\tat ");
    return e;
  }

  Document patch() {
    return store.patch(ALICE, LANDING, PATCH, 1L, Write.PLAIN);
  }

  /** A write without an idempotency key (the API takes none on this route). */
  void release() {
    store.release(ALICE, LANDING, "lk_1");
  }

  /** The write was sent {@code times} times, always with the same key. */
  void sentWithOneKey(int times) {
    assertThat(server.keys).hasSize(times);
    assertThat(server.keys.get(0)).matches("\"[0-9a-f-]{36}\"");
    assertThat(server.keys).containsOnly(server.keys.get(0));
  }

  @Test
  void aServerThatIsDownIsUnavailableNamingItsUrlAfterRetries() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    String base = "http://127.0.0.1:" + port;
    try (HttpConfigStore down = new HttpConfigStore(base, "secret")) {
      long start = System.nanoTime();
      StoreException e = refused(() -> down.get(ALICE, LANDING), Problem.UNAVAILABLE);
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isGreaterThanOrEqualTo(Duration.ofMillis(500));
      assertThat(e.getMessage())
          .contains("cannot reach " + base)
          .contains("connection refused")
          .contains("3 attempts");
      assertThat(e)
          .isInstanceOfSatisfying(
              UnreachableException.class,
              u -> {
                assertThat(u.kind()).isEqualTo("refused");
                assertThat(u.server()).isEqualTo(base);
                assertThat(u.toProblemJson().has("status"))
                    .as("no HTTP response, no status")
                    .isFalse();
              });
      // nothing was sent, so a write is retried too
      assertThat(
              refused(
                      () -> down.patch(ALICE, LANDING, PATCH, null, Write.PLAIN),
                      Problem.UNAVAILABLE)
                  .getMessage())
          .contains(base + CFG)
          .contains("3 attempts");
    }
  }

  @Test
  void aProxysHtmlErrorPageIsUnavailableAndReadsTryAgain() throws IOException {
    serve(n -> http(502, "text/html", "<html><body><h1>502 Bad Gateway</h1></body></html>"));
    StoreException e = refused(() -> store.get(ALICE, LANDING), Problem.UNAVAILABLE);
    assertThat(e.getMessage())
        .contains("GET " + server.base() + CFG)
        .contains("502")
        .contains("text/html")
        .contains("<html>")
        .contains("proxy");
    assertThat(server.requests).hasSize(3);
  }

  @Test
  void aWriteAnsweredByAProxysErrorIsRepeatedOnlyWithItsKey() throws IOException {
    serve(n -> http(503, "text/html", "<html>Service Unavailable</html>"));
    refused(this::patch, Problem.UNAVAILABLE);
    sentWithOneKey(3);
    server.requests.clear();
    refused(this::release, Problem.UNAVAILABLE);
    assertThat(server.requests).containsExactly("DELETE " + CFG + "/lock/lk_1 HTTP/1.1");
  }

  @Test
  void aWriteWhoseAnswerWasLostGetsItOnTheRetryWithTheSameKey() throws IOException {
    serve(n -> n == 0 ? new byte[] {'\n'} : DOCUMENT);
    assertThat(patch().version()).isEqualTo(2);
    sentWithOneKey(2);
    assertThat(server.requests).containsOnly("PATCH " + CFG + " HTTP/1.1");
  }

  @Test
  void aRateLimitedCallWaitsAsToldAndTriesAgain() throws IOException {
    byte[] limited =
        http(
            429,
            PROBLEM,
            "{\"type\":\"/problems/rate-limited\",\"title\":\"Rate"
                + " limited\",\"status\":429,\"detail\":\"slow down\",\"retryAfterSeconds\":1}",
            "Retry-After",
            "1");
    serve(n -> n == 0 ? limited : DOCUMENT);
    long t0 = System.nanoTime();
    assertThat(patch().version()).isEqualTo(2);
    assertThat((System.nanoTime() - t0) / 1_000_000).isBetween(900L, 5_000L);
    sentWithOneKey(2);
    server.close();
    // a wait longer than a call may take is not waited for
    serve(
        n ->
            http(
                429,
                PROBLEM,
                "{\"type\":\"/problems/rate-limited\",\"title\":\"x\","
                    + "\"status\":429,\"detail\":\"slow down\",\"retryAfterSeconds\":60}",
                "Retry-After",
                "60"));
    assertThat(
            refused(() -> store.get(ALICE, LANDING), Problem.RATE_LIMITED)
                .members()
                .get("retryAfterSeconds")
                .asInt())
        .isEqualTo(60);
    assertThat(server.requests).hasSize(1);
  }

  @Test
  void theServersOwn503ProblemMeansNothingWasAppliedSoAWriteTriesAgain() throws IOException {
    serve(
        n ->
            n == 0
                ? http(
                    503,
                    PROBLEM,
                    "{\"type\":\"/problems/unavailable\",\"title\":\"Service"
                        + " unavailable\",\"status\":503,\"detail\":\"the server is shutting down\"}")
                : DOCUMENT);
    Document d = patch();
    assertThat(d.version()).isEqualTo(2);
    assertThat(server.requests).hasSize(2);
  }

  @Test
  void aBodyThatIsNotJsonIsUnavailable() throws IOException {
    serve(
        n ->
            http(
                200,
                "application/json",
                "{\"a\":tru",
                "Config-Version",
                "2",
                "Config-Updated-By",
                "alice"));
    assertThat(refused(() -> store.get(ALICE, LANDING), Problem.UNAVAILABLE).getMessage())
        .contains("GET " + server.base() + CFG)
        .contains("answered 200")
        .contains("{\"a\":tru")
        .contains("not what the config API sends");
    assertThat(refused(this::patch, Problem.UNAVAILABLE).getMessage())
        .contains("the change was probably applied");
  }

  @Test
  void anHtmlPageWhereADocumentShouldBeIsUnavailable() throws IOException {
    serve(
        n ->
            http(
                200,
                "text/html; charset=utf-8",
                "<!doctype html><title>Welcome to nginx!</title>"));
    assertThat(refused(() -> store.get(ALICE, LANDING), Problem.UNAVAILABLE).getMessage())
        .contains("text/html")
        .contains("Welcome to nginx");
    assertThat(server.requests).hasSize(1);
  }

  @Test
  void aTruncatedBodyIsRetriedForReadsButNotForWrites() throws IOException {
    byte[] cut =
        concat(
            head(200, "application/json", 100, "Config-Version", "2", "Config-Updated-By", "alice"),
            "{\"a\":".getBytes(StandardCharsets.UTF_8));
    serve(n -> cut);
    assertThat(refused(() -> store.get(ALICE, LANDING), Problem.UNAVAILABLE).getMessage())
        .contains(server.base())
        .contains("3 attempts");
    assertThat(server.requests).hasSize(3);
    server.requests.clear();
    server.keys.clear();
    assertThat(refused(this::patch, Problem.UNAVAILABLE).getMessage())
        .contains("PATCH " + server.base() + CFG)
        .contains("may or may not have been applied");
    sentWithOneKey(3);
    server.requests.clear();
    refused(this::release, Problem.UNAVAILABLE);
    assertThat(server.requests).hasSize(1);
  }

  @Test
  void aConnectionClosedMidResponseIsUnavailableAndAWriteIsNotRepeated() throws IOException {
    serve(n -> "HTTP/1.1 200 OK\r\nContent-Ty".getBytes(StandardCharsets.ISO_8859_1));
    refused(() -> store.get(ALICE, LANDING), Problem.UNAVAILABLE);
    assertThat(server.requests).hasSize(3);
    server.requests.clear();
    server.keys.clear();
    refused(() -> store.delete(ALICE, LANDING, 1, Write.PLAIN), Problem.UNAVAILABLE);
    sentWithOneKey(3);
    server.requests.clear();
    refused(this::release, Problem.UNAVAILABLE);
    assertThat(server.requests).hasSize(1);
  }

  @Test
  void aConnectionClosedWithoutAnswerRepeatsAWriteOnlyWithItsKey() throws IOException {
    serve(n -> new byte[] {'\n'});
    StoreException e =
        refused(
            () -> store.create(ALICE, LANDING, Json.parse("{}"), Write.PLAIN), Problem.UNAVAILABLE);
    assertThat(e.getMessage()).contains("may or may not have been applied");
    sentWithOneKey(3);
    server.requests.clear();
    assertThat(refused(this::release, Problem.UNAVAILABLE).getMessage())
        .contains("may or may not have been applied");
    assertThat(server.requests).hasSize(1);
  }

  @Test
  void aSilentServerTimesOutAndAWriteIsRepeatedOnlyWithItsKey() throws IOException {
    serve(
        n -> HANG,
        new HttpConfigStore.Options(
            Duration.ofSeconds(5),
            Duration.ofMillis(300),
            Duration.ofSeconds(10),
            3,
            Duration.ofMillis(10),
            Duration.ofMillis(10),
            1 << 20,
            null));
    assertThat(refused(this::release, Problem.UNAVAILABLE).getMessage())
        .contains("read timeout")
        .contains("may or may not have been applied");
    assertThat(server.requests).hasSize(1);
    assertThat(refused(() -> store.get(ALICE, LANDING), Problem.UNAVAILABLE).getMessage())
        .contains("no answer within 300 ms (read timeout)")
        .contains("3 attempts");
    assertThat(server.requests).hasSize(4);
    server.keys.clear();
    assertThat(refused(this::patch, Problem.UNAVAILABLE).getMessage()).contains("read timeout");
    sentWithOneKey(3);
  }

  @Test
  void problemsKeepTheirMembersAndUnknownOnesFallBackByStatus() throws IOException {
    serve(
        n ->
            n == 0
                ? http(
                    409,
                    PROBLEM,
                    "{\"type\":\"/problems/lock-held\",\"title\":\"Lock held\",\"status\":409,"
                        + "\"detail\":\"Bob has held it\",\"lock\":{\"holder\":{\"id\":\"bob\"}}}")
                : http(
                    409,
                    PROBLEM,
                    "{\"type\":\"/problems/from-the-future\",\"status\":409,"
                        + "\"title\":\"New\",\"detail\":\"a newer server\",\"hint\":7}"));
    StoreException held = refused(this::patch, Problem.LOCK_HELD);
    assertThat(held.getMessage()).isEqualTo("Bob has held it");
    assertThat(held.members().get("lock").get("holder").get("id").asText()).isEqualTo("bob");
    assertThat(Json.compact(ProblemJson.encode(held))).contains("\"type\":\"/problems/lock-held\"");
    StoreException future = refused(this::patch, Problem.INVALID_REQUEST);
    assertThat(future.getMessage()).isEqualTo("a newer server");
    assertThat(future.members().get("hint").asInt()).isEqualTo(7);
  }

  @Test
  void aResponseOverTheLimitIsRefusedUnread() throws IOException {
    serve(
        n ->
            http(
                200,
                "application/json",
                "[" + "1,".repeat(5000) + "1]",
                "Config-Version",
                "2",
                "Config-Updated-By",
                "alice"),
        new HttpConfigStore.Options(
            Duration.ofSeconds(5),
            Duration.ofSeconds(5),
            Duration.ofSeconds(10),
            3,
            Duration.ofMillis(10),
            Duration.ofMillis(10),
            1000,
            null));
    assertThat(refused(() -> store.get(ALICE, LANDING), Problem.TOO_LARGE).getMessage())
        .contains("limit of 1000 bytes");
  }

  @Test
  void aTokenNoHeaderCanCarryIsRefusedBeforeSending() throws IOException {
    server = new ScriptedServer(n -> DOCUMENT);
    try (HttpConfigStore bad = new HttpConfigStore(server.base(), "abc\ndef")) {
      StoreException e = refused(() -> bad.get(ALICE, LANDING), Problem.UNAUTHORIZED);
      assertThat(e.getMessage()).contains("alice").doesNotContain("abc");
    }
    assertThat(server.requests).isEmpty();
  }

  @Test
  void theDocumentComesFromTheBodyAndTheVersionHeaders() throws IOException {
    serve(n -> DOCUMENT);
    Document d = store.get(ALICE, LANDING);
    assertThat(d.version()).isEqualTo(2);
    assertThat(d.updatedBy().name()).isEqualTo("Alice");
    assertThat(d.updatedAt()).hasToString("2026-11-28T10:00:00Z");
    assertThat(server.requests).containsExactly("GET " + CFG + " HTTP/1.1");
  }

  @Test
  void anAddressThatIsNotAUrlIsRefused() {
    assertThat(
            refused(() -> new HttpConfigStore("localhost:8080", "t"), Problem.INVALID_REQUEST)
                .getMessage())
        .contains("localhost:8080");
  }
}
