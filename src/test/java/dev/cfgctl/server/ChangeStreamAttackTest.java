package dev.cfgctl.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cfgctl.app.ChangeFeed;
import dev.cfgctl.app.Stores;
import dev.cfgctl.patch.Json;
import dev.cfgctl.store.Role;
import dev.cfgctl.store.TestClock;
import dev.cfgctl.store.Tunables;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The change stream attacked as a hostile or careless client would: watchers that stop reading,
 * junk and floods of client messages, hundreds of watchers, watchers that come and go, a server
 * that stops under open streams, odd resume points. Real server, real SQLite file, real sockets
 * (raw ones where okhttp would be too polite).
 */
@Timeout(60)
@Tag("slow") // real sockets, hundreds of watchers, timeouts: in mvn verify, not the mvn test loop
class ChangeStreamAttackTest {
  static final String CFG = "/v1/tenants/acme/configs/landing";
  static final String EVENTS = CFG + "/events";
  static final String JSON = "application/json";
  static final String JSON_PATCH = "application/json-patch+json";
  static final Duration SEND_TIMEOUT = Duration.ofSeconds(2);
  static final ChangeFeed.Settings FAST =
      new ChangeFeed.Settings(Duration.ofMillis(500), SEND_TIMEOUT, Duration.ofMillis(200));

  @TempDir Path dir;
  final TestClock clock = new TestClock();
  final OkHttpClient http = okhttp();
  final List<AutoCloseable> closing = new ArrayList<>();
  TestServer s;
  String editor;
  String viewer;

  @BeforeEach
  void start() {
    s = server("cfgctl.db", Tunables.DEFAULT);
    editor = s.token("alice", "acme", Role.EDITOR);
    viewer = s.token("val", "acme", Role.VIEWER);
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : closing) {
      try {
        c.close();
      } catch (Exception e) {
        // closing what may be gone already
      }
    }
    s.close();
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }

  TestServer server(String file, Tunables tunables) {
    return new TestServer(Stores.sqlite(dir.resolve(file), tunables, clock), clock, FAST);
  }

  // 1. A watcher that stops reading

  @Test
  void aWatcherThatStopsReadingIsEndedAndDelaysNoOne() throws Exception {
    create("{\"big\":\"\"}");
    RawWs stuck = RawWs.connect(s, EVENTS + "?since=1", viewer, 4096);
    Watcher normal = watch(viewer, "?since=1");
    awaitWatchers(2);

    // 6 MB: more than the loopback socket buffers of both ends hold (4 MB at most)
    int writes = 200;
    long[] written = new long[writes + 2];
    for (int i = 1; i <= writes; i++) {
      String big = String.valueOf((char) ('a' + i % 26)).repeat(30_000);
      patch("[{\"op\":\"replace\",\"path\":\"/big\",\"value\":\"" + big + "\"}]");
      written[i + 1] = System.nanoTime();
    }
    long last = writes + 1;
    assertThat(normal.awaitVersion(last, 5_000))
        .as("the normal watcher has every version")
        .isTrue();
    long lagMillis = (normal.arrival(last) - written[(int) last]) / 1_000_000;
    long maxLag = 0;
    for (long v = 2; v <= last; v++) {
      maxLag = Math.max(maxLag, (normal.arrival(v) - written[(int) v]) / 1_000_000);
    }
    System.out.printf(
        "slow consumer: normal watcher lag of the last write %d ms, worst %d ms%n",
        lagMillis, maxLag);
    assertThat(lagMillis).as("lag of the last version to the normal watcher").isLessThan(1_000);
    assertThat(normal.versions()).as("in order, once each").isEqualTo(range(2, last));

    // the stuck watcher leaves the feed within the send timeout (it was stuck before the last
    // write)
    long deadline = written[(int) last] + SEND_TIMEOUT.toNanos() + 2_000_000_000L;
    while (watchers() > 1 && System.nanoTime() < deadline) Thread.sleep(20);
    assertThat(watchers()).as("the stuck watcher is gone from the feed").isEqualTo(1);

    // what it gets once it reads again: contiguous revisions, then resume after the last, 4408
    stuck.socket.setSoTimeout(5_000);
    List<Long> versions = new ArrayList<>();
    JsonNode resume = null;
    RawWs.Frame f;
    long readUntil = System.nanoTime() + 10_000_000_000L;
    while ((f = stuck.read()).opcode() == RawWs.TEXT) {
      assertThat(System.nanoTime()).as("the stream ends").isLessThan(readUntil);
      JsonNode m = Json.parse(f.text());
      if (m.path("type").asText().equals("revision")) versions.add(m.path("version").asLong());
      else if (m.path("type").asText().equals("resume")) resume = m;
    }
    assertThat(versions).as("what the stuck watcher got").isEqualTo(range(2, 1 + versions.size()));
    assertThat(versions.size()).as("it got far less than everything").isLessThan(writes);
    assertThat(resume).as("a resume message").isNotNull();
    // the exact value: aResumeMessageCountsTheVersionSentJustBeforeIt
    assertThat(resume.path("after").asLong())
        .isBetween((long) versions.size(), 1L + versions.size());
    assertThat(f.opcode()).as("a close frame").isEqualTo(RawWs.CLOSE);
    assertThat(f.closeCode()).isEqualTo(4408);
    stuck.close();
  }

  @Test
  void aResumeMessageCountsTheVersionSentJustBeforeIt() throws Exception {
    create("{\"big\":\"\"}");
    RawWs stuck = RawWs.connect(s, EVENTS + "?since=1", viewer, 4096);
    awaitWatchers(1);
    for (int i = 1; i <= 200; i++) {
      String big = String.valueOf((char) ('a' + i % 26)).repeat(30_000);
      patch("[{\"op\":\"replace\",\"path\":\"/big\",\"value\":\"" + big + "\"}]");
    }
    awaitWatchers(0);
    stuck.socket.setSoTimeout(5_000);
    long lastGot = 1;
    RawWs.Frame f;
    while ((f = stuck.read()).opcode() == RawWs.TEXT) {
      JsonNode m = Json.parse(f.text());
      if (m.path("type").asText().equals("revision")) lastGot = m.path("version").asLong();
      if (m.path("type").asText().equals("resume")) {
        assertThat(m.path("after").asLong()).as("resume after").isEqualTo(lastGot);
      }
    }
    stuck.close();
  }

  // 2. Messages from clients

  @Test
  void malformedClientMessagesGetAProblemAndTheStreamGoesOn() throws Exception {
    create("{\"n\":0}");
    try (RawWs ws = RawWs.connect(s, EVENTS + "?since=1", viewer, 0)) {
      ws.socket.setSoTimeout(5_000);
      ws.send(RawWs.TEXT, "{not json".getBytes(StandardCharsets.UTF_8));
      JsonNode p = ws.nextMessage();
      assertThat(p.path("type").asText()).as(p.toString()).isEqualTo("problem");
      assertThat(p.path("problem").path("status").asInt()).isEqualTo(400);
      ws.send(RawWs.TEXT, new byte[0]);
      assertThat(ws.nextMessage().path("type").asText()).isEqualTo("problem");
      set(1);
      JsonNode r = ws.nextMessage();
      assertThat(r.path("type").asText()).as(r.toString()).isEqualTo("revision");
      assertThat(r.path("version").asLong()).isEqualTo(2);
      // a ping of the protocol gets its pong
      ws.send(RawWs.PING, "hi".getBytes(StandardCharsets.UTF_8));
      RawWs.Frame pong;
      do pong = ws.read();
      while (pong.opcode() == RawWs.TEXT);
      assertThat(pong.opcode()).isEqualTo(RawWs.PONG);
      assertThat(new String(pong.payload(), StandardCharsets.UTF_8)).isEqualTo("hi");
    }
    assertStillServing();
  }

  @Test
  void aBinaryFrameIsRefusedCleanly() throws Exception {
    create("{\"n\":0}");
    try (RawWs ws = RawWs.connect(s, EVENTS + "?since=1", viewer, 0)) {
      ws.socket.setSoTimeout(5_000);
      ws.send(RawWs.BINARY, new byte[] {1, 2, 3});
      RawWs.Frame f = ws.readSkippingPings();
      if (f.opcode() == RawWs.TEXT) {
        assertThat(Json.parse(f.text()).path("type").asText()).isEqualTo("problem");
      } else {
        assertThat(f.opcode()).as("a close frame").isEqualTo(RawWs.CLOSE);
        assertThat(f.closeCode()).as(f.closeReason()).isIn(1003, 1008);
      }
    }
    assertStillServing();
  }

  @Test
  void invalidUtf8AndUnmaskedFramesCloseTheConnectionWithAReason() throws Exception {
    create("{\"n\":0}");
    try (RawWs ws = RawWs.connect(s, EVENTS + "?since=1", viewer, 0)) {
      ws.socket.setSoTimeout(5_000);
      ws.send(RawWs.TEXT, new byte[] {(byte) 0xC3, (byte) 0x28});
      RawWs.Frame f = ws.readSkippingPings();
      assertThat(f.opcode()).isEqualTo(RawWs.CLOSE);
      assertThat(f.closeCode()).as(f.closeReason()).isEqualTo(1007);
    }
    try (RawWs ws = RawWs.connect(s, EVENTS + "?since=1", viewer, 0)) {
      ws.socket.setSoTimeout(5_000);
      ws.sendUnmasked(RawWs.TEXT, "{}".getBytes(StandardCharsets.UTF_8));
      RawWs.Frame f = ws.readSkippingPings();
      assertThat(f.opcode()).isEqualTo(RawWs.CLOSE);
      assertThat(f.closeCode()).as(f.closeReason()).isEqualTo(1002);
    }
    awaitWatchers(0);
    assertStillServing();
  }

  @Test
  void aTenMegabyteTextFrameIsRefusedWithoutBeingRead() throws Exception {
    create("{\"n\":0}");
    try (RawWs ws = RawWs.connect(s, EVENTS + "?since=1", viewer, 0)) {
      ws.socket.setSoTimeout(5_000);
      byte[] huge = new byte[10 * 1024 * 1024];
      java.util.Arrays.fill(huge, (byte) 'x');
      try {
        ws.send(RawWs.TEXT, huge);
      } catch (IOException e) {
        // the server may hang up before it has it all
      }
      RawWs.Frame f = ws.readSkippingPings();
      assertThat(f.opcode()).isEqualTo(RawWs.CLOSE);
      assertThat(f.closeCode()).as(f.closeReason()).isEqualTo(1009);
    }
    awaitWatchers(0);
    assertStillServing();
  }

  @Test
  void aFloodOfMessagesFromAReadingClientIsAnsweredAndHurtsNoOne() throws Exception {
    create("{\"n\":0}");
    Watcher other = watch(viewer, "?since=1");
    try (RawWs ws = RawWs.connect(s, EVENTS + "?since=1", viewer, 0)) {
      ws.socket.setSoTimeout(5_000);
      int[] problems = {0};
      Future<?> reader =
          Executors.newSingleThreadExecutor()
              .submit(
                  () -> {
                    while (true) {
                      RawWs.Frame f = ws.read();
                      if (f.opcode() != RawWs.TEXT) return f;
                      if (f.text().contains("\"problem\"")) problems[0]++;
                    }
                  });
      byte[] msg = "{\"type\":\"hello\"}".getBytes(StandardCharsets.UTF_8);
      ByteArrayOutputStream burst = new ByteArrayOutputStream();
      for (int i = 0; i < 10_000; i++) burst.write(RawWs.frame(RawWs.TEXT, msg, true));
      ws.out.write(burst.toByteArray());
      ws.out.flush();
      set(1);
      assertThat(other.awaitVersion(2, 2_000)).as("the other watcher is served").isTrue();
      assertStillServing();
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (problems[0] < 10_000 && !reader.isDone() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(problems[0] == 10_000 || reader.isDone())
          .as("every message answered (" + problems[0] + ") or the connection closed")
          .isTrue();
      ws.socket.close();
    }
  }

  @Test
  void aFloodFromAClientThatNeverReadsIsNotBufferedWithoutBound() throws Exception {
    create("{\"n\":0}");
    int flood = 100_000;
    try (RawWs ws = RawWs.connect(s, EVENTS + "?since=1", viewer, 4096)) {
      byte[] msg = "x".getBytes(StandardCharsets.UTF_8);
      ByteArrayOutputStream burst = new ByteArrayOutputStream();
      for (int i = 0; i < flood; i++) burst.write(RawWs.frame(RawWs.TEXT, msg, true));
      try {
        ws.socket.setSoTimeout(0);
        ws.out.write(burst.toByteArray());
        ws.out.flush();
      } catch (IOException e) {
        // hung up on: fine
      }
      Thread.sleep(SEND_TIMEOUT.toMillis() + 1_000);
      // now read everything the server kept for us
      ws.socket.setSoTimeout(3_000);
      int replies = 0;
      try {
        while (true) {
          RawWs.Frame f = ws.read();
          if (f.opcode() == RawWs.CLOSE) break;
          if (f.opcode() == RawWs.TEXT && f.text().contains("\"problem\"")) replies++;
        }
      } catch (IOException e) {
        // dropped or quiet
      }
      System.out.println("flood of " + flood + " unread: " + replies + " replies were kept");
      // loopback socket buffers hold at most a few MB: ~10 000 replies of ~300 bytes
      assertThat(replies)
          .as("replies the server buffered for a client that does not read")
          .isLessThan(20_000);
    }
  }

  // 3. Many watchers

  @Test
  void fiveHundredWatchersGetEveryVersionOnceInOrder() throws Exception {
    create("{\"n\":0}");
    int count = 500;
    int writes = 50;
    List<Watcher> all = new ArrayList<>();
    for (int i = 0; i < count; i++) all.add(watchAsync(viewer, "?since=1"));
    for (Watcher w : all) assertThat(w.open.await(20, TimeUnit.SECONDS)).as("connected").isTrue();
    awaitWatchers(count);
    for (int i = 1; i <= writes; i++) set(i);
    long lastWrite = System.nanoTime();
    long last = writes + 1;
    for (Watcher w : all) {
      assertThat(w.awaitVersion(last, 15_000)).as("every watcher has the last version").isTrue();
    }
    long spread = 0;
    for (Watcher w : all) spread = Math.max(spread, w.arrival(last) - lastWrite);
    System.out.printf(
        "%d watchers: all had version %d %d ms after the last write%n",
        count, last, spread / 1_000_000);
    for (Watcher w : all) assertThat(w.versions()).isEqualTo(range(2, last));
    assertThat(spread / 1_000_000).as("last write to every watcher having it").isLessThan(5_000);
  }

  // 4. Watchers that come and go

  @Test
  void watchersThatReconnectAtRandomGetEveryVersionOnceInOrder() throws Exception {
    create("{\"n\":0}");
    int writes = 100;
    long last = writes + 1;
    int count = 12;
    ExecutorService pool = Executors.newFixedThreadPool(count);
    List<Future<List<Long>>> results = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      long seed = i;
      results.add(pool.submit(() -> reconnectingWatcher(new Random(seed), last)));
    }
    for (int i = 1; i <= writes; i++) {
      set(i);
      if (i % 10 == 0) Thread.sleep(20);
    }
    for (Future<List<Long>> r : results) {
      assertThat(r.get(20, TimeUnit.SECONDS)).isEqualTo(range(2, last));
    }
    pool.shutdownNow();
    awaitWatchers(0);
  }

  /** Connects, reads a while, hangs up (politely or not), resumes, until it has {@code last}. */
  private List<Long> reconnectingWatcher(Random random, long last) throws Exception {
    List<Long> got = new ArrayList<>();
    long deadline = System.nanoTime() + 15_000_000_000L;
    while (System.nanoTime() < deadline) {
      long have = got.isEmpty() ? 1 : got.get(got.size() - 1);
      if (have == last) return got;
      Watcher w = watch(viewer, "?since=" + have);
      Thread.sleep(random.nextInt(60));
      w.awaitVersion(have + 1 + random.nextInt(5), random.nextInt(50));
      List<Long> seen = w.stop(random.nextBoolean());
      got.addAll(seen);
    }
    return got;
  }

  // 5. Stopping the server

  @Test
  void stopClosesStreamsWith1001PromptlyAndDoesNotWaitForThem() throws Exception {
    create("{\"n\":0}");
    List<Watcher> ws = new ArrayList<>();
    for (int i = 0; i < 5; i++) ws.add(watch(viewer, "?since=1"));
    SseReader sse = SseReader.open(s, EVENTS + "?since=1", viewer);
    set(1);
    assertThat(sse.awaitId(2, 5_000)).as("the SSE stream is live").isTrue();
    awaitWatchers(6);
    long t0 = System.nanoTime();
    s.server.stop(30_000);
    long stopMillis = (System.nanoTime() - t0) / 1_000_000;
    System.out.println("stop() with 5 WebSockets and 1 event stream took " + stopMillis + " ms");
    for (Watcher w : ws) {
      assertThat(w.closed.await(2, TimeUnit.SECONDS)).as("closed").isTrue();
      assertThat(w.closeCode).isEqualTo(1001);
    }
    assertThat(sse.ended.await(2, TimeUnit.SECONDS)).as("the event stream ended").isTrue();
    assertThat(stopMillis).as("stop() took").isLessThan(5_000);
  }

  @Test
  void stopDoesNotWaitForAnEventStreamThatStoppedReading() throws Exception {
    create("{\"big\":\"\"}");
    RawHttpStream stuck = RawHttpStream.open(s, EVENTS + "?since=1", viewer, 4096);
    awaitWatchers(1);
    for (int i = 1; i <= 200; i++) {
      String big = String.valueOf((char) ('a' + i % 26)).repeat(30_000);
      patch("[{\"op\":\"replace\",\"path\":\"/big\",\"value\":\"" + big + "\"}]");
    }
    awaitWatchers(0); // ended for not reading (5 s > the send timeout)
    long t0 = System.nanoTime();
    s.server.stop(30_000);
    long stopMillis = (System.nanoTime() - t0) / 1_000_000;
    System.out.println("stop() with a stuck event stream took " + stopMillis + " ms");
    stuck.close();
    assertThat(stopMillis).as("stop() took").isLessThan(5_000);
  }

  // 6. Odds and ends

  @Test
  void aRefusedUpgradeCarriesItsProblem() throws Exception {
    create("{\"n\":0}");
    JsonNode p = Json.parse(RawWs.refusal(s, EVENTS + "?since=9", viewer));
    assertThat(p.path("status").asInt()).isEqualTo(404);
    assertThat(p.path("detail").asText()).contains("has no version 9");
    p = Json.parse(RawWs.refusal(s, EVENTS, "not-a-token"));
    assertThat(p.path("type").asText()).isEqualTo("/problems/unauthorized");
    p = Json.parse(RawWs.refusal(s, "/v1/tenants/globex/events", viewer));
    assertThat(p.path("status").asInt()).isEqualTo(404);
  }

  @Test
  void aPlainGetGetsTheEventStream() throws Exception {
    create("{\"n\":0}");
    try (java.net.Socket so = new java.net.Socket("127.0.0.1", s.server.port())) {
      so.setSoTimeout(3_000);
      so.getOutputStream()
          .write(
              ("GET "
                      + EVENTS
                      + "?since=0 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                      + viewer
                      + "\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      InputStream in = so.getInputStream();
      assertThat(RawWs.line(in)).contains(" 200 ");
      List<String> headers = new ArrayList<>();
      for (String h = RawWs.line(in); !h.isEmpty(); h = RawWs.line(in))
        headers.add(h.toLowerCase());
      assertThat(headers).anyMatch(h -> h.startsWith("content-type: text/event-stream"));
      String body = "";
      while (!body.contains("id: 1")) {
        byte[] b = new byte[4096];
        int n = in.read(b);
        if (n < 0) break;
        body += new String(b, 0, n, StandardCharsets.UTF_8);
      }
      assertThat(body).contains("event: revision", "id: 1");
    }
  }

  @Test
  void sinceZeroOnPrunedHistoryGivesASnapshot() throws Exception {
    try (TestServer small = server("small.db", new Tunables(5, 1, 3600, 300, 100))) {
      String ed = small.token("alice", "acme", Role.EDITOR);
      String vw = small.token("val", "acme", Role.VIEWER);
      assertThat(small.send("PUT", CFG, ed, JSON, "{\"n\":0}", "If-None-Match", "*").status())
          .isEqualTo(201);
      for (int i = 1; i <= 12; i++) {
        assertThat(
                small
                    .send(
                        "PATCH",
                        CFG,
                        ed,
                        JSON_PATCH,
                        "[{\"op\":\"replace\",\"path\":\"/n\",\"value\":" + i + "}]")
                    .status())
            .isEqualTo(200);
      }
      Watcher w = watch(small, vw, "?since=0");
      JsonNode first = w.next();
      assertThat(first.path("type").asText()).as(first.toString()).isEqualTo("snapshot");
      assertThat(first.path("version").asLong()).isEqualTo(13);
      assertThat(first.path("content").path("n").asInt()).isEqualTo(12);
      w.ws.cancel();
    }
  }

  @Test
  void sinceZeroWithAllHistoryRetainedStartsAtVersionOne() throws Exception {
    create("{\"n\":0}");
    set(1);
    Watcher w = watch(viewer, "?since=0");
    JsonNode first = w.next();
    assertThat(first.path("type").asText()).as(first.toString()).isEqualTo("revision");
    assertThat(first.path("version").asLong()).isEqualTo(1);
    assertThat(w.next().path("version").asLong()).isEqualTo(2);
  }

  @Test
  void badResumePointsAreRefusedAsProblems() {
    create("{\"n\":0}");
    set(1);
    for (String garbage : List.of("abc", "-1", "0", "1.5", "99999999999999999999999", "2 3")) {
      TestServer.Response r = sse(viewer, "", "Last-Event-ID", garbage);
      assertThat(r.status()).as("Last-Event-ID " + garbage + ": " + r).isEqualTo(400);
      assertThat(r.header("Content-Type")).startsWith("application/problem+json");
    }
    assertThat(sse(viewer, "", "Last-Event-ID", "3").status()).as("past the latest").isEqualTo(404);
    assertThat(sse(viewer, "?since=-1").status()).isEqualTo(400);
    assertThat(sse(viewer, "?since=1e3").status()).isEqualTo(400);
    assertThat(sse(viewer, "?since=" + Long.MAX_VALUE).status()).isEqualTo(404);
    String other = s.token("eve", "globex", Role.ADMIN);
    assertThat(sse(other, "?since=1").status()).as("another tenant's token").isEqualTo(404);
    assertThat(sse("nope", "?since=1").status()).isEqualTo(401);
    assertThat(sse(null, "?since=1").status()).isEqualTo(401);
    assertThat(watchers()).isZero();
  }

  @Test
  void aWebSocketUpgradeWithGarbageIsRefusedBeforeTheUpgrade() throws Exception {
    create("{\"n\":0}");
    assertThat(RawWs.upgradeStatus(s, EVENTS + "?since=-1", viewer)).isEqualTo(400);
    assertThat(RawWs.upgradeStatus(s, EVENTS + "?since=99", viewer)).isEqualTo(404);
    String other = s.token("eve", "globex", Role.ADMIN);
    assertThat(RawWs.upgradeStatus(s, EVENTS, other)).isEqualTo(404);
    assertThat(RawWs.upgradeStatus(s, EVENTS, null)).isEqualTo(401);
    assertThat(RawWs.upgradeStatus(s, "/v1/tenants/globex/configs/landing/events", viewer))
        .isEqualTo(404);
    assertThat(watchers()).isZero();
  }

  @Test
  void anIdleWatcherGetsPingsWithTheLatestVersion() throws Exception {
    create("{\"n\":0}");
    set(1);
    try (RawWs ws = RawWs.connect(s, EVENTS + "?since=2", viewer, 0)) {
      ws.socket.setSoTimeout(3_000);
      long t0 = System.nanoTime();
      JsonNode ping = ws.nextMessage();
      assertThat(ping.path("type").asText()).isEqualTo("ping");
      assertThat(ping.path("version").asLong()).isEqualTo(2);
      assertThat(ws.nextMessage().path("type").asText()).isEqualTo("ping");
      assertThat((System.nanoTime() - t0) / 1_000_000).as("two pings").isLessThan(2_500);
    }
  }

  @Test
  void aClientThatVanishesWithoutACloseLeavesTheFeed() throws Exception {
    create("{\"n\":0}");
    RawWs ws = RawWs.connect(s, EVENTS + "?since=1", viewer, 0);
    awaitWatchers(1);
    ws.socket.setSoLinger(true, 0); // a reset, no close frame
    ws.socket.close();
    set(1); // the next send finds the connection gone
    awaitWatchers(0);
  }

  // helpers

  int watchers() {
    try {
      java.lang.reflect.Field f = ConfigServer.class.getDeclaredField("feed");
      f.setAccessible(true);
      return ((ChangeFeed) f.get(s.server)).watchers();
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  void awaitWatchers(int n) throws InterruptedException {
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (watchers() != n && System.nanoTime() < deadline) Thread.sleep(10);
    assertThat(watchers()).as("watchers in the feed").isEqualTo(n);
  }

  void create(String json) {
    assertThat(s.send("PUT", CFG, editor, JSON, json, "If-None-Match", "*").status())
        .isEqualTo(201);
  }

  void set(int n) {
    patch("[{\"op\":\"replace\",\"path\":\"/n\",\"value\":" + n + "}]");
  }

  void patch(String ops) {
    TestServer.Response r = s.send("PATCH", CFG, editor, JSON_PATCH, ops);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
  }

  /** A plain GET of the stream that is refused (so it returns): its answer. */
  TestServer.Response sse(String token, String query, String... headers) {
    return s.send("GET", EVENTS + query, token, null, (String) null, headers);
  }

  void assertStillServing() throws Exception {
    TestServer.Response r = s.send("GET", CFG, viewer, null, (String) null);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    Watcher w = watch(viewer, "");
    assertThat(w.next().path("type").asText()).isEqualTo("snapshot");
    w.ws.cancel();
  }

  static List<Long> range(long from, long to) {
    List<Long> l = new ArrayList<>();
    for (long v = from; v <= to; v++) l.add(v);
    return l;
  }

  static OkHttpClient okhttp() {
    Dispatcher d = new Dispatcher();
    d.setMaxRequests(2_000);
    d.setMaxRequestsPerHost(2_000);
    return new OkHttpClient.Builder()
        .dispatcher(d)
        .readTimeout(Duration.ZERO)
        .pingInterval(Duration.ZERO)
        .build();
  }

  Watcher watch(String token, String query) throws Exception {
    return watch(s, token, query);
  }

  Watcher watch(TestServer server, String token, String query) throws Exception {
    Watcher w = watchAsync(server, token, query);
    assertThat(w.open.await(5, TimeUnit.SECONDS)).as("connected").isTrue();
    return w;
  }

  Watcher watchAsync(String token, String query) {
    return watchAsync(s, token, query);
  }

  Watcher watchAsync(TestServer server, String token, String query) {
    Watcher w = new Watcher();
    w.ws =
        http.newWebSocket(
            new Request.Builder()
                .url(server.base.replace("http", "ws") + EVENTS + query)
                .header("Authorization", "Bearer " + token)
                .build(),
            w);
    closing.add(() -> w.ws.cancel());
    return w;
  }

  /**
   * A watcher over okhttp: the revisions it got (checked to come in order, once each), when each
   * came, and how it was closed.
   */
  static final class Watcher extends WebSocketListener {
    final BlockingQueue<JsonNode> messages = new LinkedBlockingQueue<>();
    final CountDownLatch open = new CountDownLatch(1);
    final CountDownLatch closed = new CountDownLatch(1);
    private final List<Long> versions = new ArrayList<>();
    private final java.util.Map<Long, Long> arrivals = new java.util.HashMap<>();
    private boolean stopped;
    volatile int closeCode;
    WebSocket ws;

    @Override
    public void onOpen(WebSocket ws, Response response) {
      open.countDown();
    }

    @Override
    public void onMessage(WebSocket ws, String text) {
      long now = System.nanoTime();
      JsonNode m = Json.parse(text);
      String type = m.path("type").asText();
      if (type.equals("ping") || type.equals("presence")) return;
      synchronized (this) {
        if (stopped) return;
        if (!type.equals("snapshot") && m.has("version")) {
          versions.add(m.path("version").asLong());
          arrivals.put(m.path("version").asLong(), now);
          notifyAll();
        }
      }
      messages.add(m);
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

    synchronized boolean awaitVersion(long v, long millis) throws InterruptedException {
      long deadline = System.currentTimeMillis() + millis;
      while (!arrivals.containsKey(v)) {
        long left = deadline - System.currentTimeMillis();
        if (left <= 0) return false;
        wait(left);
      }
      return true;
    }

    synchronized long arrival(long v) {
      return arrivals.get(v);
    }

    synchronized List<Long> versions() {
      return List.copyOf(versions);
    }

    /** Hangs up (with a close frame, or by dropping the connection); what it had by then. */
    List<Long> stop(boolean politely) {
      synchronized (this) {
        stopped = true;
      }
      if (politely) ws.close(1000, "bye");
      else ws.cancel();
      return versions();
    }

    JsonNode next() throws InterruptedException {
      JsonNode m = messages.poll(5, TimeUnit.SECONDS);
      assertThat(m).as("a message within 5 s").isNotNull();
      return m;
    }
  }

  /** A WebSocket client over a plain socket that sends and reads frames as they are built. */
  static final class RawWs implements AutoCloseable {
    static final int TEXT = 1;
    static final int BINARY = 2;
    static final int CLOSE = 8;
    static final int PING = 9;
    static final int PONG = 10;
    private static final SecureRandom RANDOM = new SecureRandom();

    record Frame(int opcode, byte[] payload) {
      String text() {
        return new String(payload, StandardCharsets.UTF_8);
      }

      int closeCode() {
        return payload.length < 2 ? 1005 : ((payload[0] & 0xff) << 8) | (payload[1] & 0xff);
      }

      String closeReason() {
        return payload.length <= 2
            ? ""
            : new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8);
      }
    }

    final java.net.Socket socket;
    final InputStream in;
    final OutputStream out;
    final int status;

    int contentLength = -1;

    private RawWs(java.net.Socket socket, InputStream in, int status) throws IOException {
      this.socket = socket;
      this.in = in;
      this.out = socket.getOutputStream();
      this.status = status;
    }

    /** Upgrades; {@code receiveBuffer} > 0 keeps this side's socket buffer that small. */
    static RawWs connect(TestServer s, String path, String token, int receiveBuffer)
        throws IOException {
      RawWs ws = open(s, path, token, receiveBuffer);
      assertThat(ws.status).as("upgrade status").isEqualTo(101);
      return ws;
    }

    static int upgradeStatus(TestServer s, String path, String token) throws IOException {
      try (RawWs ws = open(s, path, token, 0)) {
        return ws.status;
      }
    }

    /** The body of a refused upgrade (the server says its length). */
    static String refusal(TestServer s, String path, String token) throws IOException {
      try (RawWs ws = open(s, path, token, 0)) {
        assertThat(ws.status).as("refused").isGreaterThanOrEqualTo(400);
        assertThat(ws.contentLength).as("a body").isPositive();
        return new String(ws.in.readNBytes(ws.contentLength), StandardCharsets.UTF_8);
      }
    }

    private static RawWs open(TestServer s, String path, String token, int receiveBuffer)
        throws IOException {
      java.net.Socket socket = new java.net.Socket();
      if (receiveBuffer > 0) socket.setReceiveBufferSize(receiveBuffer);
      int port = s.server.port();
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      socket.setSoTimeout(5_000);
      byte[] key = new byte[16];
      RANDOM.nextBytes(key);
      String request =
          "GET "
              + path
              + " HTTP/1.1\r\nHost: 127.0.0.1:"
              + port
              + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
              + Base64.getEncoder().encodeToString(key)
              + "\r\nSec-WebSocket-Version: 13\r\n"
              + (token == null ? "" : "Authorization: Bearer " + token + "\r\n")
              + "\r\n";
      socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      InputStream in = socket.getInputStream();
      String statusLine = line(in);
      int length = -1;
      for (String h = line(in); !h.isEmpty(); h = line(in)) {
        if (h.toLowerCase().startsWith("content-length:"))
          length = Integer.parseInt(h.substring(15).trim());
      }
      RawWs ws = new RawWs(socket, in, Integer.parseInt(statusLine.split(" ")[1]));
      ws.contentLength = length;
      return ws;
    }

    private static String line(InputStream in) throws IOException {
      StringBuilder b = new StringBuilder();
      for (int c = in.read(); c != '\n'; c = in.read()) {
        if (c < 0) throw new EOFException("connection closed in the headers");
        if (c != '\r') b.append((char) c);
      }
      return b.toString();
    }

    /** A masked frame, as a client must send. */
    static byte[] frame(int opcode, byte[] payload, boolean masked) {
      ByteArrayOutputStream b = new ByteArrayOutputStream(payload.length + 14);
      b.write(0x80 | opcode);
      int mask = masked ? 0x80 : 0;
      if (payload.length < 126) {
        b.write(mask | payload.length);
      } else if (payload.length < 65536) {
        b.write(mask | 126);
        b.write(payload.length >> 8);
        b.write(payload.length & 0xff);
      } else {
        b.write(mask | 127);
        for (int i = 7; i >= 0; i--) b.write((int) ((long) payload.length >> (8 * i)) & 0xff);
      }
      byte[] key = new byte[4];
      if (masked) {
        RANDOM.nextBytes(key);
        b.write(key, 0, 4);
      }
      byte[] body = payload.clone();
      if (masked) for (int i = 0; i < body.length; i++) body[i] ^= key[i & 3];
      b.write(body, 0, body.length);
      return b.toByteArray();
    }

    void send(int opcode, byte[] payload) throws IOException {
      out.write(frame(opcode, payload, true));
      out.flush();
    }

    void sendUnmasked(int opcode, byte[] payload) throws IOException {
      out.write(frame(opcode, payload, false));
      out.flush();
    }

    Frame read() throws IOException {
      int b0 = readByte();
      int b1 = readByte();
      long len = b1 & 0x7f;
      if (len == 126) len = (readByte() << 8) | readByte();
      else if (len == 127) {
        len = 0;
        for (int i = 0; i < 8; i++) len = (len << 8) | readByte();
      }
      byte[] payload = in.readNBytes((int) len);
      if (payload.length < len) throw new EOFException("connection closed in a frame");
      return new Frame(b0 & 0x0f, payload);
    }

    /** The next frame that is not a ping of the stream, failing when only pings come for 3 s. */
    Frame readSkippingPings() throws IOException {
      long deadline = System.nanoTime() + 3_000_000_000L;
      while (System.nanoTime() < deadline) {
        Frame f = read();
        if (f.opcode() != TEXT
            || !(f.text().contains("\"type\":\"ping\"")
                || f.text().contains("\"type\":\"presence\""))) {
          return f;
        }
      }
      throw new AssertionError("no answer within 3 s, only pings of the stream");
    }

    /** The next JSON message, pings of the stream included, presence lists left out. */
    JsonNode nextMessage() throws IOException {
      Frame f = read();
      while (f.opcode() == TEXT && f.text().contains("\"type\":\"presence\"")) f = read();
      assertThat(f.opcode()).as("a text frame, not " + f.closeCode()).isEqualTo(TEXT);
      return Json.parse(f.text());
    }

    private int readByte() throws IOException {
      int b = in.read();
      if (b < 0) throw new EOFException("connection closed");
      return b;
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  /** A Server-Sent Events stream read by a thread of its own: the ids it got, and its end. */
  static final class SseReader {
    final CountDownLatch ended = new CountDownLatch(1);
    private final List<Long> ids = new ArrayList<>();

    static SseReader open(TestServer s, String path, String token) throws Exception {
      java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
      java.net.http.HttpRequest req =
          java.net.http.HttpRequest.newBuilder(java.net.URI.create(s.base + path))
              .header("Authorization", "Bearer " + token)
              .header("Accept", "text/event-stream")
              .build();
      java.net.http.HttpResponse<java.util.stream.Stream<String>> r =
          client.send(req, java.net.http.HttpResponse.BodyHandlers.ofLines());
      assertThat(r.statusCode()).isEqualTo(200);
      SseReader reader = new SseReader();
      Thread t =
          new Thread(
              () -> {
                try {
                  r.body()
                      .forEach(
                          line -> {
                            if (line.startsWith("id: "))
                              reader.add(Long.parseLong(line.substring(4)));
                          });
                } catch (RuntimeException e) {
                  // the connection failed: ended too
                }
                reader.ended.countDown();
              });
      t.setDaemon(true);
      t.start();
      return reader;
    }

    synchronized void add(long id) {
      ids.add(id);
      notifyAll();
    }

    synchronized boolean awaitId(long id, long millis) throws InterruptedException {
      long deadline = System.currentTimeMillis() + millis;
      while (!ids.contains(id)) {
        long left = deadline - System.currentTimeMillis();
        if (left <= 0) return false;
        wait(left);
      }
      return true;
    }
  }

  /** An event stream over a plain socket that is never read after its headers. */
  static final class RawHttpStream implements AutoCloseable {
    final java.net.Socket socket;

    private RawHttpStream(java.net.Socket socket) {
      this.socket = socket;
    }

    static RawHttpStream open(TestServer s, String path, String token, int receiveBuffer)
        throws IOException {
      java.net.Socket socket = new java.net.Socket();
      socket.setReceiveBufferSize(receiveBuffer);
      socket.connect(new InetSocketAddress("127.0.0.1", s.server.port()), 5_000);
      socket.setSoTimeout(5_000);
      String request =
          "GET "
              + path
              + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\nAuthorization: Bearer "
              + token
              + "\r\n\r\n";
      socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      String status = RawWs.line(socket.getInputStream());
      assertThat(status).contains(" 200 ");
      return new RawHttpStream(socket);
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
