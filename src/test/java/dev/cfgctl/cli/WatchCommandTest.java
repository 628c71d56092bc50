package dev.cfgctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cfgctl.app.ChangeFeed;
import dev.cfgctl.app.ConfigService;
import dev.cfgctl.app.Stores;
import dev.cfgctl.patch.Json;
import dev.cfgctl.patch.Patch;
import dev.cfgctl.server.ConfigServer;
import dev.cfgctl.server.TestServer;
import dev.cfgctl.store.ConfigRef;
import dev.cfgctl.store.ConfigStore;
import dev.cfgctl.store.ConfigStore.Write;
import dev.cfgctl.store.Lock;
import dev.cfgctl.store.Principal;
import dev.cfgctl.store.Role;
import dev.cfgctl.store.TestClock;
import dev.cfgctl.store.Tunables;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cfgctl watch} run in-process while others write: on the embedded store (the writes made by
 * another store instance on the same file, as another cfgctl process would) and against a real
 * server, across a restart of the server on the same port.
 */
class WatchCommandTest {
  static final Duration WAIT = Duration.ofSeconds(20);
  static final ConfigRef REF = new ConfigRef("acme", "landing");
  static final Principal ALICE = new Principal("alice", "Alice Liddell", "acme", Role.EDITOR);
  static final String AT = "at 2026-11-28T10:00:00.000Z";
  static final ChangeFeed.Settings FAST =
      new ChangeFeed.Settings(
          Duration.ofMillis(500), Duration.ofSeconds(2), Duration.ofMillis(200));

  @TempDir Path tmp;
  final TestClock clock = new TestClock();

  // ---------------------------------------------------------------- the embedded store

  CliRunner embedded() {
    return new CliRunner(tmp)
        .env(
            Map.of(
                "XDG_DATA_HOME",
                tmp.resolve("data").toString(),
                "XDG_CONFIG_HOME",
                tmp.resolve("config").toString()));
  }

  /** Another store on the file the command line uses: another cfgctl process. */
  ConfigService otherProcess() {
    return Stores.sqlite(tmp.resolve("data/cfgctl/cfgctl.db"), Tunables.DEFAULT, clock);
  }

  static Patch replace(String path, String value) {
    return Patch.fromJson(
        Json.parse("[{\"op\":\"replace\",\"path\":\"" + path + "\",\"value\":" + value + "}]"));
  }

  static void create(ConfigService store) {
    store.create(
        ALICE,
        REF,
        Json.parse("{\"title\":\"Spring\",\"theme\":{\"color\":\"blue\"}}"),
        Write.PLAIN);
  }

  @Test
  void whoShowsTheLockAndEverySessionWithWhatItLooksAt() throws Exception {
    ConfigService store = Stores.sqlite(tmp.resolve("server/cfgctl.db"), Tunables.DEFAULT, clock);
    try (TestServer s = new TestServer(store, clock, FAST)) {
      create(store);
      String tim = s.token("tim", "acme", Role.EDITOR);
      CliRunner cli = remote(s.base, tim);
      assertThat(cli.run("who", "acme/landing").out())
          .isEqualTo(lines("acme/landing is not locked", "no one is connected"));
      store.acquire(
          ALICE, REF, new ConfigStore.LockRequest(60L, "shell", "spring sale", false, null));
      okhttp3.OkHttpClient http = new okhttp3.OkHttpClient();
      java.util.concurrent.CountDownLatch open = new java.util.concurrent.CountDownLatch(1);
      okhttp3.WebSocket ws =
          http.newWebSocket(
              new okhttp3.Request.Builder()
                  .url(
                      s.base.replace("http", "ws")
                          + "/v1/tenants/acme/configs/landing/events?client=shell")
                  .header("Authorization", "Bearer " + tim)
                  .build(),
              new okhttp3.WebSocketListener() {
                @Override
                public void onOpen(okhttp3.WebSocket w, okhttp3.Response r) {
                  open.countDown();
                }
              });
      try {
        assertThat(open.await(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        ws.send("{\"type\":\"presence\",\"pointer\":\"/title\"}");
        CliRunner.Result r = cli.run("who", "acme/landing");
        for (int i = 0; i < 50 && !r.out().contains("/title"); i++) { // the move is written soon
          Thread.sleep(100);
          r = cli.run("who", "acme/landing");
        }
        String[] out = r.out().split("\n");
        assertThat(out[0]) // "expires in" counts by this process's clock, the server's is fixed
            .as(r.describe())
            .startsWith(
                "Alice Liddell (shell) has held acme/landing since 2026-11-28T10:00:00.000Z;")
            .endsWith("(fence 1, note: spring sale)");
        assertThat(Arrays.copyOfRange(out, 1, out.length))
            .as(r.describe())
            .containsExactly(
                "1 session:",
                "USER  CLIENT  LOOKING AT  SINCE",
                "tim   shell   /title      2026-11-28T10:00:00.000Z");
        JsonNode json = Json.parse(cli.run("who", "acme/landing", "-o", "json").out());
        assertThat(json.path("sessions").get(0).path("pointer").asText()).isEqualTo("/title");
        assertThat(json.path("lock").has("id")).as("the lock id stays its holder's").isFalse();
      } finally {
        ws.cancel();
        http.dispatcher().executorService().shutdown();
      }
    }
  }

  @Test
  void lockEventsArePrintedAndAScriptCanWaitForARelease() throws Exception {
    CliRunner cli = embedded();
    // locks expire by the clock: this process runs on the command line's, the real one
    try (ConfigService other =
        Stores.sqlite(
            tmp.resolve("data/cfgctl/cfgctl.db"), Tunables.DEFAULT, java.time.Clock.systemUTC())) {
      create(other);
      Lock lock =
          other.acquire(
              ALICE, REF, new ConfigStore.LockRequest(60L, "shell", "spring sale", false, null));
      CliRunner.Running watch =
          cli.start("watch", "acme/landing", "--since", "1", "--exit-on", "released");
      watch.awaitOut("held by", WAIT);
      other.release(ALICE, REF, lock.id());
      CliRunner.Result r = watch.await(WAIT);
      assertThat(r.exit()).as(r.describe()).isZero();
      assertThat(r.out().split("\n"))
          .as(r.describe())
          .satisfiesExactly(
              held ->
                  assertThat(held)
                      .matches(
                          "acme/landing lock held by Alice Liddell at \\S+ — spring sale, until"
                              + " \\S+"),
              released ->
                  assertThat(released)
                      .matches(
                          "acme/landing lock released by Alice Liddell at \\S+ — spring sale"));
    }
  }

  @Test
  void onTheEmbeddedStoreItPrintsTheWritesOfAnotherProcessAsTheyHappen() throws Exception {
    CliRunner cli = embedded();
    try (ConfigService other = otherProcess()) {
      create(other);
      CliRunner.Running watch = cli.start("watch", "acme/landing", "--exit-on", "deleted");
      watch.awaitOut("acme/landing@1 snapshot (43 bytes)\n", WAIT);
      other.patch(
          ALICE, REF, replace("/title", "\"Summer\""), 1L, new Write(null, "summer", false));
      watch.awaitOut("@2 patch by Alice Liddell " + AT + ": /title — summer\n", WAIT);
      other.patch(ALICE, REF, replace("/theme/color", "\"red\""), 2L, Write.PLAIN);
      other.delete(ALICE, REF, 3, Write.PLAIN);
      CliRunner.Result r = watch.await(WAIT);
      assertThat(r.exit()).as(r.describe()).isZero();
      assertThat(r.out())
          .as(r.describe())
          .isEqualTo(
              lines(
                  "acme/landing@1 snapshot (43 bytes)",
                  "acme/landing@2 patch by Alice Liddell " + AT + ": /title — summer",
                  "acme/landing@3 patch by Alice Liddell " + AT + ": /theme/color",
                  "acme/landing@4 deleted by Alice Liddell " + AT));
      assertThat(r.err()).isEmpty();
    }
  }

  @Test
  void pointerKeepsTheRevisionsThatChangeItsSubtreeAndJsonlPrintsTheEvents() throws Exception {
    CliRunner cli = embedded();
    try (ConfigService other = otherProcess()) {
      create(other);
      other.patch(ALICE, REF, replace("/title", "\"Summer\""), 1L, Write.PLAIN); // 2: not it
      other.patch(ALICE, REF, replace("/theme/color", "\"red\""), 2L, Write.PLAIN); // 3: under it
      other.patch(ALICE, REF, replace("/theme", "{\"color\":\"tan\"}"), 3L, Write.PLAIN); // 4: it
      other.patch(
          ALICE,
          REF,
          Patch.fromJson(Json.parse("[{\"op\":\"add\",\"path\":\"/themes\",\"value\":1}]")),
          4L,
          Write.PLAIN); // 5: a sibling whose name starts the same: not it
      CliRunner.Running watch =
          cli.start(
              "watch",
              "acme/landing",
              "--since",
              "1",
              "--pointer",
              "/theme/color",
              "-o",
              "jsonl",
              "--exit-on",
              "undeleted");
      watch.awaitOut("\"version\":4", WAIT); // history first
      other.patch(ALICE, REF, replace("", "{\"title\":\"x\"}"), 5L, Write.PLAIN); // 6: the root
      other.delete(ALICE, REF, 6, Write.PLAIN); // 7: deletes are always shown
      other.undo(ALICE, REF, false, 1, 7L, Write.PLAIN); // 8: so are undeletes
      CliRunner.Result r = watch.await(WAIT);
      assertThat(r.exit()).as(r.describe()).isZero();
      List<JsonNode> events = Arrays.stream(r.out().split("\n")).map(Json::parse).toList();
      assertThat(events.stream().map(e -> e.path("type").asText() + "@" + e.path("version")))
          .as(r.describe())
          .containsExactly("revision@3", "revision@4", "revision@6", "deleted@7", "undeleted@8");
      assertThat(events.get(0).path("paths").get(0).asText()).isEqualTo("/theme/color");
      assertThat(events.get(0).path("author").path("name").asText()).isEqualTo("Alice Liddell");
      assertThat(events.get(0).path("patch").get(0).path("value").asText()).isEqualTo("red");
    }
  }

  @Test
  void refusalsHaveTheUsualExitCodes() {
    CliRunner cli = embedded();
    try (ConfigService other = otherProcess()) {
      create(other);
    }
    assertThat(cli.fails(ExitCode.NOT_FOUND, "watch", "acme/nothing").err())
        .startsWith("cfgctl: ")
        .contains("acme/nothing");
    assertThat(cli.fails(ExitCode.NOT_FOUND, "watch", "acme/landing", "--since", "9").err())
        .contains("has no version 9");
    CliRunner.Result json = cli.run("watch", "acme/landing", "-o", "json");
    assertThat(json.exit()).as(json.describe()).isEqualTo(ExitCode.USAGE);
    assertThat(Json.parse(json.err()).path("detail").asText())
        .contains("watch prints a stream: -o text or jsonl, not 'json'");
    assertThat(cli.fails(ExitCode.USAGE, "watch", "acme/landing", "--exit-on", "lock").err())
        .contains(
            "--exit-on takes revision, deleted, undeleted, snapshot, held, acquired, extended,"
                + " released, expired, taken-over, force-released, not 'lock'");
    assertThat(cli.fails(ExitCode.USAGE, "watch", "acme/landing", "--pointer", "title").err())
        .contains("--pointer: pointer \"title\" must be empty or start with /");
    assertThat(cli.fails(ExitCode.USAGE, "watch", "acme/landing@1").err())
        .contains("watch follows the current version; drop @1")
        .contains("hint: to start after version 1: --since 1");
  }

  // ---------------------------------------------------------------- a server

  CliRunner remote(String server, String token) {
    return new CliRunner(tmp)
        .env(
            Map.of(
                "CFGCTL_SERVER",
                server,
                "CFGCTL_TOKEN",
                token,
                "XDG_CONFIG_HOME",
                tmp.resolve("config").toString()));
  }

  static void patch(TestServer s, String token, String value) {
    TestServer.Response r =
        s.send(
            "PATCH",
            "/v1/tenants/acme/configs/landing",
            token,
            "application/json-patch+json",
            "[{\"op\":\"replace\",\"path\":\"/title\",\"value\":\"" + value + "\"}]");
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
  }

  @Test
  void acrossAServerRestartEveryRevisionIsPrintedOnceInOrder() throws Exception {
    ConfigService store = Stores.sqlite(tmp.resolve("server/cfgctl.db"), Tunables.DEFAULT, clock);
    TestServer first = new TestServer(store, clock, FAST);
    ConfigServer second = null;
    try {
      String token = first.token(ALICE);
      create(store);
      patch(first, token, "v2");
      CliRunner.Running watch =
          remote(first.base, token)
              .start("watch", "acme/landing", "--since", "1", "--exit-on", "deleted");
      String line = "acme/landing@%d patch by Alice Liddell " + AT + ": /title";
      watch.awaitOut(String.format(line, 2) + "\n", WAIT); // from history
      patch(first, token, "v3");
      watch.awaitOut(String.format(line, 3) + "\n", WAIT); // live

      int port = first.server.port();
      first.server.stop(5_000);
      store.patch(ALICE, REF, replace("/title", "\"v4\""), 3L, Write.PLAIN); // while it is down
      store.patch(ALICE, REF, replace("/title", "\"v5\""), 4L, Write.PLAIN);
      Thread.sleep(500); // long enough for the watcher to find nobody at the port, and retry
      second =
          new ConfigServer(
                  store,
                  TestServer.UNLIMITED_RATES,
                  FAST,
                  clock,
                  new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                  "test")
              .start("127.0.0.1", port);
      watch.awaitOut(String.format(line, 5) + "\n", WAIT);
      patch(first, token, "v6"); // the same address: the new server
      assertThat(
              first
                  .send(
                      "DELETE",
                      "/v1/tenants/acme/configs/landing",
                      token,
                      null,
                      (String) null,
                      "If-Match",
                      "\"6\"")
                  .status())
          .isEqualTo(204);

      CliRunner.Result r = watch.await(WAIT);
      assertThat(r.exit()).as(r.describe()).isZero();
      assertThat(r.out())
          .as(r.describe())
          .isEqualTo(
              lines(
                  String.format(line, 2),
                  String.format(line, 3),
                  String.format(line, 4),
                  String.format(line, 5),
                  String.format(line, 6),
                  "acme/landing@7 deleted by Alice Liddell " + AT));
      // a note per connection lost (how many depends on when a retry meets the stopping server)
      assertThat(r.err().split("\n"))
          .as(r.describe())
          .isNotEmpty()
          .allMatch(
              l ->
                  l.startsWith("cfgctl: lost the change stream of acme/landing (")
                      && l.endsWith("); reconnecting to resume after version 3"));
    } finally {
      if (second != null) second.stop(5_000);
      first.close(); // and the store
    }
  }

  @Test
  void overAServerRefusalsAndARevokedTokenEndTheCommand() throws Exception {
    int free;
    try (ServerSocket socket = new ServerSocket(0)) {
      free = socket.getLocalPort();
    }
    assertThat(
            remote("http://127.0.0.1:" + free, "cfgctl_x")
                .fails(ExitCode.UNAVAILABLE, "watch", "acme/landing")
                .err())
        .startsWith("cfgctl: cannot reach http://127.0.0.1:" + free + " for GET ")
        .contains(": connection refused (3 attempts)");

    ConfigService store = Stores.sqlite(tmp.resolve("server/cfgctl.db"), Tunables.DEFAULT, clock);
    try (TestServer s = new TestServer(store, clock, FAST)) {
      create(store);
      String tim = s.token("tim", "acme", Role.VIEWER);
      CliRunner cli = remote(s.base, tim);
      assertThat(cli.fails(ExitCode.NOT_FOUND, "watch", "acme/nothing").err())
          .isEqualTo("cfgctl: config acme/nothing not found\n");
      assertThat(cli.fails(ExitCode.NOT_FOUND, "watch", "acme/landing", "--since", "9").err())
          .contains("acme/landing has no version 9 (its latest is 1)");
      remote(s.base, "cfgctl_nonsense").fails(ExitCode.DENIED, "watch", "acme/landing");

      CliRunner.Running watch = cli.start("watch", "acme/landing", "-o", "jsonl");
      watch.awaitOut(
          "\"type\":\"snapshot\",\"version\":1,\"deleted\":false,\"content\":"
              + "{\"title\":\"Spring\",\"theme\":{\"color\":\"blue\"}}}\n",
          WAIT);
      String id = null;
      for (JsonNode t :
          s.send("GET", "/v1/tokens", s.adminToken, null, (String) null).json().path("items")) {
        if (t.path("user").asText().equals("tim")) id = t.path("id").asText();
      }
      assertThat(s.send("DELETE", "/v1/tokens/" + id, s.adminToken, null, (String) null).status())
          .isEqualTo(204);
      CliRunner.Result r = watch.await(WAIT);
      assertThat(r.exit()).as(r.describe()).isEqualTo(ExitCode.DENIED);
      // with -o jsonl the error is a problem object on stderr, as for every command
      assertThat(Json.parse(r.err()).path("type").asText()).isEqualTo("/problems/unauthorized");
      assertThat(r.out())
          .isEqualTo(
              "{\"type\":\"snapshot\",\"version\":1,\"deleted\":false,\"content\":"
                  + "{\"title\":\"Spring\",\"theme\":{\"color\":\"blue\"}}}\n");
    }
  }

  static String lines(String... lines) {
    return String.join("\n", lines) + "\n";
  }
}
