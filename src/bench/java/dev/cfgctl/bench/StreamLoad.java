package dev.cfgctl.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import okhttp3.Call;
import okhttp3.Dispatcher;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import okio.BufferedSource;

/**
 * Load on a config's change stream: commit → watcher latency, events/s delivered while 8 writers
 * patch, and the server's memory per idle watcher. Prints markdown rows.
 *
 * <pre>
 * StreamLoad WRITE_URL WATCH_URL TOKEN SERVER_PIDS LABEL SCENARIOS WATCHERS WRITES SECONDS IDLE PER_CONFIG
 * </pre>
 *
 * Writes go to WRITE_URL, watchers connect to WATCH_URL (another node of the same database, or the
 * same server). SERVER_PIDS (comma-separated) are the processes whose CPU time is counted; the
 * first one's memory is read. SCENARIOS is a subset of {@code latency,throughput,memory}; WATCHERS
 * the watcher counts of the latency scenario (e.g. {@code 1,100,1000}); WRITES the sequential
 * writes each latency run times; SECONDS how long the throughput writers write; IDLE the idle
 * watcher counts of the memory scenario, PER_CONFIG how many of them share one config (0: all on
 * one). A TOKEN of {@code -} means the URLs are etcd 3.4's JSON gateway: a watcher is a {@code POST
 * /v3/watch} streaming JSON lines, a write a {@code PUT} of the whole value.
 *
 * <p>Every watcher runs in this process, so send and receive times come from one clock. Latency is
 * from just before the write request is sent to the moment a watcher's listener gets that version's
 * message; after each write the writer waits until every watcher has it, then pauses, so the
 * figures are latency, not queueing. Every watcher must get every version exactly once, in order; a
 * run that does not prints the count that did not.
 */
public final class StreamLoad {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonFactory FACTORY = new JsonFactory();
  private static final MediaType JSON_TYPE = MediaType.get("application/json");
  private static final MediaType PATCH_TYPE = MediaType.get("application/json-patch+json");
  private static final long PAUSE_MILLIS = 10;
  private static final int WARM_WRITES = 50;

  /** Names of this run's configs start with it: runs on one database do not collide. */
  private final String run = Long.toString(System.currentTimeMillis(), 36) + "-";

  private final Target target;
  private final String label;
  private final long[] pids;
  private final OkHttpClient http;

  private StreamLoad(Target target, String label, long[] pids, OkHttpClient http) {
    this.target = target;
    this.label = label;
    this.pids = pids;
    this.http = http;
  }

  public static void main(String[] args) throws Exception {
    Dispatcher dispatcher = new Dispatcher();
    dispatcher.setMaxRequests(Integer.MAX_VALUE); // a watcher holds its call for its lifetime
    dispatcher.setMaxRequestsPerHost(Integer.MAX_VALUE);
    OkHttpClient.Builder builder =
        new OkHttpClient.Builder()
            .dispatcher(dispatcher)
            .readTimeout(0, TimeUnit.MILLISECONDS)
            .connectTimeout(30, TimeUnit.SECONDS);
    if (Boolean.getBoolean("stream.noDeflate")) {
      // OkHttp, like browsers, offers permessage-deflate on every WebSocket; take the offer out
      builder.addInterceptor( // network interceptors do not see WebSocket calls
          chain ->
              chain.proceed(
                  chain.request().newBuilder().removeHeader("Sec-WebSocket-Extensions").build()));
    }
    OkHttpClient http = builder.build();
    String writeUrl = args[0];
    String watchUrl = args[1];
    String token = args[2];
    long[] pids = List.of(args[3].split(",")).stream().mapToLong(Long::parseLong).toArray();
    Target target =
        token.equals("-") ? new Etcd(http, writeUrl) : new Cfgctl(http, writeUrl, watchUrl, token);
    StreamLoad load = new StreamLoad(target, args[4], pids, http);
    List<String> scenarios = List.of(args[5].split(","));
    int writes = Integer.parseInt(args[7]);
    try {
      if (scenarios.contains("latency")) {
        System.out.println(
            "| store | watchers | writes | deliveries | p50 ms | p99 ms | max ms |"
                + " missing or out of order | write answered p50 / p99 ms |"
                + " delivered after the answer p50 / p99 ms | server CPU ms/write |");
        System.out.println(
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (String n : args[6].split(",")) load.latency(Integer.parseInt(n), writes);
        System.out.println();
      }
      if (scenarios.contains("throughput")) load.throughput(100, 8, Long.parseLong(args[8]));
      if (scenarios.contains("memory")) {
        for (String n : args[9].split(","))
          load.memory(Integer.parseInt(n), Integer.parseInt(args[10]));
      }
    } finally {
      http.dispatcher().cancelAll();
      http.dispatcher().executorService().shutdownNow();
      http.connectionPool().evictAll();
    }
  }

  // ---------------------------------------------------------------- scenarios

  /** {@code writes} sequential single-field writes, each timed to every one of the watchers. */
  private void latency(int watchers, int writes) throws Exception {
    String name = run + "latency-" + watchers;
    long v0 = target.create(name);
    Fleet fleet = connect(name, v0, watchers, true);
    // warm-up, not reported: the JIT on both sides, and every watcher's first delivery
    long v = v0;
    for (int i = 0; i < WARM_WRITES; i++) v = timedWrite(fleet, name, v, null);
    for (Watcher w : fleet.watchers) w.latencies = new long[writes];
    fleet.base = v;
    long cpu0 = cpuTicks();
    long late = 0;
    List<Long> answered = new ArrayList<>();
    for (int i = 0; i < writes; i++) {
      long next = timedWrite(fleet, name, v, fleet.sent);
      answered.add(fleet.answered);
      if (next < 0) {
        late++;
        next = v + 1;
      }
      v = next;
    }
    long cpu = cpuTicks() - cpu0;
    // wait for stragglers before counting who got what
    fleet.awaitAll(v, 10_000);
    List<Long> all = new ArrayList<>();
    List<Long> afterAnswer = new ArrayList<>();
    for (Watcher w : fleet.watchers) {
      for (int i = 0; i < writes; i++) {
        long t = w.latencies[i];
        if (t > 0) {
          all.add(t);
          afterAnswer.add(t - answered.get(i));
        }
      }
    }
    Collections.sort(all);
    Collections.sort(afterAnswer);
    Collections.sort(answered);
    long bad = fleet.problems(v);
    System.out.printf(
        Locale.ROOT,
        "| %s | %d | %d | %d | %.2f | %.2f | %.2f | %s | %.2f / %.2f | %.2f / %.2f | %.2f |%n",
        label,
        watchers,
        writes,
        all.size(),
        pct(all, 50),
        pct(all, 99),
        all.isEmpty() ? Double.NaN : all.get(all.size() - 1) / 1e6,
        bad == 0 && late == 0
            ? "0"
            : bad + " watchers; " + late + " writes not delivered to all within 5 s",
        pct(answered, 50),
        pct(answered, 99),
        pct(afterAnswer, 50),
        pct(afterAnswer, 99),
        cpu * 1000.0 / 100 / writes);
    fleet.close();
  }

  /**
   * One write after {@code v}, timed from just before it is sent into {@code sent} (null: not
   * timed); waits until every watcher has it (5 s at most, then returns -1), then pauses. Returns
   * the new version.
   */
  private long timedWrite(Fleet fleet, String name, long v, AtomicLongArray sent) throws Exception {
    fleet.arm(v + 1);
    long t0 = System.nanoTime();
    if (sent != null) sent.set((int) (v + 1 - fleet.base), t0);
    long written = target.write(name, 0, v + 1);
    fleet.answered = System.nanoTime() - t0;
    if (written != v + 1) {
      throw new IllegalStateException("expected version " + (v + 1) + ", wrote " + written);
    }
    boolean all = fleet.latch.await(5, TimeUnit.SECONDS);
    Thread.sleep(PAUSE_MILLIS);
    return all ? written : -1;
  }

  /**
   * {@code writers} threads write as fast as they can for {@code seconds}; events/s delivered to
   * {@code watchers}, counted until the last watcher has the last version.
   */
  private void throughput(int watchers, int writers, long seconds) throws Exception {
    String name = run + "throughput";
    long v0 = target.create(name);
    Fleet fleet = connect(name, v0, watchers, true);
    for (int i = 1; i <= WARM_WRITES; i++) target.write(name, 0, v0 + i); // warm-up
    fleet.awaitAll(v0 + WARM_WRITES, 30_000);
    long start = System.nanoTime();
    long cpu0 = cpuTicks();
    long end = start + seconds * 1_000_000_000L;
    AtomicLong done = new AtomicLong();
    List<Thread> threads = new ArrayList<>();
    List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
    for (int c = 0; c < writers; c++) {
      int writer = c;
      Thread t =
          new Thread(
              () -> {
                try {
                  while (System.nanoTime() < end) {
                    target.write(name, writer, -1);
                    done.incrementAndGet();
                  }
                } catch (Exception e) {
                  failures.add(e);
                }
              });
      t.start();
      threads.add(t);
    }
    for (Thread t : threads) t.join();
    if (!failures.isEmpty()) throw new IllegalStateException(failures.get(0));
    long writesEnd = System.nanoTime();
    long last = target.version(name);
    if (last != v0 + WARM_WRITES + done.get()) {
      throw new IllegalStateException(
          done.get() + " writes acknowledged, " + (last - v0 - WARM_WRITES) + " made");
    }
    boolean all = fleet.awaitAll(last, 120_000);
    long elapsed = (all ? fleet.lastDelivery.get() : System.nanoTime()) - start;
    long cpu = cpuTicks() - cpu0;
    long bad = fleet.problems(last);
    long events = (last - v0 - WARM_WRITES) * watchers;
    System.out.printf(
        Locale.ROOT,
        "%s throughput, %d writers for %d s, %d watchers: %d writes (%.0f writes/s), %d events"
            + " delivered in %.2f s = %.0f events/s; last delivery %.0f ms after the last write"
            + " returned; every watcher got every version once, in order: %s; server CPU %.2f"
            + " ms/write%n",
        label,
        writers,
        seconds,
        watchers,
        done.get(),
        done.get() / ((writesEnd - start) / 1e9),
        events,
        elapsed / 1e9,
        events / (elapsed / 1e9),
        all ? (fleet.lastDelivery.get() - writesEnd) / 1e6 : Double.NaN,
        bad == 0 && all ? "yes" : "NO (" + bad + " watchers not)",
        cpu * 1000.0 / 100 / Math.max(1, done.get()));
    fleet.close();
  }

  /** The server's resident memory before and with {@code n} idle watchers. */
  private void memory(int n, int perConfig) throws Exception {
    int per = perConfig <= 0 ? n : perConfig;
    int configs = (n + per - 1) / per;
    long[] v0 = new long[configs];
    for (int k = 0; k < configs; k++) v0[k] = target.create(run + "idle-" + n + "-" + k);
    Thread.sleep(2000);
    heapBefore = heapUsed(pids[0]);
    long rss0 = rss(pids[0]);
    List<Fleet> fleets = new ArrayList<>();
    long t0 = System.nanoTime();
    for (int k = 0; k < configs; k++) {
      fleets.add(connect(run + "idle-" + n + "-" + k, v0[k], Math.min(per, n - k * per), false));
    }
    double connectSecs = (System.nanoTime() - t0) / 1e9;
    // until what the connecting set off has stopped arriving (1 s quiet), then 5 s more
    for (long end = System.nanoTime() + 120_000_000_000L; System.nanoTime() < end; ) {
      long latest = 0;
      for (Fleet f : fleets) latest = Math.max(latest, f.lastMessage.get());
      if (System.nanoTime() - latest > 1_000_000_000L) break;
      Thread.sleep(100);
    }
    Thread.sleep(5000);
    long rss = rss(pids[0]);
    String heap = heapAfterGc(pids[0], n);
    long open = 0;
    long messages = 0;
    long bytes = 0;
    for (Fleet f : fleets) {
      for (Watcher w : f.watchers) if (w.closed == null) open++;
      messages += f.messages.get();
      bytes += f.bytes.get();
    }
    System.out.printf(
        Locale.ROOT,
        "%s memory, %d idle watchers (%s%s; connected in %.1f s, %d still open 5 s later):"
            + " server RSS %d MB before, %d MB with them = %.1f KB per watcher; %d messages"
            + " (%.1f MB) reached them while connecting%s%n",
        label,
        n,
        configs == 1 ? "all on one config" : per + " per config, " + configs + " configs",
        target instanceof Cfgctl
            ? (Boolean.getBoolean("stream.noDeflate")
                    ? ", permessage-deflate not offered"
                    : ", permessage-deflate offered")
                + ", extensions the server chose: "
                + extensions
            : "",
        connectSecs,
        open,
        rss0 / 1024,
        rss / 1024,
        (rss - rss0) / (double) n,
        messages,
        bytes / 1e6,
        heap);
    for (Fleet f : fleets) f.close();
    Thread.sleep(2000);
  }

  // ---------------------------------------------------------------- watchers

  /** The watchers of one config, and the version they are all to reach next. */
  final class Fleet {
    final List<Watcher> watchers = new ArrayList<>();
    final AtomicLong lastDelivery = new AtomicLong();
    final AtomicLong lastMessage = new AtomicLong(System.nanoTime());
    final AtomicLong messages = new AtomicLong();
    final AtomicLong bytes = new AtomicLong();
    final AtomicLongArray sent = new AtomicLongArray(1_000_000);
    volatile long base;
    volatile long answered;
    volatile long awaited = Long.MAX_VALUE;
    volatile CountDownLatch latch = new CountDownLatch(0);

    void arm(long version) {
      latch = new CountDownLatch(watchers.size());
      awaited = version;
    }

    /** A watcher got {@code version} at {@code now}. */
    void delivered(Watcher w, long version, long now) {
      lastDelivery.accumulateAndGet(now, Math::max);
      long[] lat = w.latencies;
      if (lat != null && version > base) {
        int i = (int) (version - base);
        long t0 = sent.get(i);
        if (t0 != 0 && i - 1 < lat.length) lat[i - 1] = now - t0;
      }
      if (version >= awaited) latch.countDown();
    }

    /** Waits up to {@code millis} until every watcher has {@code version}. */
    boolean awaitAll(long version, long millis) throws InterruptedException {
      long end = System.nanoTime() + millis * 1_000_000;
      while (System.nanoTime() < end) {
        boolean all = true;
        for (Watcher w : watchers) all &= w.last >= version;
        if (all) return true;
        Thread.sleep(5);
      }
      return false;
    }

    /** Watchers that missed a version, got one twice or out of order, or were closed. */
    long problems(long version) {
      long bad = 0;
      for (Watcher w : watchers) {
        if (w.disorder != null || w.closed != null || w.last != version) {
          bad++;
          if (bad <= 3) {
            System.err.printf(
                "watcher %d: last %d (expected %d), %s, closed: %s%n",
                w.id, w.last, version, w.disorder, w.closed);
          }
        }
      }
      return bad;
    }

    void close() {
      for (Watcher w : watchers) w.stop();
    }
  }

  /** One watcher's cursor and what it saw. */
  static final class Watcher {
    final int id;
    volatile long last;
    volatile String disorder;
    volatile String closed;
    volatile long[] latencies;
    volatile Runnable stop = () -> {};

    Watcher(int id, long since) {
      this.id = id;
      this.last = since;
    }

    /** A version arrived: it must be the next one. */
    void version(long v) {
      if (v != last + 1 && disorder == null) disorder = "got " + v + " after " + last;
      if (v > last) last = v;
    }

    void stop() {
      stop.run();
    }
  }

  /**
   * {@code n} watchers of {@code name} from {@code since}, connected 50 at a time; returns once
   * every one is connected and, when {@code settle}, what their connecting set off has stopped
   * arriving (0.5 s quiet).
   */
  private Fleet connect(String name, long since, int n, boolean settle) throws Exception {
    Fleet fleet = new Fleet();
    for (int i = 0; i < n; i += 50) {
      int batch = Math.min(50, n - i);
      CountDownLatch open = new CountDownLatch(batch);
      for (int j = 0; j < batch; j++) {
        Watcher w = new Watcher(i + j, since);
        fleet.watchers.add(w);
        target.watch(name, since, w, fleet, open);
      }
      if (!open.await(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("watchers did not connect within 60 s");
      }
    }
    long end = System.nanoTime() + 120_000_000_000L;
    while (settle
        && System.nanoTime() - fleet.lastMessage.get() < 500_000_000L
        && System.nanoTime() < end) {
      Thread.sleep(50);
    }
    for (Watcher w : fleet.watchers) {
      if (w.closed != null) throw new IllegalStateException("watcher closed: " + w.closed);
    }
    return fleet;
  }

  /** A config store with a change stream: cfgctl, or etcd. */
  interface Target {
    /** Creates {@code name} with a small document; returns its version. */
    long create(String name) throws IOException;

    /**
     * One small write by {@code writer}; returns the new version. {@code expected} is the version
     * it should make (-1: any).
     */
    long write(String name, int writer, long expected) throws IOException;

    long version(String name) throws IOException;

    /**
     * Connects {@code w} to {@code name}'s stream after {@code since}; counts down {@code open}.
     */
    void watch(String name, long since, Watcher w, Fleet fleet, CountDownLatch open);
  }

  /** The WebSocket extensions the server chose, as the last watcher to connect saw them. */
  static volatile String extensions = "?";

  /** cfgctl: PATCH over HTTP, watchers on WebSockets. */
  static final class Cfgctl implements Target {
    private final OkHttpClient http;
    private final String writeUrl;
    private final String watchUrl;
    private final String auth;
    private final String doc;

    Cfgctl(OkHttpClient http, String writeUrl, String watchUrl, String token) throws IOException {
      this.http = http;
      this.writeUrl = writeUrl;
      this.watchUrl = watchUrl;
      this.auth = "Bearer " + token;
      this.doc = ServerLoad.landingPage(3_000);
    }

    private String path(String name) {
      return "/v1/tenants/bench/configs/" + name;
    }

    @Override
    public long create(String name) throws IOException {
      Request r =
          new Request.Builder()
              .url(writeUrl + path(name))
              .header("Authorization", auth)
              .header("If-None-Match", "*")
              .put(RequestBody.create(doc, JSON_TYPE))
              .build();
      try (Response res = http.newCall(r).execute()) {
        if (res.code() != 201) {
          throw new IllegalStateException(
              "create " + name + ": " + res.code() + " " + res.body().string());
        }
        return Long.parseLong(res.header("Config-Version"));
      }
    }

    @Override
    public long write(String name, int writer, long expected) throws IOException {
      String body =
          "[{\"op\":\"replace\",\"path\":\"/pages/0/sections/"
              + writer
              + "/content/headline\",\"value\":\"edit "
              + System.nanoTime()
              + "\"}]";
      Request r =
          new Request.Builder()
              .url(writeUrl + path(name))
              .header("Authorization", auth)
              .header("Prefer", "return=minimal")
              .patch(RequestBody.create(body, PATCH_TYPE))
              .build();
      try (Response res = http.newCall(r).execute()) {
        if (res.code() != 200 && res.code() != 204) {
          throw new IllegalStateException(
              "PATCH " + name + ": " + res.code() + " " + res.body().string());
        }
        return Long.parseLong(res.header("Config-Version"));
      }
    }

    @Override
    public long version(String name) throws IOException {
      Request r =
          new Request.Builder().url(writeUrl + path(name)).header("Authorization", auth).build();
      try (Response res = http.newCall(r).execute()) {
        return Long.parseLong(res.header("Config-Version"));
      }
    }

    @Override
    public void watch(String name, long since, Watcher w, Fleet fleet, CountDownLatch open) {
      Request r =
          new Request.Builder()
              .url(watchUrl + path(name) + "/events?since=" + since + "&client=bench-" + w.id)
              .header("Authorization", auth)
              .build();
      WebSocket ws =
          http.newWebSocket(
              r,
              new WebSocketListener() {
                @Override
                public void onOpen(WebSocket ws, Response response) {
                  extensions = String.valueOf(response.header("Sec-WebSocket-Extensions"));
                  open.countDown();
                }

                @Override
                public void onMessage(WebSocket ws, String text) {
                  long now = System.nanoTime();
                  fleet.lastMessage.set(now);
                  fleet.messages.incrementAndGet();
                  fleet.bytes.addAndGet(text.length());
                  long v = revision(text);
                  if (v > 0) {
                    w.version(v);
                    fleet.delivered(w, v, now);
                  }
                }

                @Override
                public void onClosing(WebSocket ws, int code, String reason) {
                  if (w.closed == null) w.closed = code + " " + reason;
                  ws.close(1000, null);
                }

                @Override
                public void onFailure(WebSocket ws, Throwable t, Response response) {
                  if (w.closed == null) {
                    w.closed = "failed: " + t + (response == null ? "" : " " + response.code());
                  }
                  open.countDown();
                }
              });
      w.stop =
          () -> {
            w.closed = "stopped";
            ws.close(1000, "done");
          };
    }

    /** The version of a {@code revision} message, else -1 (lock, presence, ping…). */
    private static long revision(String text) {
      try (JsonParser p = FACTORY.createParser(text)) {
        p.nextToken();
        String type = null;
        long version = -1;
        while (p.nextToken() == JsonToken.FIELD_NAME && (type == null || version < 0)) {
          String field = p.currentName();
          JsonToken t = p.nextToken();
          if (field.equals("type")) type = p.getText();
          else if (field.equals("version") && t == JsonToken.VALUE_NUMBER_INT) {
            version = p.getLongValue();
          } else p.skipChildren();
        }
        return "revision".equals(type) ? version : -1;
      } catch (IOException e) {
        throw new IllegalStateException("not JSON: " + text, e);
      }
    }
  }

  /**
   * etcd 3.4 through its JSON gateway: a write is a PUT of the whole value (etcd has no patch), a
   * watcher a streaming {@code POST /v3/watch} on a thread of its own, reading JSON lines. A key's
   * {@code version} counts its writes, so it plays cfgctl's config version.
   */
  static final class Etcd implements Target {
    private final OkHttpClient http;
    private final String url;
    private final String before;
    private final String after;
    private final ConcurrentHashMap<Call, Boolean> calls = new ConcurrentHashMap<>();

    Etcd(OkHttpClient http, String url) throws IOException {
      this.http = http;
      this.url = url;
      String doc = ServerLoad.landingPage(3_000);
      String field = "\"headline\":\"";
      int at = doc.indexOf(field) + field.length();
      before = doc.substring(0, at);
      after = doc.substring(doc.indexOf('"', at));
    }

    private static String b64(String s) {
      return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private JsonNode post(String path, String body) throws IOException {
      Request r =
          new Request.Builder().url(url + path).post(RequestBody.create(body, JSON_TYPE)).build();
      try (Response res = http.newCall(r).execute()) {
        String text = res.body().string();
        if (res.code() != 200)
          throw new IllegalStateException("etcd " + path + ": " + res.code() + " " + text);
        return JSON.readTree(text);
      }
    }

    private long put(String name, String headline) throws IOException {
      post(
          "/v3/kv/put",
          "{\"key\":\"" + b64(name) + "\",\"value\":\"" + b64(before + headline + after) + "\"}");
      return -1;
    }

    @Override
    public long create(String name) throws IOException {
      put(name, "created");
      return version(name);
    }

    @Override
    public long write(String name, int writer, long expected) throws IOException {
      // the put's answer has the store's revision, not the key's version: with one writer (the
      // latency runs) the key's version is the expected one
      put(name, "edit " + writer + " " + System.nanoTime());
      return expected;
    }

    @Override
    public long version(String name) throws IOException {
      return post("/v3/kv/range", "{\"key\":\"" + b64(name) + "\"}").at("/kvs/0/version").asLong();
    }

    @Override
    public void watch(String name, long since, Watcher w, Fleet fleet, CountDownLatch open) {
      Request r =
          new Request.Builder()
              .url(url + "/v3/watch")
              .post(
                  RequestBody.create(
                      "{\"create_request\":{\"key\":\"" + b64(name) + "\"}}", JSON_TYPE))
              .build();
      Call call = http.newCall(r);
      w.stop =
          () -> {
            w.closed = "stopped";
            call.cancel();
          };
      Thread t =
          new Thread(
              () -> {
                try (Response res = call.execute()) {
                  BufferedSource in = res.body().source();
                  for (String line; (line = in.readUtf8Line()) != null; ) {
                    long now = System.nanoTime();
                    fleet.lastMessage.set(now);
                    fleet.messages.incrementAndGet();
                    fleet.bytes.addAndGet(line.length());
                    JsonNode m = JSON.readTree(line).path("result");
                    if (m.path("created").asBoolean()) open.countDown();
                    for (JsonNode e : m.path("events")) {
                      long v = e.path("kv").path("version").asLong();
                      w.version(v);
                      fleet.delivered(w, v, now);
                    }
                  }
                  if (w.closed == null) w.closed = "the stream ended";
                } catch (IOException e) {
                  if (w.closed == null) w.closed = "failed: " + e;
                  open.countDown();
                }
              },
              "etcd-watch-" + w.id);
      t.setDaemon(true);
      t.start();
    }
  }

  // ---------------------------------------------------------------- plumbing

  private long cpuTicks() throws IOException {
    long sum = 0;
    for (long pid : pids) {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      sum += Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }
    return sum;
  }

  /** VmRSS in KB. */
  private static long rss(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }
    throw new IllegalStateException("no VmRSS for " + pid);
  }

  /**
   * A JVM server's heap in use after a full collection, per watcher over the one measured at {@link
   * #heapBefore} ("" for etcd): steadier than RSS, which follows the collector's sizing.
   */
  private String heapAfterGc(long pid, int n) throws Exception {
    Long used = heapUsed(pid);
    if (used == null || heapBefore == null) return "";
    return String.format(
        Locale.ROOT,
        "; heap in use after a full GC %d MB before, %d MB with them = %.1f KB per watcher",
        heapBefore / 1024,
        used / 1024,
        (used - heapBefore) / (double) n);
  }

  private Long heapBefore;

  /** KB of heap in use after {@code jcmd PID GC.run}, by the server's own JDK; null if none. */
  private static Long heapUsed(long pid) throws Exception {
    Path exe = Files.readSymbolicLink(Path.of("/proc/" + pid + "/exe"));
    // jcmd attaches with a SIGQUIT, which ends any process but a JVM
    if (!exe.getFileName().toString().equals("java")) return null;
    Path jcmd = exe.resolveSibling("jcmd");
    if (!Files.isExecutable(jcmd)) return null;
    jcmd(jcmd, pid, "GC.run");
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("used (\\d+)K").matcher(jcmd(jcmd, pid, "GC.heap_info"));
    return m.find() ? Long.parseLong(m.group(1)) : null;
  }

  private static String jcmd(Path jcmd, long pid, String command) throws Exception {
    Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return out;
  }

  static double pct(List<Long> sorted, int p) {
    return ServerLoad.pct(sorted, p);
  }
}
