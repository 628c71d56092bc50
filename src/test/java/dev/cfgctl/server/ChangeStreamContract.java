package dev.cfgctl.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cfgctl.app.ChangeFeed;
import dev.cfgctl.app.ConfigService;
import dev.cfgctl.patch.Json;
import dev.cfgctl.store.Role;
import dev.cfgctl.store.TestClock;
import dev.cfgctl.store.Tunables;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The change stream of API.md over a real server and real WebSockets (and Server-Sent Events):
 * catch-up then live, in order, none missing or repeated; snapshots; deletes; refusals before the
 * upgrade; a revoked token; writes another store instance (process, node) makes on the same
 * database. Each store runs it.
 */
abstract class ChangeStreamContract {
  static final String CFG = "/v1/tenants/acme/configs/landing";
  static final String JSON = "application/json";
  static final String JSON_PATCH = "application/json-patch+json";
  static final ChangeFeed.Settings FAST =
      new ChangeFeed.Settings(
          Duration.ofMillis(500), Duration.ofSeconds(2), Duration.ofMillis(200));

  final TestClock clock = new TestClock();
  final OkHttpClient http = new OkHttpClient.Builder().readTimeout(Duration.ZERO).build();
  final List<AutoCloseable> closing = new ArrayList<>();
  TestServer s;
  String editor;
  String viewer;

  /** A new store on a database of its own. */
  abstract ConfigService open(Tunables options);

  /** Another store (another process, another server) on the same database. */
  abstract ConfigService openAgain(Tunables options);

  /** The JDBC URL of the database {@link #open} made. */
  abstract String jdbcUrl();

  @BeforeEach
  void start() {
    s = new TestServer(open(new Tunables(5, 1, 3600, 300, 100)), clock, FAST);
    editor = s.token("alice", "acme", Role.EDITOR);
    viewer = s.token("val", "acme", Role.VIEWER);
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : closing) c.close();
    s.close();
    http.dispatcher().executorService().shutdown();
  }

  void create() {
    assertThat(s.send("PUT", CFG, editor, JSON, "{\"n\":0}", "If-None-Match", "*").status())
        .isEqualTo(201);
  }

  /** Sets /n to {@code n}: one new version. */
  void set(int n) {
    TestServer.Response r =
        s.send(
            "PATCH",
            CFG,
            editor,
            JSON_PATCH,
            "[{\"op\":\"replace\",\"path\":\"/n\",\"value\":" + n + "}]");
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
  }

  @Test
  void catchesUpFromHistoryThenStaysLiveInVersionOrder() throws Exception {
    create();
    set(1);
    set(2); // version 3
    Socket w = socket(viewer, "?since=1");
    assertRevision(w.next(), 2, 1);
    assertRevision(w.next(), 3, 2);
    set(3);
    set(4);
    assertRevision(w.next(), 4, 3);
    assertRevision(w.next(), 5, 4);
    assertThat(w.poll(300)).as("nothing more").isNull();
  }

  @Test
  void withoutSinceASnapshotComesFirst() throws Exception {
    create();
    set(7);
    Socket w = socket(viewer, "");
    JsonNode snap = w.next();
    assertThat(snap.path("type").asText()).isEqualTo("snapshot");
    assertThat(snap.path("version").asLong()).isEqualTo(2);
    assertThat(snap.path("content").path("n").asInt()).isEqualTo(7);
    set(8);
    assertRevision(w.next(), 3, 8);
  }

  @Test
  void historyNoLongerRetainedGivesASnapshotInstead() throws Exception {
    create();
    for (int i = 1; i <= 12; i++) set(i); // retention 5: version 2 is gone
    Socket w = socket(viewer, "?since=1");
    JsonNode snap = w.next();
    assertThat(snap.path("type").asText()).isEqualTo("snapshot");
    assertThat(snap.path("version").asLong()).isEqualTo(13);
    assertThat(snap.path("content").path("n").asInt()).isEqualTo(12);
    set(13);
    assertRevision(w.next(), 14, 13);
  }

  @Test
  void deletesAndTheirUndoAreEvents() throws Exception {
    create();
    Socket w = socket(viewer, "?since=1");
    assertThat(s.send("DELETE", CFG, editor, null, (String) null, "If-Match", "\"1\"").status())
        .isEqualTo(204);
    JsonNode deleted = w.next();
    assertThat(deleted.path("type").asText()).isEqualTo("deleted");
    assertThat(deleted.path("version").asLong()).isEqualTo(2);
    assertThat(s.send("POST", CFG + "/undo", editor, JSON, "{}").status()).isEqualTo(200);
    JsonNode back = w.next();
    assertThat(back.path("type").asText()).isEqualTo("undeleted");
    assertThat(back.path("version").asLong()).isEqualTo(3);
    assertThat(back.path("kind").asText()).isEqualTo("undo");
  }

  @Test
  void lockEventsReachWatchersAsTheyHappen() throws Exception {
    create();
    String bob = s.token("bob", "acme", Role.EDITOR);
    String admin = s.token("root", "acme", Role.ADMIN);
    Socket w = socket(viewer, "?since=1");
    TestServer.Response lock =
        s.send("POST", CFG + "/lock", editor, JSON, "{\"ttlSeconds\":60,\"note\":\"sale\"}");
    assertThat(lock.status()).isEqualTo(201);
    String id = lock.json().path("id").asText();
    assertLock(w.next(), "acquired", "alice", "alice");
    Socket late = socket(viewer, "?since=1");
    JsonNode held = late.next();
    assertLock(held, "held", "alice", "alice");
    assertThat(held.path("lock").path("note").asText()).isEqualTo("sale");
    assertThat(held.toString()).as("the lock id is the holder's secret").doesNotContain(id);
    assertThat(s.send("PUT", CFG + "/lock/" + id, editor, JSON, "{\"ttlSeconds\":120}").status())
        .isEqualTo(200);
    assertLock(w.next(), "extended", "alice", "alice");
    assertThat(
            s.send("POST", CFG + "/lock", bob, JSON, "{\"takeOver\":true,\"reason\":\"away\"}")
                .status())
        .isEqualTo(201);
    assertLock(w.next(), "taken-over", "alice", "bob");
    assertLock(w.next(), "acquired", "bob", "bob");
    assertThat(
            s.send("DELETE", CFG + "/lock?force=true&reason=stale", admin, null, (String) null)
                .status())
        .isEqualTo(204);
    assertLock(w.next(), "force-released", "bob", "root");
    TestServer.Response again = s.send("POST", CFG + "/lock", editor, JSON, "{\"ttlSeconds\":60}");
    assertLock(w.next(), "acquired", "alice", "alice");
    clock.advance(Duration.ofSeconds(61));
    JsonNode expired = w.next();
    assertLock(expired, "expired", "alice", null);
    assertThat(
            s.send(
                    "DELETE",
                    CFG + "/lock/" + again.json().path("id").asText(),
                    editor,
                    null,
                    (String) null)
                .status())
        .as("releasing an expired lock is refused")
        .isEqualTo(410);
    set(5);
    assertRevision(w.next(), 2, 5);
    assertThat(w.poll(300)).as("no second expiry, no release").isNull();
  }

  @Test
  void presenceListsEverySessionWithWhatItLooksAt() throws Exception {
    create();
    Socket shell = socket(editor, "?since=1&client=shell");
    JsonNode first = nextOf(shell, "presence");
    assertThat(first.path("sessions")).hasSize(1);
    assertThat(first.path("sessions").get(0).path("user").path("id").asText()).isEqualTo("alice");
    assertThat(first.path("sessions").get(0).path("client").asText()).isEqualTo("shell");
    Socket val = socket(viewer, "?since=1");
    assertThat(nextOf(shell, "presence").path("sessions")).hasSize(2);
    assertThat(nextOf(val, "presence").path("sessions")).hasSize(2);
    val.ws.send("{\"type\":\"presence\",\"pointer\":\"/n\"}");
    JsonNode moved = nextOf(shell, "presence");
    assertThat(moved.path("sessions")).as(moved.toString()).hasSize(2);
    for (JsonNode session : moved.path("sessions")) {
      String pointer = session.path("user").path("id").asText().equals("val") ? "/n" : "null";
      assertThat(session.path("pointer").asText()).as(moved.toString()).isEqualTo(pointer);
    }
    val.ws.send("{\"type\":\"presence\",\"pointer\":\"no slash\"}");
    assertThat(nextOf(val, "problem").path("problem").path("status").asInt()).isEqualTo(400);
    val.ws.send("not json");
    assertThat(nextOf(val, "problem").path("problem").path("status").asInt()).isEqualTo(400);
    val.ws.close(1000, null);
    assertThat(nextOf(shell, "presence").path("sessions")).hasSize(1);
  }

  @Test
  void sessionsOfAServerThatDiedDisappear() throws Exception {
    create();
    Socket shell = socket(editor, "?since=1");
    assertThat(nextOf(shell, "presence").path("sessions")).hasSize(1);
    // what a server leaves behind when it is killed: its session, and no heartbeat after
    try (var repository =
        dev.cfgctl.store.jdbc.JdbcConfigRepository.open(
            jdbcUrl(), new Tunables(5, 1, 3600, 300, 100), clock)) {
      repository.enter(
          new dev.cfgctl.store.Presence(
              "s_dead",
              "n_dead",
              new dev.cfgctl.store.ConfigRef("acme", "landing"),
              new dev.cfgctl.store.Author("bob", "Bob"),
              "shell",
              "/n",
              clock.instant()),
          clock.instant());
    }
    JsonNode both = nextOf(shell, "presence");
    assertThat(both.path("sessions")).hasSize(2);
    clock.advance(Duration.ofSeconds(6));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    JsonNode now;
    do {
      now = nextOf(shell, "presence");
    } while (!(now.path("sessions").size() == 1
            && now.path("sessions").get(0).path("user").path("id").asText().equals("alice"))
        && System.nanoTime() < deadline);
    assertThat(now.path("sessions")).as(now.toString()).hasSize(1);
  }

  @Test
  void patchesOverTheSocketAreRebasedAckedOrRejected() throws Exception {
    create();
    Socket alice = socket(editor, "?since=1");
    alice.ws.send(
        "{\"type\":\"patch\",\"baseVersion\":1,\"requestId\":\"r1\","
            + "\"patch\":[{\"op\":\"add\",\"path\":\"/a\",\"value\":1}]}");
    JsonNode ack = nextOf(alice, "ack");
    assertThat(ack.path("requestId").asText()).isEqualTo("r1");
    assertThat(ack.path("version").asLong()).isEqualTo(2);
    assertThat(ack.path("rebasedFrom").isNull()).isTrue();
    JsonNode own = nextOf(alice, "revision");
    assertThat(own.path("version").asLong()).as("the sender sees its revision").isEqualTo(2);
    set(5); // version 3, someone else's
    alice.ws.send(
        "{\"type\":\"patch\",\"baseVersion\":2,\"requestId\":\"r2\","
            + "\"patch\":[{\"op\":\"add\",\"path\":\"/b\",\"value\":2}]}");
    ack = nextOf(alice, "ack");
    assertThat(ack.path("version").asLong()).isEqualTo(4);
    assertThat(ack.path("rebasedFrom").asLong()).as("disjoint edits rebase").isEqualTo(2);
    alice.ws.send(
        "{\"type\":\"patch\",\"baseVersion\":2,\"requestId\":\"r3\","
            + "\"patch\":[{\"op\":\"replace\",\"path\":\"/n\",\"value\":9}]}");
    JsonNode reject = nextOf(alice, "reject");
    assertThat(reject.path("requestId").asText()).isEqualTo("r3");
    assertThat(reject.path("problem").path("status").asInt()).isEqualTo(409);
    assertThat(reject.path("problem").path("type").asText()).isEqualTo("/problems/rebase-conflict");
    alice.ws.send("{\"type\":\"patch\",\"requestId\":\"r4\",\"patch\":[]}");
    assertThat(nextOf(alice, "reject").path("problem").path("status").asInt()).isEqualTo(400);
    alice.ws.send("{\"type\":\"patch\",\"baseVersion\":4,\"requestId\":\"r5\",\"patch\":{}}");
    assertThat(nextOf(alice, "reject").path("problem").path("type").asText())
        .isEqualTo("/problems/invalid-patch");
    Socket val = socket(viewer, "?since=4");
    val.ws.send(
        "{\"type\":\"patch\",\"baseVersion\":4,\"requestId\":\"r6\","
            + "\"patch\":[{\"op\":\"add\",\"path\":\"/c\",\"value\":3}]}");
    assertThat(nextOf(val, "reject").path("problem").path("status").asInt()).isEqualTo(403);
    String bob = s.token("bob", "acme", Role.EDITOR);
    assertThat(s.send("POST", CFG + "/lock", bob, JSON, "{\"ttlSeconds\":60}").status())
        .isEqualTo(201);
    alice.ws.send(
        "{\"type\":\"patch\",\"baseVersion\":4,\"requestId\":\"r7\","
            + "\"patch\":[{\"op\":\"add\",\"path\":\"/c\",\"value\":3}]}");
    assertThat(nextOf(alice, "reject").path("problem").path("status").asInt())
        .as("a lock rules the socket too")
        .isEqualTo(423);
    assertThat(s.send("GET", CFG, viewer, null, (String) null).json())
        .isEqualTo(Json.parse("{\"n\":5,\"a\":1,\"b\":2}"));
  }

  @Test
  void aTenantsStreamSumsUpEveryConfigsRevisions() throws Exception {
    create();
    Socket tenant = new Socket();
    tenant.ws =
        http.newWebSocket(
            new Request.Builder()
                .url(s.base.replace("http", "ws") + "/v1/tenants/acme/events")
                .header("Authorization", "Bearer " + viewer)
                .build(),
            tenant);
    assertThat(tenant.open.await(5, TimeUnit.SECONDS)).isTrue();
    closing.add(() -> tenant.ws.cancel());
    String other = "/v1/tenants/acme/configs/pricing";
    // the stream is registered once the server answered the upgrade and ran its connect handler;
    // a write racing it may or may not be told, so the test writes until the first one is
    JsonNode first = null;
    for (int i = 1; first == null && i <= 50; i++) {
      set(i);
      first = tenant.messages.poll(100, TimeUnit.MILLISECONDS);
    }
    assertThat(first).as("a summary within 5 s").isNotNull();
    assertThat(first.path("config").asText()).isEqualTo("landing");
    assertThat(first.has("patch")).as("summaries carry no patch").isFalse();
    long seen = first.path("version").asLong();
    assertThat(s.send("PUT", other, editor, JSON, "{\"p\":1}", "If-None-Match", "*").status())
        .isEqualTo(201);
    set(100);
    long current =
        Long.parseLong(s.send("GET", CFG, viewer, null, (String) null).header("Config-Version"));
    List<Long> landing = new ArrayList<>();
    boolean pricing = false;
    while (!pricing || landing.isEmpty() || landing.get(landing.size() - 1) < current) {
      JsonNode m = tenant.next();
      if (m.path("config").asText().equals("pricing")) {
        assertThat(m.path("version").asLong()).isEqualTo(1);
        pricing = true;
      } else {
        landing.add(m.path("version").asLong());
      }
    }
    for (int i = 0; i < landing.size(); i++) {
      assertThat(landing.get(i)).as("in order, none missing: " + landing).isEqualTo(seen + 1 + i);
    }
    assertThat(upgradeStatus(s.token("eve", "globex", Role.ADMIN), "/v1/tenants/acme/events"))
        .isEqualTo(404);
  }

  /** The next message of {@code type}, others skipped. */
  static JsonNode nextOf(Socket w, String type) throws InterruptedException {
    if (type.equals("presence")) {
      JsonNode m = w.presence.poll(5, TimeUnit.SECONDS);
      assertThat(m).as("a presence list within 5 s").isNotNull();
      return m;
    }
    while (true) {
      JsonNode m = w.next();
      if (m.path("type").asText().equals(type)) return m;
    }
  }

  static void assertLock(JsonNode e, String event, String holder, String by) {
    assertThat(e.path("type").asText()).as(e.toString()).isEqualTo("lock");
    assertThat(e.path("event").asText()).as(e.toString()).isEqualTo(event);
    assertThat(e.path("lock").path("holder").path("id").asText())
        .as(e.toString())
        .isEqualTo(holder);
    if (by == null) assertThat(e.path("by").isNull()).as(e.toString()).isTrue();
    else assertThat(e.path("by").path("id").asText()).as(e.toString()).isEqualTo(by);
  }

  @Test
  void refusalsComeBeforeTheUpgrade() {
    create();
    String other = s.token("eve", "globex", Role.ADMIN);
    assertThat(upgradeStatus(other, CFG + "/events")).isEqualTo(404);
    assertThat(upgradeStatus("not-a-token", CFG + "/events")).isEqualTo(401);
    assertThat(upgradeStatus(viewer, "/v1/tenants/acme/configs/nothing/events")).isEqualTo(404);
    assertThat(upgradeStatus(viewer, CFG + "/events?since=9")).isEqualTo(404);
    assertThat(upgradeStatus(viewer, CFG + "/events?since=x")).isEqualTo(400);
  }

  @Test
  void aRevokedTokenEndsTheStream() throws Exception {
    create();
    String token = s.token("tim", "acme", Role.VIEWER);
    Socket w = socket(token, "?since=1");
    String id = null;
    for (JsonNode t :
        s.send("GET", "/v1/tokens", s.adminToken, null, (String) null).json().path("items")) {
      if (t.path("user").asText().equals("tim")) id = t.path("id").asText();
    }
    assertThat(s.send("DELETE", "/v1/tokens/" + id, s.adminToken, null, (String) null).status())
        .isEqualTo(204);
    JsonNode problem = w.next();
    assertThat(problem.path("type").asText()).isEqualTo("problem");
    assertThat(problem.path("problem").path("status").asInt()).isEqualTo(401);
    assertThat(w.closed.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(w.closeCode).isEqualTo(4401);
  }

  @Test
  void writesOfAnotherStoreOnTheSameDatabaseReachTheWatchers() throws Exception {
    create();
    Socket w = socket(viewer, "?since=1");
    try (ConfigService other = openAgain(new Tunables(5, 1, 3600, 300, 100));
        TestServer second = new TestServer(other, clock, FAST)) {
      for (int i = 1; i <= 3; i++) {
        TestServer.Response r =
            second.send(
                "PATCH",
                CFG,
                editor,
                JSON_PATCH,
                "[{\"op\":\"replace\",\"path\":\"/n\",\"value\":" + i + "}]");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
      }
      for (int i = 1; i <= 3; i++) assertRevision(w.next(), i + 1, i);
    }
  }

  @Test
  void aTokenRevokedThroughOneServerIsRefusedByTheOthersAtOnce() throws Exception {
    create();
    String token = s.token("tim", "acme", Role.VIEWER);
    String id = null;
    for (JsonNode t :
        s.send("GET", "/v1/tokens", s.adminToken, null, (String) null).json().path("items")) {
      if (t.path("user").asText().equals("tim")) id = t.path("id").asText();
    }
    try (ConfigService other = openAgain(new Tunables(5, 1, 3600, 300, 100));
        TestServer second = new TestServer(other, clock, FAST)) {
      assertThat(second.send("GET", CFG, token, null, (String) null).status())
          .as("known to the second server")
          .isEqualTo(200);
      assertThat(s.send("DELETE", "/v1/tokens/" + id, s.adminToken, null, (String) null).status())
          .isEqualTo(204);
      long revoked = System.nanoTime();
      int accepted = 0;
      while (second.send("GET", CFG, token, null, (String) null).status() == 200) {
        accepted++;
        assertThat(System.nanoTime() - revoked)
            .as("still accepted after 200 ms")
            .isLessThan(TimeUnit.MILLISECONDS.toNanos(200));
      }
      assertThat(accepted).as("reads accepted after the revocation").isLessThan(50);
    }
  }

  @Test
  void serverSentEventsResumeAfterLastEventId() throws Exception {
    create();
    set(1);
    set(2);
    HttpClient client = HttpClient.newHttpClient();
    HttpRequest req =
        HttpRequest.newBuilder(URI.create(s.base + CFG + "/events"))
            .header("Authorization", "Bearer " + viewer)
            .header("Accept", "text/event-stream")
            .header("Last-Event-ID", "2")
            .build();
    HttpResponse<java.io.InputStream> r =
        client.send(req, HttpResponse.BodyHandlers.ofInputStream());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
    BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8));
    List<String> event = readEvent(in);
    assertThat(event).contains("event: revision", "id: 3");
    set(3);
    event = readEvent(in);
    assertThat(event).contains("event: revision", "id: 4");
    r.body().close();
  }

  /** The lines of the next event of a Server-Sent Events stream, pings skipped. */
  private static List<String> readEvent(BufferedReader in) throws Exception {
    while (true) {
      List<String> lines = new ArrayList<>();
      for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
        lines.add(line);
      }
      if (!lines.contains("event: ping")
          && !lines.contains("event: presence")
          && !lines.isEmpty()) {
        return lines;
      }
    }
  }

  static void assertRevision(JsonNode e, long version, int n) {
    assertThat(e).as("an event").isNotNull();
    assertThat(e.path("type").asText()).as(e.toString()).isEqualTo("revision");
    assertThat(e.path("version").asLong()).as(e.toString()).isEqualTo(version);
    assertThat(e.path("patch").get(0).path("value").asInt()).as(e.toString()).isEqualTo(n);
  }

  int upgradeStatus(String token, String path) {
    CountDownLatch done = new CountDownLatch(1);
    int[] status = {0};
    http.newWebSocket(
        new Request.Builder()
            .url(s.base.replace("http", "ws") + path)
            .header("Authorization", "Bearer " + token)
            .build(),
        new WebSocketListener() {
          @Override
          public void onOpen(WebSocket ws, Response response) {
            status[0] = 101;
            ws.close(1000, null);
            done.countDown();
          }

          @Override
          public void onFailure(WebSocket ws, Throwable t, Response response) {
            status[0] = response == null ? -1 : response.code();
            done.countDown();
          }
        });
    try {
      assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
    return status[0];
  }

  Socket socket(String token, String query) throws Exception {
    Socket w = new Socket();
    w.ws =
        http.newWebSocket(
            new Request.Builder()
                .url(s.base.replace("http", "ws") + CFG + "/events" + query)
                .header("Authorization", "Bearer " + token)
                .build(),
            w);
    assertThat(w.open.await(5, TimeUnit.SECONDS)).as("connected").isTrue();
    closing.add(() -> w.ws.cancel());
    // the server has the watcher once it is on the presence list (the upgrade's answer comes
    // before): wait for that list, and leave it to be read
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (w.presence.isEmpty() && System.nanoTime() < deadline) Thread.sleep(5);
    assertThat(w.presence).as("on the presence list").isNotEmpty();
    return w;
  }

  /** A watcher: the messages it got, pings left out, presence lists apart. */
  static final class Socket extends WebSocketListener {
    final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
    final BlockingQueue<JsonNode> presence = new LinkedBlockingQueue<>();
    final CountDownLatch open = new CountDownLatch(1);
    final CountDownLatch closed = new CountDownLatch(1);
    volatile int closeCode;
    WebSocket ws;

    @Override
    public void onOpen(WebSocket ws, Response response) {
      open.countDown();
    }

    @Override
    public void onMessage(WebSocket ws, String text) {
      JsonNode m = Json.parse(text);
      switch (m.path("type").asText()) {
        case "ping" -> {}
        case "presence" -> presence.add(m);
        default -> messages.add(m);
      }
    }

    @Override
    public void onClosing(WebSocket ws, int code, String reason) {
      closeCode = code;
      ws.close(code, null);
      closed.countDown();
    }

    @Override
    public void onFailure(WebSocket ws, Throwable t, Response response) {
      closed.countDown();
    }

    JsonNode next() throws InterruptedException {
      JsonNode m = messages.poll(5, TimeUnit.SECONDS);
      assertThat(m).as("a message within 5 s").isNotNull();
      return m;
    }

    JsonNode poll(long millis) throws InterruptedException {
      return messages.poll(millis, TimeUnit.MILLISECONDS);
    }
  }
}
