package dev.cfgctl.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cfgctl.patch.Json;
import dev.cfgctl.patch.JsonPatch;
import dev.cfgctl.patch.Patch;
import dev.cfgctl.store.Databases;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.ToIntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code java -jar target/cfgctl.jar serve} as a real process under a write load from several
 * clients, kills it with SIGKILL at a random moment (three times), restarts it on the same data and
 * checks what PRODUCT.md section 3 promises: every acknowledged write survives, nothing is
 * half-written; and that SIGTERM stops it gracefully. On SQLite (the data directory) and PostgreSQL
 * (a fresh schema).
 *
 * <p>Every write carries a value unique to it ({@code c3-17}: client 3's 17th write), so the
 * checker can tell each revision's write apart: a patch appends the value to {@code /log} and sets
 * {@code /last} to it in one patch, and a create starts {@code {"log":[],"last":value}}.
 */
class ServerCrashIT {
  private static final int CLIENTS = 6;
  private static final int CONFIGS = 3;
  private static final int KILLS = 3;
  private static final String CONFIG_PATH = "/v1/tenants/acme/configs/";
  private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+)");

  @TempDir Path work;

  private final Random random = new Random();
  private final List<Process> started = new ArrayList<>();
  private final int[] seq = new int[CLIENTS];
  private final Map<Integer, String> tokens = new HashMap<>();

  /**
   * Revisions already fetched, per config, by version - 1: history does not change once written.
   */
  private final Map<String, List<JsonNode>> revisions = new HashMap<>();

  private Path jar;

  /** What the clients sent and what the servers answered, across all restarts. */
  private static final class Ledger {
    final Set<String> sent = ConcurrentHashMap.newKeySet();
    final Queue<Ack> acks = new ConcurrentLinkedQueue<>();
    final Set<String> refused = ConcurrentHashMap.newKeySet();
    final Queue<String> unexpected = new ConcurrentLinkedQueue<>();
  }

  /** A write the server acknowledged: the value it carried went into {@code version} of config. */
  private record Ack(String config, long version, String value) {}

  private record Response(int status, java.net.http.HttpHeaders headers, String body) {
    JsonNode json() {
      return Json.parse(body);
    }

    long version() {
      return Long.parseLong(headers.firstValue("Config-Version").orElseThrow());
    }

    @Override
    public String toString() {
      return status + " " + body;
    }
  }

  @BeforeEach
  void findJar() throws URISyntaxException {
    Path testClasses =
        Path.of(ServerCrashIT.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    jar = testClasses.getParent().resolve("cfgctl.jar");
    assertThat(jar).as("the jar `mvn package` builds (failsafe runs after it)").isRegularFile();
    long seed = System.nanoTime();
    random.setSeed(seed);
    System.out.println("ServerCrashIT seed " + seed);
  }

  @AfterEach
  void killLeftovers() {
    started.forEach(Process::destroyForcibly);
  }

  @Test
  void sqliteKeepsEveryAcknowledgedWriteThroughKillsDuringTheLoad() throws Exception {
    killsDuringTheLoadLoseNothing(null);
  }

  @Test
  void postgresKeepsEveryAcknowledgedWriteThroughKillsDuringTheLoad() throws Exception {
    killsDuringTheLoadLoseNothing(Databases.freshPostgresSchema());
  }

  @Test
  void sqliteSigtermFinishesOrRefusesWritesInFlightAndExitsZero() throws Exception {
    sigtermFinishesOrRefusesWritesInFlight(null);
  }

  @Test
  void postgresSigtermFinishesOrRefusesWritesInFlightAndExitsZero() throws Exception {
    sigtermFinishesOrRefusesWritesInFlight(Databases.freshPostgresSchema());
  }

  private void killsDuringTheLoadLoseNothing(String db) throws Exception {
    Ledger ledger = new Ledger();
    Server server = firstStart(db, ledger);
    for (int kill = 1; kill <= KILLS; kill++) {
      int exit = runLoad(server, ledger, 500 + random.nextInt(1500), Server::kill);
      assertThat(exit).as("exit status of the killed server (128 + SIGKILL)").isEqualTo(137);
      server = new Server(db);
      verify(server, ledger);
    }
    assertThat(ledger.acks).as("acknowledged writes over %d kills", KILLS).hasSizeGreaterThan(30);
    acceptsANewWrite(server);
    server.kill();
  }

  private void sigtermFinishesOrRefusesWritesInFlight(String db) throws Exception {
    Ledger ledger = new Ledger();
    Server server = firstStart(db, ledger);
    int exit = runLoad(server, ledger, 300 + random.nextInt(1200), Server::terminate);
    assertThat(exit).as("exit status after SIGTERM; log:%n%s", server.log()).isZero();
    assertThat(server.log()).contains("cfgctl serve: stopping");
    server = new Server(db);
    verify(server, ledger);
    assertThat(ledger.acks).as("acknowledged writes before SIGTERM").hasSizeGreaterThan(10);
    acceptsANewWrite(server);
    server.kill();
  }

  /**
   * Starts on empty data, makes one editor token per client through the API and the base configs.
   */
  private Server firstStart(String db, Ledger ledger) throws Exception {
    Server server = new Server(db);
    String admin = Files.readString(work.resolve("data/admin.token")).trim();
    for (int c = 0; c < CLIENTS; c++) {
      Response r =
          server.send(
              "POST",
              "/v1/tokens",
              admin,
              "application/json",
              "{\"user\":\"c" + c + "\",\"tenant\":\"acme\",\"role\":\"editor\"}");
      assertThat(r.status).as("creating a token: %s", r).isEqualTo(201);
      tokens.put(c, r.json().get("token").asText());
    }
    for (int i = 0; i < CONFIGS; i++) {
      String value = "c0-base" + i;
      ledger.sent.add(value);
      Response r =
          server.send(
              "PUT",
              CONFIG_PATH + "base" + i,
              tokens.get(0),
              "application/json",
              created(value),
              "If-None-Match",
              "*");
      assertThat(r.status).as("creating base%d: %s", i, r).isEqualTo(201);
      ledger.acks.add(new Ack("base" + i, 1, value));
    }
    return server;
  }

  /**
   * Runs the clients against {@code server} until {@code stop} (a kill or SIGTERM) ends it after
   * {@code millis}; returns the server's exit status.
   */
  private int runLoad(Server server, Ledger ledger, int millis, ToIntFunction<Server> stop)
      throws InterruptedException {
    AtomicBoolean running = new AtomicBoolean(true);
    List<Thread> clients = new ArrayList<>();
    for (int c = 0; c < CLIENTS; c++) {
      int client = c;
      Thread t =
          new Thread(
              () -> {
                while (running.get()) write(server, ledger, client);
              },
              "crash-client-" + c);
      t.start();
      clients.add(t);
    }
    Thread.sleep(millis);
    int exit = stop.applyAsInt(server);
    running.set(false);
    for (Thread t : clients) t.join();
    return exit;
  }

  /** One write of {@code client}: mostly patches of a base config, every 20th a create. */
  private void write(Server server, Ledger ledger, int client) {
    int n = ++seq[client];
    String value = "c" + client + "-" + n;
    boolean create = n % 20 == 0;
    String config = create ? "new-" + value : "base" + random.nextInt(CONFIGS);
    ledger.sent.add(value);
    try {
      Response r =
          create
              ? server.send(
                  "PUT",
                  CONFIG_PATH + config,
                  tokens.get(client),
                  "application/json",
                  created(value),
                  "If-None-Match",
                  "*")
              : server.send(
                  "PATCH",
                  CONFIG_PATH + config,
                  tokens.get(client),
                  "application/json-patch+json",
                  patch(value));
      if (r.status == (create ? 201 : 200)) {
        ledger.acks.add(new Ack(config, r.version(), value));
      } else if (r.status == 503) {
        ledger.refused.add(value);
      } else {
        ledger.unexpected.add(value + ": " + r);
      }
    } catch (IOException e) {
      // the server died under it or is not listening (yet): the write may or may not be there
      sleep(5);
    }
  }

  private static String created(String value) {
    return "{\"log\":[],\"last\":\"" + value + "\"}";
  }

  private static String patch(String value) {
    return "[{\"op\":\"add\",\"path\":\"/log/-\",\"value\":\""
        + value
        + "\"},"
        + "{\"op\":\"replace\",\"path\":\"/last\",\"value\":\""
        + value
        + "\"}]";
  }

  /**
   * Checks the restarted server: each config readable, its versions 1..current all in history, its
   * document equal to replaying them from version 1 and to the writes its log names (so no write is
   * half there); every value written at most once and by the client that sent it; every
   * acknowledged write at its version; nothing refused with 503 written; no other answer than
   * 200/201/503.
   */
  private void verify(Server server, Ledger ledger) throws Exception {
    String token = tokens.get(0);
    Map<String, List<String>> valuesByVersion = new HashMap<>();
    Set<String> seen = new HashSet<>();
    for (String name : server.configNames(token)) {
      Response current = server.send("GET", CONFIG_PATH + name, token, null, null);
      assertThat(current.status).as("GET %s after the restart: %s", name, current).isEqualTo(200);
      long version = current.version();
      JsonNode content = current.json();
      assertThat(server.historyVersions(name, token))
          .as("versions in the history of %s", name)
          .isEqualTo(LongStream.rangeClosed(1, version).boxed().toList());

      List<JsonNode> revs = revisions.computeIfAbsent(name, k -> new ArrayList<>());
      for (long v = revs.size() + 1; v <= version; v++) {
        Response r = server.send("GET", CONFIG_PATH + name + "/revisions/" + v, token, null, null);
        assertThat(r.status).as("revision %d of %s: %s", v, name, r).isEqualTo(200);
        revs.add(r.json());
      }
      long probe = 1 + random.nextInt((int) version);
      JsonNode replayed = Json.NODES.nullNode();
      JsonNode atProbe = null;
      for (long v = 1; v <= version; v++) {
        replayed =
            JsonPatch.apply(replayed, Patch.fromJson(revs.get((int) v - 1).get("patch")))
                .document();
        if (v == probe) atProbe = replayed;
      }
      assertThat(replayed).as("%s replayed from version 1 to %d", name, version).isEqualTo(content);
      Response old =
          server.send("GET", CONFIG_PATH + name + "?version=" + probe, token, null, null);
      assertThat(old.json()).as("%s at version %d", name, probe).isEqualTo(atProbe);

      List<String> values = new ArrayList<>();
      values.add(revs.get(0).get("patch").get(0).get("value").get("last").asText());
      content.get("log").forEach(v -> values.add(v.asText()));
      assertThat(values).as("values of %s, one a version", name).hasSize((int) version);
      assertThat(content.get("last").asText())
          .as("/last of %s", name)
          .isEqualTo(values.get(values.size() - 1));
      for (int i = 0; i < values.size(); i++) {
        String value = values.get(i);
        JsonNode rev = revs.get(i);
        assertThat(ledger.sent).as("values sent (found in %s)", name).contains(value);
        assertThat(seen.add(value)).as("%s written once, found again in %s", value, name).isTrue();
        assertThat(rev.get("author").get("id").asText())
            .as("author of %s v%d", name, i + 1)
            .isEqualTo(value.substring(0, value.indexOf('-')));
        assertThat(rev.get("kind").asText())
            .as("kind of %s v%d", name, i + 1)
            .isEqualTo(i == 0 ? "create" : "patch");
        if (i > 0) {
          assertThat(rev.get("patch"))
              .as("patch of %s v%d", name, i + 1)
              .isEqualTo(Json.parse(patch(value)));
        }
      }
      valuesByVersion.put(name, values);
    }
    for (Ack ack : ledger.acks) {
      List<String> values = valuesByVersion.get(ack.config);
      assertThat(values).as("config %s of an acknowledged write", ack.config).isNotNull();
      assertThat(values.size())
          .as("current version of %s, acknowledged %s", ack.config, ack)
          .isGreaterThanOrEqualTo((int) ack.version);
      assertThat(values.get((int) ack.version - 1))
          .as("value at version %d of %s", ack.version, ack.config)
          .isEqualTo(ack.value);
    }
    assertThat(ledger.refused)
        .as("writes refused with 503, none of them written")
        .doesNotContainAnyElementsOf(seen);
    assertThat(ledger.unexpected).as("answers other than 200, 201 and 503").isEmpty();
    System.out.printf(
        "ServerCrashIT: %d acknowledged, %d written, %d refused, %d sent%n",
        ledger.acks.size(), seen.size(), ledger.refused.size(), ledger.sent.size());
  }

  private void acceptsANewWrite(Server server) throws Exception {
    Response before = server.send("GET", CONFIG_PATH + "base0", tokens.get(1), null, null);
    Response r =
        server.send(
            "PATCH",
            CONFIG_PATH + "base0",
            tokens.get(1),
            "application/json-patch+json",
            patch("c1-after"),
            "If-Match",
            "\"" + before.version() + "\"");
    assertThat(r.status).as("a write after the restart: %s", r).isEqualTo(200);
    assertThat(r.version()).isEqualTo(before.version() + 1);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** One {@code cfgctl serve} process on this test's data, and a client for it. */
  private final class Server {
    private final Process process;
    private final Path log;
    private final String base;
    private final HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    Server(String db) throws IOException, InterruptedException {
      List<String> command =
          new ArrayList<>(
              List.of(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-jar",
                  jar.toString(),
                  "serve",
                  "--listen",
                  "127.0.0.1:0",
                  "--data-dir",
                  work.resolve("data").toString(),
                  "--retention",
                  "1000000"));
      if (db != null) command.addAll(List.of("--db", db));
      log = Files.createTempFile(work, "serve", ".log");
      process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      started.add(process);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      Matcher m = LISTENING.matcher("");
      while (!m.reset(log()).find()) {
        assertThat(process.isAlive()).as("cfgctl serve is running; its log:%n%s", log()).isTrue();
        assertThat(System.nanoTime()).as("cfgctl serve listening within 60 s").isLessThan(deadline);
        Thread.sleep(50);
      }
      base = m.group(1);
    }

    String log() {
      try {
        return Files.readString(log);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }

    /** SIGKILL (Process.destroyForcibly on Linux); the exit status. */
    int kill() {
      return stop(process.destroyForcibly());
    }

    /** SIGTERM (Process.destroy on Linux); the exit status. */
    int terminate() {
      process.destroy();
      return stop(process);
    }

    private int stop(Process p) {
      try {
        assertThat(p.waitFor(60, TimeUnit.SECONDS))
            .as("the server ended; log:%n%s", log())
            .isTrue();
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
      return p.exitValue();
    }

    Response send(
        String method, String path, String token, String type, String body, String... headers)
        throws IOException {
      HttpRequest.Builder b =
          HttpRequest.newBuilder(URI.create(base + path))
              .timeout(Duration.ofSeconds(30))
              .method(
                  method,
                  body == null
                      ? HttpRequest.BodyPublishers.noBody()
                      : HttpRequest.BodyPublishers.ofString(body));
      b.header("Authorization", "Bearer " + token);
      if (type != null) b.header("Content-Type", type);
      for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
      try {
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Response(r.statusCode(), r.headers(), r.body());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
    }

    List<String> configNames(String token) throws IOException {
      List<String> names = new ArrayList<>();
      String after = null;
      do {
        Response r =
            send(
                "GET",
                "/v1/tenants/acme/configs?limit=1000" + (after == null ? "" : "&after=" + after),
                token,
                null,
                null);
        assertThat(r.status).as("listing configs: %s", r).isEqualTo(200);
        r.json().get("items").forEach(i -> names.add(i.get("name").asText()));
        after = r.json().get("next").isNull() ? null : r.json().get("next").asText();
      } while (after != null);
      return names;
    }

    /** The versions history lists, oldest first. */
    List<Long> historyVersions(String name, String token) throws IOException {
      List<Long> versions = new ArrayList<>();
      String before = null;
      do {
        Response r =
            send(
                "GET",
                CONFIG_PATH
                    + name
                    + "/history?limit=1000"
                    + (before == null ? "" : "&before=" + before),
                token,
                null,
                null);
        assertThat(r.status).as("history of %s: %s", name, r).isEqualTo(200);
        r.json().get("items").forEach(i -> versions.add(0, i.get("version").asLong()));
        before = r.json().get("next").isNull() ? null : r.json().get("next").asText();
      } while (before != null);
      return versions;
    }
  }
}
