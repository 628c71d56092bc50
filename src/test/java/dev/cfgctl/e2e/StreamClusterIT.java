package dev.cfgctl.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cfgctl.patch.Json;
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
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two {@code cfgctl serve} processes on one PostgreSQL, writers on both, watchers on both that
 * disconnect and reconnect at random (resuming with {@code since}): every watcher gets every
 * version exactly once, in order. Halfway, node B is killed with SIGKILL: its watchers move to node
 * A and lose nothing, and node B's sessions drop off node A's presence list within seconds.
 */
class StreamClusterIT {
  private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+)");
  private static final String CFG = "/v1/tenants/acme/configs/hot";
  private static final int WRITES_PER_NODE = 120;

  @TempDir Path work;
  private final List<Process> started = new ArrayList<>();
  private final OkHttpClient ws = new OkHttpClient.Builder().readTimeout(Duration.ZERO).build();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final Random random = new Random();
  private volatile String nodeB;

  @AfterEach
  void stop() {
    started.forEach(Process::destroyForcibly);
    ws.dispatcher().executorService().shutdown();
  }

  @Test
  void everyWatcherOnEveryNodeGetsEveryVersionOnceThroughReconnectsAndAKill() throws Exception {
    long seed = System.nanoTime();
    random.setSeed(seed);
    System.out.println("StreamClusterIT seed " + seed);
    String db = Databases.freshPostgresSchema();
    String a = serve("a", db);
    String admin = Files.readString(work.resolve("a/admin.token")).trim();
    String b = serve("b", db);
    nodeB = b;
    String editor = token(a, admin, "writer", "editor");
    String viewer = token(a, admin, "watcher", "viewer");
    assertThat(send(a, "PUT", CFG, editor, "{\"n\":0}", "If-None-Match", "*").statusCode())
        .isEqualTo(201);

    List<Watcher> watchers = new ArrayList<>();
    for (int i = 0; i < 3; i++) watchers.add(new Watcher(viewer, List.of(a), "w" + i));
    for (int i = 3; i < 6; i++) watchers.add(new Watcher(viewer, List.of(b, a), "w" + i));
    Watcher observer = new Watcher(viewer, List.of(a), "observer"); // never reconnects at random
    observer.steady = true;
    watchers.forEach(Watcher::start);
    observer.start();

    AtomicBoolean bAlive = new AtomicBoolean(true);
    Thread writerA = writer(a, editor, () -> true);
    Thread writerB = writer(b, editor, bAlive::get);
    Thread.sleep(1500);
    started.get(1).destroyForcibly().waitFor(10, TimeUnit.SECONDS); // node B dies
    bAlive.set(false);
    long killedAt = System.nanoTime();
    writerA.join(120_000);
    writerB.join(120_000);

    long latest =
        Long.parseLong(
            send(a, "GET", CFG, viewer, null).headers().firstValue("Config-Version").orElseThrow());
    assertThat(latest).as("writes went through").isGreaterThan(WRITES_PER_NODE);
    for (Watcher w : watchers) w.awaitVersion(latest, 60);
    observer.awaitVersion(latest, 60);
    for (Watcher w : watchers) {
      assertThat(w.problems).as(w.name + " saw no gap, repeat or disorder").isEmpty();
      assertThat(w.last).isEqualTo(latest);
      assertThat(w.reconnects).as(w.name + " reconnected").isGreaterThan(0);
    }
    // node B's sessions (clients w3-on-b …) are gone from node A's list: it died without
    // taking them off, and stopped saying they are alive
    long deadline = killedAt + TimeUnit.SECONDS.toNanos(15);
    while (observer.lastPresence.toString().contains("-on-b") && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertThat(observer.sawNodeB)
        .as(
            "node A listed node B's sessions while B lived (%d lists, the last %s; B's log:%n%s)",
            observer.presences, observer.lastPresence, Files.readString(work.resolve("b.log")))
        .isTrue();
    assertThat(observer.lastPresence.toString())
        .as("the dead node's sessions left the presence list within 15 s")
        .doesNotContain("-on-b");
    watchers.forEach(Watcher::stop);
    observer.stop();
  }

  /** Patches {@code /n} through {@code node} until it has written its share or the node died. */
  private Thread writer(String node, String token, java.util.function.BooleanSupplier alive) {
    Thread t =
        new Thread(
            () -> {
              for (int i = 0; i < WRITES_PER_NODE && alive.getAsBoolean(); i++) {
                try {
                  send(
                      node,
                      "PATCH",
                      CFG,
                      token,
                      "[{\"op\":\"replace\",\"path\":\"/n\",\"value\":" + i + "}]",
                      "If-Match",
                      "*");
                } catch (IOException e) {
                  if (alive.getAsBoolean()) throw new AssertionError(e);
                } catch (InterruptedException e) {
                  return;
                }
              }
            });
    t.start();
    return t;
  }

  /**
   * A watcher that drops its connection at random and resumes with {@code since}, failing over to
   * the next node when its own is gone; it records anything out of order.
   */
  private final class Watcher extends WebSocketListener {
    final String token;
    final List<String> nodes;
    final String name;
    final List<String> problems = new CopyOnWriteArrayList<>();
    volatile long last = 1;
    volatile int reconnects;
    volatile JsonNode lastPresence = Json.NODES.objectNode();
    volatile boolean steady;
    volatile boolean sawNodeB;
    volatile int presences;
    volatile boolean stopped;
    private volatile WebSocket socket;
    private int node;
    private Thread dropper;

    Watcher(String token, List<String> nodes, String name) {
      this.token = token;
      this.nodes = nodes;
      this.name = name;
    }

    void start() {
      connect();
      if (steady) return;
      dropper =
          new Thread(
              () -> {
                while (!stopped) {
                  try {
                    Thread.sleep(100 + random.nextInt(400));
                  } catch (InterruptedException e) {
                    return;
                  }
                  WebSocket s = socket;
                  if (s != null) s.cancel(); // onFailure reconnects
                }
              });
      dropper.start();
    }

    synchronized void connect() {
      if (stopped) return;
      socket =
          ws.newWebSocket(
              new Request.Builder()
                  .url(
                      nodes.get(node).replace("http", "ws")
                          + CFG
                          + "/events?since="
                          + last
                          + "&client="
                          + name
                          + (nodes.get(node).equals(nodeB) ? "-on-b" : "-on-a"))
                  .header("Authorization", "Bearer " + token)
                  .build(),
              this);
    }

    @Override
    public void onMessage(WebSocket s, String text) {
      if (s != socket) return; // a dropped connection's late message
      JsonNode m = Json.parse(text);
      switch (m.path("type").asText()) {
        case "revision" -> {
          long v = m.path("version").asLong();
          if (v != last + 1) problems.add("got version " + v + " after " + last);
          last = v;
        }
        case "presence" -> {
          lastPresence = m;
          presences++;
          if (text.contains("-on-b")) sawNodeB = true;
        }
        case "snapshot" -> problems.add("a snapshot, with all history retained: " + text);
        default -> {}
      }
    }

    @Override
    public void onFailure(WebSocket s, Throwable t, Response response) {
      if (s != socket || stopped) return;
      reconnects++;
      if (t instanceof java.net.ConnectException) {
        node = Math.min(node + 1, nodes.size() - 1); // its node is gone: the next one
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        return;
      }
      connect();
    }

    @Override
    public void onClosing(WebSocket s, int code, String reason) {
      onFailure(s, new IOException("closed " + code + " " + reason), null);
    }

    void awaitVersion(long version, int seconds) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
      while (last < version && System.nanoTime() < deadline) Thread.sleep(50);
      assertThat(last).as(name + " caught up; problems " + problems).isEqualTo(version);
    }

    void stop() {
      stopped = true;
      if (dropper != null) dropper.interrupt();
      WebSocket s = socket;
      if (s != null) s.cancel();
    }
  }

  private String serve(String name, String db) throws Exception {
    Path jar = jar();
    Path log = work.resolve(name + ".log");
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                jar.toString(),
                "serve",
                "--listen",
                "127.0.0.1:0",
                "--data-dir",
                work.resolve(name).toString(),
                "--db",
                db,
                "--retention",
                "1000000")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    started.add(p);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    Matcher m = LISTENING.matcher("");
    while (!m.reset(Files.readString(log)).find()) {
      assertThat(p.isAlive()).as("cfgctl serve runs; its log:%n%s", Files.readString(log)).isTrue();
      assertThat(System.nanoTime()).as("listening within 60 s").isLessThan(deadline);
      Thread.sleep(50);
    }
    return m.group(1);
  }

  private static Path jar() throws URISyntaxException {
    Path testClasses =
        Path.of(StreamClusterIT.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path jar = testClasses.getParent().resolve("cfgctl.jar");
    assertThat(jar).as("the jar `mvn package` builds (failsafe runs after it)").isRegularFile();
    return jar;
  }

  private String token(String node, String admin, String user, String role) throws Exception {
    HttpResponse<String> r =
        send(
            node,
            "POST",
            "/v1/tokens",
            admin,
            "{\"user\":\"" + user + "\",\"tenant\":\"acme\",\"role\":\"" + role + "\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return Json.parse(r.body()).path("token").asText();
  }

  private HttpResponse<String> send(
      String node, String method, String path, String token, String body, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(node + path))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + token)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header(
          "Content-Type",
          method.equals("PATCH") ? "application/json-patch+json" : "application/json");
    }
    for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
