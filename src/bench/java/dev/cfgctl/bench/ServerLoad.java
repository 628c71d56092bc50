package dev.cfgctl.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load against a running {@code cfgctl serve}: writes/s, conflict rate and latency of single-field
 * patches on one hot config and on one config per client, lock latency and hand-offs, and the
 * server's memory after many revisions. Prints markdown rows.
 *
 * <pre>ServerLoad BASE_URL TOKEN SERVER_PID DATA_DIR LABEL SECONDS [SCENARIOS]</pre>
 *
 * SCENARIOS is a comma-separated subset of {@code hot,rebase,own,locks,memory} (default: all). Each
 * run starts with an unreported warm-up so that the first scenario does not pay for the JIT. A
 * TOKEN of {@code -} means BASE_URL is etcd 3.4's JSON gateway, loaded the same way (see {@link
 * Etcd}).
 */
public final class ServerLoad {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final String base;
  private final String host;
  private final String token;
  private final String label;
  private final long seconds;

  private ServerLoad(String base, String token, String label, long seconds) {
    this.base = base;
    this.host = URI.create(base).getAuthority();
    this.token = token.equals("-") ? null : token;
    this.label = label;
    this.seconds = seconds;
  }

  private ServerLoad withSeconds(long seconds) {
    return new ServerLoad(base, token == null ? "-" : token, label, seconds);
  }

  public static void main(String[] args) throws Exception {
    ServerLoad load = new ServerLoad(args[0], args[1], args[4], Long.parseLong(args[5]));
    long pid = Long.parseLong(args[2]);
    serverPid = pid;
    Path dataDir = Path.of(args[3]);
    System.out.printf(
        "fsync latency of the data directory's disk (p50 / p99 of 200 x 4 KiB write+fsync): %s%n",
        fsync(dataDir));
    System.out.println();
    System.out.println(
        "| store | scenario | clients | writes/s | conflicts | p50 ms | p99 ms | server CPU ms/write |");
    System.out.println("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |");
    String doc = landingPage(50_000);
    System.err.printf("config size: %d bytes%n", doc.length());
    List<String> scenarios =
        List.of((args.length > 6 ? args[6] : "hot,rebase,own,locks,memory").split(","));
    if (load.token == null) { // etcd, the reference, under the same load
      Etcd etcd = new Etcd(load, doc);
      etcd.withSeconds(Math.min(5, load.seconds)).cas("warm", 8, true);
      if (scenarios.contains("hot"))
        for (int clients : new int[] {1, 8, 32}) load.print(etcd.cas("", clients, true));
      if (scenarios.contains("own"))
        for (int clients : new int[] {1, 8, 32}) load.print(etcd.cas("", clients, false));
      System.out.println();
      if (scenarios.contains("locks")) etcd.locks();
      if (scenarios.contains("memory")) etcd.memory(pid, 20_000);
      return;
    }
    // warm-up, not reported: the server's JIT and connection pools, on configs of their own
    ServerLoad warm = load.withSeconds(Math.min(5, load.seconds));
    warm.hot("warm", doc, 8, false);
    warm.hot("warm", doc, 8, true);
    if (scenarios.contains("hot"))
      for (int clients : new int[] {1, 8, 32}) load.print(load.hot("", doc, clients, false));
    if (scenarios.contains("rebase"))
      for (int clients : new int[] {8, 32}) load.print(load.hot("", doc, clients, true));
    if (scenarios.contains("own")) for (int clients : new int[] {1, 8, 32}) load.own(doc, clients);
    System.out.println();
    if (scenarios.contains("locks")) load.locks();
    if (scenarios.contains("memory")) load.memory(doc, pid, 20_000);
  }

  // ---------------------------------------------------------------- writes

  /** Single-field patches on one config with If-Match, retrying on 412 (or rebasing). */
  private Stats hot(String prefix, String doc, int clients, boolean rebase) throws Exception {
    String name = prefix + "hot-" + clients + (rebase ? "-rebase" : "");
    long v0 = create(name, doc);
    Stats stats =
        run(
            clients,
            (client, known) -> {
              String field =
                  rebase
                      ? "/pages/0/sections/" + client + "/content/headline"
                      : "/pages/0/sections/0/content/headline";
              String body =
                  "[{\"op\":\"replace\",\"path\":\""
                      + field
                      + "\",\"value\":\"edit "
                      + client
                      + " "
                      + System.nanoTime()
                      + "\"}]";
              Result r =
                  send(
                      "PATCH",
                      "/v1/tenants/bench/configs/" + name + (rebase ? "?rebase=true" : ""),
                      "application/json-patch+json",
                      body,
                      "\"" + (known[0] == 0 ? v0 : known[0]) + "\"");
              if (r.status == 200) known[0] = Long.parseLong(r.version);
              else if (r.status == 412)
                known[0] = JSON.readTree(r.body).get("currentVersion").asLong();
              else throw new IllegalStateException(r.status + " " + r.body);
              return r;
            });
    checkVersion(name, v0 + stats.okNanos.size());
    stats.scenario =
        rebase
            ? "one hot config, ?rebase=true, disjoint fields"
            : "one hot config, If-Match + retry on 412";
    stats.clients = clients;
    return stats;
  }

  /** The counts are honest: every acknowledged write made exactly one version. */
  private void checkVersion(String name, long expected) throws IOException {
    long actual = version(name);
    if (actual != expected) {
      throw new IllegalStateException(name + " is at version " + actual + ", expected " + expected);
    }
  }

  private long version(String name) throws IOException {
    Result r = send("GET", "/v1/tenants/bench/configs/" + name, null, null, null);
    if (r.status != 200)
      throw new IllegalStateException("GET " + name + ": " + r.status + " " + r.body);
    return Long.parseLong(r.version);
  }

  private void print(Stats stats) {
    stats.print(label, stats.scenario, stats.clients);
  }

  /** Each client patches its own config. */
  private void own(String doc, int clients) throws Exception {
    long[] v0 = new long[clients];
    for (int c = 0; c < clients; c++) v0[c] = create("own-" + clients + "-" + c, doc);
    Stats stats =
        run(
            clients,
            (client, known) -> {
              Result r =
                  send(
                      "PATCH",
                      "/v1/tenants/bench/configs/own-" + clients + "-" + client,
                      "application/json-patch+json",
                      "[{\"op\":\"replace\",\"path\":\"/pages/0/sections/0/content/headline\","
                          + "\"value\":\"edit "
                          + System.nanoTime()
                          + "\"}]",
                      "\"" + (known[0] == 0 ? v0[client] : known[0]) + "\"");
              if (r.status != 200) throw new IllegalStateException(r.status + " " + r.body);
              known[0] = Long.parseLong(r.version);
              return r;
            });
    long written = 0;
    for (int c = 0; c < clients; c++) written += version("own-" + clients + "-" + c) - v0[c];
    if (written != stats.okNanos.size()) {
      throw new IllegalStateException(
          stats.okNanos.size() + " writes acknowledged, " + written + " made");
    }
    stats.print(label, "each client its own config", clients);
  }

  interface Op {
    Result call(int client, long[] known) throws Exception;
  }

  private Stats run(int clients, Op op) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    List<Future<Stats>> futures = new ArrayList<>();
    long cpu0 = cpuTicks(serverPid);
    long start = System.nanoTime();
    for (int c = 0; c < clients; c++) {
      int client = c;
      futures.add(
          pool.submit(
              () -> {
                Stats s = new Stats();
                long[] known = {0};
                try {
                  while (System.nanoTime() < end) {
                    long t0 = System.nanoTime();
                    Result r = op.call(client, known);
                    long t = System.nanoTime() - t0;
                    if (r.status == 200) s.ok(t);
                    else s.conflict(t);
                  }
                } finally {
                  closeConnection();
                }
                return s;
              }));
    }
    Stats all = new Stats();
    for (Future<Stats> f : futures) all.add(f.get());
    all.elapsedNanos = System.nanoTime() - start;
    all.serverCpuTicks = cpuTicks(serverPid) - cpu0;
    pool.shutdown();
    return all;
  }

  static final class Stats {
    final List<Long> okNanos = new ArrayList<>();
    final List<Long> allNanos = new ArrayList<>();
    long conflicts;
    long elapsedNanos;
    long serverCpuTicks;
    String scenario;
    int clients;

    void ok(long t) {
      okNanos.add(t);
      allNanos.add(t);
    }

    void conflict(long t) {
      conflicts++;
      allNanos.add(t);
    }

    void add(Stats o) {
      okNanos.addAll(o.okNanos);
      allNanos.addAll(o.allNanos);
      conflicts += o.conflicts;
    }

    void print(String store, String scenario, int clients) {
      Collections.sort(allNanos);
      double secs = elapsedNanos / 1e9;
      System.out.printf(
          Locale.ROOT,
          "| %s | %s | %d | %.0f | %.1f %% | %.2f | %.2f | %.2f |%n",
          store,
          scenario,
          clients,
          okNanos.size() / secs,
          100.0 * conflicts / Math.max(1, allNanos.size()),
          pct(allNanos, 50),
          pct(allNanos, 99),
          serverCpuTicks * 1000.0 / TICKS / Math.max(1, okNanos.size()));
    }
  }

  /** The server's pid, whose CPU time each write scenario measures (user + system). */
  private static long serverPid;

  /** Linux's clock ticks per second in /proc/PID/stat (USER_HZ, 100 on every mainstream kernel). */
  private static final double TICKS = 100;

  /**
   * CPU time the process has used, in ticks: less sensitive than throughput to other work on the
   * machine, so two builds measured on a busy machine still compare. The database's own CPU time
   * (PostgreSQL's backends) is not included.
   */
  private static long cpuTicks(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14 and 15)
  }

  static double pct(List<Long> sorted, int p) {
    if (sorted.isEmpty()) return Double.NaN;
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1))
        / 1e6;
  }

  // ---------------------------------------------------------------- locks

  private void locks() throws Exception {
    String name = "locks";
    create(name, "{}");
    String lock = "/v1/tenants/bench/configs/" + name + "/lock";
    rounds(
        label + " locks, uncontended",
        new String[] {"acquire", "heartbeat", "release"},
        () ->
            JSON.readTree(
                    send(
                            "POST",
                            lock,
                            "application/json",
                            "{\"ttlSeconds\":30,\"client\":\"bench\"}",
                            null)
                        .body)
                .get("id")
                .asText(),
        id -> send("PUT", lock + "/" + id, "application/json", "{}", null),
        id -> send("DELETE", lock + "/" + id, null, null, null));

    // 8 contenders: acquire (polling every 1 ms while held), release at once; hand-offs per second
    AtomicLong handoffs = new AtomicLong();
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<?>> fs = new ArrayList<>();
    long start = System.nanoTime();
    for (int c = 0; c < 8; c++) {
      fs.add(
          pool.submit(
              () -> {
                while (System.nanoTime() < end) {
                  Result a =
                      send(
                          "POST",
                          "/v1/tenants/bench/configs/" + name + "/lock",
                          "application/json",
                          "{\"ttlSeconds\":30}",
                          null);
                  if (a.status == 201) {
                    handoffs.incrementAndGet();
                    String id = JSON.readTree(a.body).get("id").asText();
                    send(
                        "DELETE",
                        "/v1/tenants/bench/configs/" + name + "/lock/" + id,
                        null,
                        null,
                        null);
                  } else if (a.status == 409) {
                    Thread.sleep(1);
                  } else {
                    throw new IllegalStateException(a.status + " " + a.body);
                  }
                }
                closeConnection();
                return null;
              }));
    }
    for (Future<?> f : fs) f.get();
    pool.shutdown();
    System.out.printf(
        Locale.ROOT,
        "%s locks, 8 contenders polling every 1 ms: %.0f hand-offs/s%n",
        label,
        handoffs.get() / ((System.nanoTime() - start) / 1e9));
  }

  interface Step {
    void run(String id) throws Exception;
  }

  /**
   * 300 rounds of take (returning an id), hold and give back, each timed; prints the p50 and p99 of
   * each step under {@code names}.
   */
  static void rounds(String title, String[] names, Callable<String> take, Step hold, Step giveBack)
      throws Exception {
    List<List<Long>> times = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    for (int i = 0; i < 300; i++) {
      long t0 = System.nanoTime();
      String id = take.call();
      long t1 = System.nanoTime();
      hold.run(id);
      long t2 = System.nanoTime();
      giveBack.run(id);
      long t3 = System.nanoTime();
      times.get(0).add(t1 - t0);
      times.get(1).add(t2 - t1);
      times.get(2).add(t3 - t2);
    }
    StringBuilder line = new StringBuilder(title).append(" (300 rounds):");
    for (int k = 0; k < 3; k++) {
      Collections.sort(times.get(k));
      line.append(
          String.format(
              Locale.ROOT,
              "%s %s p50 %.2f ms p99 %.2f ms",
              k == 0 ? "" : ";",
              names[k],
              pct(times.get(k), 50),
              pct(times.get(k), 99)));
    }
    System.out.println(line);
  }

  // ---------------------------------------------------------------- memory

  private void memory(String doc, long pid, int revisions) throws Exception {
    String name = "history";
    create(name, doc);
    revisions(
        label,
        pid,
        revisions,
        doc.length(),
        (client, n) -> {
          Result r =
              send(
                  "PATCH",
                  "/v1/tenants/bench/configs/" + name,
                  "application/json-patch+json",
                  "[{\"op\":\"replace\",\"path\":\"/pages/0/sections/"
                      + client
                      + "/content/headline\","
                      + "\"value\":\"rev "
                      + n
                      + "\"}]",
                  null);
          if (r.status != 200) throw new IllegalStateException(r.status + " " + r.body);
        });
  }

  interface Revise {
    void write(int client, long n) throws Exception;
  }

  /**
   * Write number {@code n} of {@code revisions} by 8 clients, then the server's resident memory.
   */
  private void revisions(String what, long pid, int revisions, int bytes, Revise revise)
      throws Exception {
    long t0 = System.nanoTime();
    AtomicLong done = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<?>> fs = new ArrayList<>();
    for (int c = 0; c < 8; c++) {
      int client = c;
      fs.add(
          pool.submit(
              () -> {
                for (long n; (n = done.incrementAndGet()) <= revisions; ) revise.write(client, n);
                closeConnection();
                return null;
              }));
    }
    for (Future<?> f : fs) f.get();
    pool.shutdown();
    double secs = (System.nanoTime() - t0) / 1e9;
    String status = Files.readString(Path.of("/proc/" + pid + "/status"));
    System.out.printf(
        Locale.ROOT,
        "%s memory after %d revisions of a %d-byte config (written in %.1f s):"
            + " server RSS %s, peak RSS %s%n",
        what,
        revisions,
        bytes,
        secs,
        field(status, "VmRSS"),
        field(status, "VmHWM"));
  }

  private static String field(String status, String name) {
    for (String line : status.split("\n")) {
      if (line.startsWith(name + ":")) return line.substring(name.length() + 1).trim();
    }
    return "?";
  }

  // ---------------------------------------------------------------- etcd

  /**
   * The reference, etcd 3.4, under the same load through its JSON gateway (one plain
   * keep-alive connection per client, like the cfgctl runs). A save is a compare-and-swap of the
   * whole 50 KB value (etcd has no patch) on the key's mod_revision; a failed compare returns the
   * current revision in the same round trip (a range in the transaction's failure branch). The
   * client builds each value from its own copy of the document and does not parse the value it
   * reads back, so it does less work than a real one would.
   */
  static final class Etcd {
    private final ServerLoad load;
    private final String doc;
    private final String before;
    private final String after;

    Etcd(ServerLoad load, String doc) {
      this.load = load;
      this.doc = doc;
      String field = "\"headline\":\"";
      int at = doc.indexOf(field) + field.length();
      before = doc.substring(0, at);
      after = doc.substring(doc.indexOf('"', at));
    }

    Etcd withSeconds(long seconds) {
      return new Etcd(load.withSeconds(seconds), doc);
    }

    Stats cas(String prefix, int clients, boolean hotKey) throws Exception {
      int keys = hotKey ? 1 : clients;
      String[] key = new String[keys];
      long[] rev0 = new long[keys];
      long[] version0 = new long[keys];
      for (int k = 0; k < keys; k++) {
        key[k] = b64(prefix + (hotKey ? "hot-" + clients : "own-" + clients + "-" + k));
        rev0[k] =
            header(
                post(
                    "/v3/kv/put",
                    "{\"key\":\"" + key[k] + "\",\"value\":\"" + value("created") + "\"}"));
        version0[k] = version(key[k]);
      }
      Stats stats =
          load.run(
              clients,
              (client, known) -> {
                int k = hotKey ? 0 : client;
                long rev = known[0] == 0 ? rev0[k] : known[0];
                JsonNode r =
                    post(
                        "/v3/kv/txn",
                        "{\"compare\":[{\"key\":\""
                            + key[k]
                            + "\",\"target\":\"MOD\",\"result\":\"EQUAL\",\"mod_revision\":\""
                            + rev
                            + "\"}],\"success\":[{\"request_put\":{\"key\":\""
                            + key[k]
                            + "\",\"value\":\""
                            + value("edit " + client + " " + System.nanoTime())
                            + "\"}}],\"failure\":[{\"request_range\":{\"key\":\""
                            + key[k]
                            + "\"}}]}");
                if (r.path("succeeded").asBoolean()) {
                  known[0] = header(r);
                  return new Result(200, null, null);
                }
                known[0] = r.at("/responses/0/response_range/kvs/0/mod_revision").asLong();
                return new Result(412, null, null);
              });
      long written = 0;
      for (int k = 0; k < keys; k++) written += version(key[k]) - version0[k];
      if (written != stats.okNanos.size()) {
        throw new IllegalStateException(
            stats.okNanos.size() + " etcd saves acknowledged, " + written + " made");
      }
      stats.scenario =
          hotKey
              ? "one hot key, compare-and-swap + retry"
              : "each client its own key, compare-and-swap";
      stats.clients = clients;
      return stats;
    }

    /** Lock and unlock through etcd's lock service, each client holding a lease of its own. */
    void locks() throws Exception {
      String name = b64("locks");
      String lease = post("/v3/lease/grant", "{\"TTL\":\"30\"}").get("ID").asText();
      rounds(
          "etcd locks, uncontended",
          new String[] {"lock", "lease keep-alive", "unlock"},
          () ->
              post("/v3/lock/lock", "{\"name\":\"" + name + "\",\"lease\":\"" + lease + "\"}")
                  .get("key")
                  .asText(),
          key -> post("/v3/lease/keepalive", "{\"ID\":\"" + lease + "\"}"),
          key -> post("/v3/lock/unlock", "{\"key\":\"" + key + "\"}"));

      // 8 contenders, each blocked in lock until it holds it, then unlocking at once
      AtomicLong handoffs = new AtomicLong();
      long end = System.nanoTime() + load.seconds * 1_000_000_000L;
      ExecutorService pool = Executors.newFixedThreadPool(8);
      List<Future<?>> fs = new ArrayList<>();
      long start = System.nanoTime();
      for (int c = 0; c < 8; c++) {
        fs.add(
            pool.submit(
                () -> {
                  String own = post("/v3/lease/grant", "{\"TTL\":\"30\"}").get("ID").asText();
                  while (System.nanoTime() < end) {
                    String key =
                        post(
                                "/v3/lock/lock",
                                "{\"name\":\"" + name + "\",\"lease\":\"" + own + "\"}")
                            .get("key")
                            .asText();
                    handoffs.incrementAndGet();
                    post("/v3/lock/unlock", "{\"key\":\"" + key + "\"}");
                  }
                  load.closeConnection();
                  return null;
                }));
      }
      for (Future<?> f : fs) f.get();
      pool.shutdown();
      System.out.printf(
          Locale.ROOT,
          "etcd locks, 8 contenders waiting in lock: %.0f hand-offs/s%n",
          handoffs.get() / ((System.nanoTime() - start) / 1e9));
    }

    void memory(long pid, int revisions) throws Exception {
      String key = b64("history");
      load.revisions(
          "etcd",
          pid,
          revisions,
          doc.length(),
          (client, n) ->
              post(
                  "/v3/kv/put",
                  "{\"key\":\"" + key + "\",\"value\":\"" + value("rev " + n) + "\"}"));
    }

    private String value(String headline) {
      return b64(before + headline + after);
    }

    private static String b64(String s) {
      return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private long version(String key) throws IOException {
      return post("/v3/kv/range", "{\"key\":\"" + key + "\"}").at("/kvs/0/version").asLong();
    }

    private static long header(JsonNode r) {
      return r.get("header").get("revision").asLong();
    }

    private JsonNode post(String path, String body) throws IOException {
      Result r = load.send("POST", path, "application/json", body, null);
      if (r.status != 200)
        throw new IllegalStateException("etcd " + path + ": " + r.status + " " + r.body);
      return JSON.readTree(r.body);
    }
  }

  // ---------------------------------------------------------------- plumbing

  record Result(int status, String version, String body) {}

  private long create(String name, String doc) throws Exception {
    Result r =
        send(
            "PUT",
            "/v1/tenants/bench/configs/" + name,
            "application/json",
            doc,
            null,
            "If-None-Match",
            "*");
    if (r.status != 201)
      throw new IllegalStateException("create " + name + ": " + r.status + " " + r.body);
    return Long.parseLong(r.version);
  }

  /**
   * One request on this thread's own keep-alive connection, in plain HTTP/1.1 over a socket: the
   * load generator shares the server's two cores, and {@code java.net.http.HttpClient} (one
   * selector thread for all clients) cost more CPU per request than the server's own request
   * handling.
   */
  private Result send(
      String method, String path, String type, String body, String ifMatch, String... headers)
      throws IOException {
    StringBuilder h =
        new StringBuilder(256)
            .append(method)
            .append(' ')
            .append(path)
            .append(" HTTP/1.1\r\nHost: ")
            .append(host)
            .append("\r\n");
    if (token != null) h.append("Authorization: Bearer ").append(token).append("\r\n");
    if (type != null) h.append("Content-Type: ").append(type).append("\r\n");
    if (ifMatch != null) h.append("If-Match: ").append(ifMatch).append("\r\n");
    if (method.equals("PATCH")) h.append("Prefer: return=minimal\r\n"); // the new version is enough
    for (int i = 0; i < headers.length; i += 2)
      h.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
    byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    h.append("Content-Length: ").append(content.length).append("\r\n\r\n");
    byte[] head = h.toString().getBytes(StandardCharsets.ISO_8859_1);
    try {
      return connection.get().exchange(head, content);
    } catch (IOException e) {
      closeConnection(); // a fresh connection next time
      // the server closes keep-alive connections idle for 30 s (the main thread's, during a
      // scenario): a read is safe to send again, a write is not
      if (!method.equals("GET")) throw e;
      return connection.get().exchange(head, content);
    }
  }

  private void closeConnection() {
    connection.get().close();
    connection.remove();
  }

  private final ThreadLocal<Connection> connection = ThreadLocal.withInitial(this::connect);

  private Connection connect() {
    try {
      return new Connection(
          new Socket(
              host.substring(0, host.lastIndexOf(':')),
              Integer.parseInt(host.substring(host.lastIndexOf(':') + 1))));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final class Connection {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    Connection(Socket socket) throws IOException {
      this.socket = socket;
      socket.setTcpNoDelay(true);
      socket.setSoTimeout(60_000);
      in = new BufferedInputStream(socket.getInputStream(), 65536);
      out = new BufferedOutputStream(socket.getOutputStream(), 65536);
    }

    Result exchange(byte[] head, byte[] body) throws IOException {
      out.write(head);
      out.write(body);
      out.flush();
      String statusLine = line();
      int status = Integer.parseInt(statusLine.substring(9, 12));
      long length = -1;
      boolean chunked = false;
      String version = null;
      for (String l = line(); !l.isEmpty(); l = line()) {
        int colon = l.indexOf(':');
        String name = l.substring(0, colon).trim().toLowerCase(Locale.ROOT);
        String value = l.substring(colon + 1).trim();
        if (name.equals("content-length")) length = Long.parseLong(value);
        else if (name.equals("transfer-encoding")) chunked = value.equalsIgnoreCase("chunked");
        else if (name.equals("config-version")) version = value;
      }
      ByteArrayOutputStream content = new ByteArrayOutputStream();
      if (chunked) {
        for (int size; (size = Integer.parseInt(line().split(";")[0].trim(), 16)) > 0; line()) {
          content.write(in.readNBytes(size));
        }
        while (!line().isEmpty()) {} // trailers
      } else if (length > 0) {
        content.write(in.readNBytes((int) length));
      }
      // a write answered 204 (Prefer: return=minimal) succeeded like a 200 with a body
      return new Result(
          status == 204 ? 200 : status, version, content.toString(StandardCharsets.UTF_8));
    }

    private String line() throws IOException {
      StringBuilder b = new StringBuilder();
      for (int ch; (ch = in.read()) != '\n'; ) {
        if (ch < 0) throw new EOFException("the server closed the connection");
        if (ch != '\r') b.append((char) ch);
      }
      return b.toString();
    }

    void close() {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }

  /**
   * A landing-page config of about {@code bytes} bytes: pages of sections with content and style.
   */
  static String landingPage(int bytes) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    root.putObject("theme").put("primary", "#0a84ff").put("font", "Inter").put("radius", 8);
    root.putObject("seo")
        .put("title", "Acme — Spring sale")
        .put("description", "Everything 20 % off");
    ArrayNode pages = root.putArray("pages");
    ObjectNode page = pages.addObject().put("id", "home").put("path", "/");
    ArrayNode sections = page.putArray("sections");
    for (int i = 0; JSON.writeValueAsString(root).length() < bytes; i++) {
      ObjectNode s =
          sections.addObject().put("id", "s" + i).put("type", i % 3 == 0 ? "hero" : "text");
      s.putObject("content")
          .put("headline", "Section " + i + " headline")
          .put(
              "body",
              "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod " + i)
          .put("cta", "Shop now");
      s.putObject("style")
          .put("background", "#ffffff")
          .put("padding", "24px 16px")
          .put("align", "center")
          .put("columns", 1 + i % 3);
    }
    return JSON.writeValueAsString(root);
  }

  private static String fsync(Path dir) throws IOException {
    Path f = Files.createTempFile(dir, "fsync", ".bench");
    List<Long> times = new ArrayList<>();
    byte[] block = new byte[4096];
    try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
      for (int i = 0; i < 200; i++) {
        long t0 = System.nanoTime();
        raf.write(block);
        raf.getFD().sync();
        times.add(System.nanoTime() - t0);
      }
    } finally {
      Files.deleteIfExists(f);
    }
    Collections.sort(times);
    return String.format(Locale.ROOT, "%.2f ms / %.2f ms", pct(times, 50), pct(times, 99));
  }
}
