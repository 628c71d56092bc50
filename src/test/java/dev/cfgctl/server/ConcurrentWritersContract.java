package dev.cfgctl.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cfgctl.app.ConfigService;
import dev.cfgctl.patch.Json;
import dev.cfgctl.patch.JsonPatch;
import dev.cfgctl.patch.Patch;
import dev.cfgctl.server.TestServer.Response;
import dev.cfgctl.store.Role;
import dev.cfgctl.store.Tunables;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Many clients writing one config over HTTP at once: versions stay contiguous, every acknowledged
 * write is in history exactly once, the document equals its replayed history, nothing is lost.
 * Sizes default to the 32 clients x 200 writes ({@code
 * -Dcfgctl.concurrency.clients/writes}).
 */
@Tag("slow") // seconds to minutes of concurrency: in mvn verify, not in the mvn test loop
abstract class ConcurrentWritersContract {
  static final int CLIENTS = Integer.getInteger("cfgctl.concurrency.clients", 32);
  static final int WRITES = Integer.getInteger("cfgctl.concurrency.writes", 200);
  static final String CFG = "/v1/tenants/acme/configs/hot";

  TestServer s;
  String token;

  abstract ConfigService open(Tunables options);

  /** Another store on the database {@link #open} opened: a second server node. */
  abstract ConfigService openAgain(Tunables options);

  @BeforeEach
  void start() {
    s = new TestServer(open(new Tunables(1_000_000, 5, 3600, 300, 100)), Clock.systemUTC());
    token = s.token("writer", "acme", Role.EDITOR);
    Response c =
        s.send(
            "PUT",
            CFG,
            token,
            "application/json",
            "{\"log\":[],\"clients\":{}}",
            "If-None-Match",
            "*");
    assertThat(c.status()).isEqualTo(201);
  }

  @AfterEach
  void stop() {
    if (s != null) s.close(); // null when start() was skipped: no PostgreSQL
  }

  /** One acknowledged write: which client, which of its writes, the version it got. */
  record Ack(int client, int seq, long version) {}

  @Test
  void optimisticWritersWithRetryLoseNothing() throws Exception {
    AtomicInteger conflicts = new AtomicInteger();
    List<Ack> acks =
        run(
            (client, seq, known) -> {
              long base = known[0];
              int[] retries = {0};
              while (true) {
                Response r =
                    s.send(
                        "PATCH",
                        CFG,
                        token,
                        "application/json-patch+json",
                        "[{\"op\":\"add\",\"path\":\"/log/-\",\"value\":\"c"
                            + client
                            + ":"
                            + seq
                            + "\"}]",
                        "If-Match",
                        "\"" + base + "\"");
                if (r.status() == 200) return Long.parseLong(r.header("Config-Version"));
                assertThat(r.status()).as(r.toString()).isEqualTo(412);
                conflicts.incrementAndGet();
                int attempt = ++retries[0];
                base = r.json().get("currentVersion").asLong();
                // retry at once the first time, then with a growing random pause (up to 8 ms), as
                // clients should
                if (attempt > 1)
                  Thread.sleep(ThreadLocalRandom.current().nextInt(Math.min(attempt, 8) + 1));
              }
            });
    verify(acks);
    JsonNode log = current().get("log");
    assertThat(log).hasSize(CLIENTS * WRITES);
    System.out.printf(
        "%s: %d clients x %d writes, %d conflicts retried%n",
        getClass().getSimpleName(), CLIENTS, WRITES, conflicts.get());
  }

  @Test
  void rebasingWritersOnDisjointFieldsNeverConflict() throws Exception {
    List<Ack> acks =
        run(
            (client, seq, known) -> {
              // each client only knows the version of its own last write: stale almost every time
              Response r =
                  s.send(
                      "PATCH",
                      CFG + "?rebase=true",
                      token,
                      "application/json-patch+json",
                      "[{\"op\":\"add\",\"path\":\"/clients/c"
                          + client
                          + "\",\"value\":"
                          + seq
                          + "}]",
                      "If-Match",
                      "\"" + known[0] + "\"");
              assertThat(r.status()).as(r.toString()).isEqualTo(200);
              return Long.parseLong(r.header("Config-Version"));
            });
    verify(acks);
    JsonNode clients = current().get("clients");
    for (int c = 0; c < CLIENTS; c++)
      assertThat(clients.get("c" + c).asInt()).isEqualTo(WRITES - 1);
  }

  @Test
  void readModifyWriteIncrementersOnTwoNodesWithRebaseLoseNoIncrement() throws Exception {
    Response c =
        s.send(
            "PUT",
            "/v1/tenants/acme/configs/counter",
            token,
            "application/json",
            "{\"counter\":0}",
            "If-None-Match",
            "*");
    assertThat(c.status()).isEqualTo(201);
    ConfigService second = openAgain(new Tunables(1_000_000, 5, 3600, 300, 100));
    try (TestServer node2 = new TestServer(second, Clock.systemUTC())) {
      TestServer[] nodes = {s, node2};
      AtomicInteger acknowledged = new AtomicInteger();
      ExecutorService pool = Executors.newFixedThreadPool(8);
      List<Future<?>> done = new ArrayList<>();
      for (int w = 0; w < 8; w++) {
        TestServer node = nodes[w % 2];
        done.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 40; i++) {
                    while (true) { // read, add one, write back based on what was read, rebasing if
                      // stale
                      Response r =
                          node.send(
                              "GET",
                              "/v1/tenants/acme/configs/counter",
                              token,
                              null,
                              (String) null);
                      long n = r.json().get("counter").asLong();
                      Response w2 =
                          node.send(
                              "PATCH",
                              "/v1/tenants/acme/configs/counter?rebase=true",
                              token,
                              "application/json-patch+json",
                              "[{\"op\":\"replace\",\"path\":\"/counter\",\"value\":"
                                  + (n + 1)
                                  + "}]",
                              "If-Match",
                              r.header("ETag"));
                      if (w2.status() == 200) {
                        assertThat(w2.header("Config-Unchanged")).isNull();
                        acknowledged.incrementAndGet();
                        break;
                      }
                      assertThat(w2.status()).as(w2.toString()).isIn(409, 412);
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : done) f.get();
      pool.shutdownNow();
      long counter =
          s.send("GET", "/v1/tenants/acme/configs/counter", token, null, (String) null)
              .json()
              .get("counter")
              .asLong();
      assertThat(acknowledged.get()).isEqualTo(8 * 40);
      assertThat(counter)
          .as("counter after " + acknowledged + " acknowledged increments")
          .isEqualTo(acknowledged.get());
    }
  }

  interface Writer {
    /**
     * Performs write {@code seq} of {@code client}; {@code known[0]} is the last version it saw.
     */
    long write(int client, int seq, long[] known) throws Exception;
  }

  private List<Ack> run(Writer writer) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
    try {
      List<Future<List<Ack>>> futures = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        int client = c;
        futures.add(
            pool.submit(
                () -> {
                  List<Ack> mine = new ArrayList<>();
                  long[] known = {1};
                  for (int seq = 0; seq < WRITES; seq++) {
                    long v = writer.write(client, seq, known);
                    known[0] = v;
                    mine.add(new Ack(client, seq, v));
                  }
                  return mine;
                }));
      }
      List<Ack> all = new ArrayList<>();
      for (Future<List<Ack>> f : futures) all.addAll(f.get());
      return all;
    } finally {
      pool.shutdownNow();
    }
  }

  private JsonNode current() {
    return s.send("GET", CFG, token, null, (String) null).json();
  }

  /** Contiguous versions, each ack in history exactly once, document == replayed history. */
  private void verify(List<Ack> acks) {
    long last = 1 + (long) CLIENTS * WRITES;
    Map<Long, Ack> byVersion = new ConcurrentHashMap<>();
    for (Ack a : acks)
      assertThat(byVersion.put(a.version(), a)).as("version acknowledged twice").isNull();
    assertThat(byVersion.keySet()).hasSize(CLIENTS * WRITES);
    JsonNode doc = Json.parse("{\"log\":[],\"clients\":{}}");
    for (long v = 2; v <= last; v++) {
      Response r = s.send("GET", CFG + "/revisions/" + v, token, null, (String) null);
      assertThat(r.status()).as("revision " + v).isEqualTo(200);
      Ack a = byVersion.get(v);
      assertThat(a).as("revision " + v + " was never acknowledged").isNotNull();
      String patch = r.json().get("patch").toString();
      assertThat(patch)
          .as("revision " + v)
          .containsAnyOf(
              "\"value\":\"c" + a.client() + ":" + a.seq() + "\"",
              "\"path\":\"/clients/c" + a.client() + "\",\"value\":" + a.seq() + "}");
      doc = JsonPatch.apply(doc, Patch.fromJson(r.json().get("patch"))).document();
    }
    assertThat(s.send("GET", CFG + "/revisions/" + (last + 1), token, null, (String) null).status())
        .isEqualTo(404);
    assertThat(Json.compact(current())).isEqualTo(Json.compact(doc));
  }
}
