package dev.cfgctl.server;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cfgctl.api.ProblemStatus;
import dev.cfgctl.patch.Budget;
import dev.cfgctl.patch.InvalidPatchException;
import dev.cfgctl.patch.Json;
import dev.cfgctl.patch.JsonInputException;
import dev.cfgctl.patch.JsonPatch;
import dev.cfgctl.patch.JsonPointer;
import dev.cfgctl.patch.LimitExceededException;
import dev.cfgctl.patch.MergePatch;
import dev.cfgctl.patch.Patch;
import dev.cfgctl.patch.PatchFailedException;
import dev.cfgctl.server.RawHttp.Request;
import dev.cfgctl.server.RawHttp.Response;
import dev.cfgctl.store.ConfigRef;
import dev.cfgctl.store.Document;
import dev.cfgctl.store.Limits;
import dev.cfgctl.store.Lock;
import dev.cfgctl.store.Principal;
import dev.cfgctl.store.Problem;
import dev.cfgctl.store.Role;
import dev.cfgctl.store.StoreException;
import dev.cfgctl.store.TestClock;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.Yaml;

/**
 * The engine of {@link ApiFuzzTest}: a seeded generator of requests to every route of API.md —
 * tokens of every role in two tenants, an all-tenants admin and bad tokens; valid, invalid and
 * other tenants' names; JSON Patches with copy/move chains, deep values and large strings near the
 * limits; merge patches, saves, deletes, history, revisions, undo, redo, rollback, locks (ids of
 * their holders and of others), tokens; random preconditions, Lock-Id, Change-Message,
 * Idempotency-Key (fresh, reused, replayed), Prefer, content types; malformed, huge, deep and
 * non-UTF-8 bodies; query parameters out of range — sent byte for byte over {@link RawHttp}.
 *
 * <p>Checked on every answer: no 5xx (503 only where the run allows it), every error a problem+json
 * of a known slug whose status is its slug's, with its members and no internals; statuses the
 * OpenAPI document lists for the operation; no lock id or token secret shown to anyone else. In the
 * sequential phase, against the store read directly before and after each request: a refused
 * request changed nothing; a write made exactly the versions it says (ETag = the new version, the
 * body = the stored content), and where the outcome is predictable from the request alone (a clean
 * patch, merge patch, save, rollback, lock operation, token request) it is that outcome. After the
 * run, over HTTP: every config readable at every retained version, within the limits, its versions
 * contiguous, its history replaying to its content (patches forward, inverses back); the server
 * healthy and its log free of internal errors and secrets.
 */
final class ApiFuzzer {
  /** One fuzzing configuration: the server's and store's limits, and what it may answer. */
  record Setup(
      String label,
      JdbcStoreKind store,
      Limits limits,
      int retention,
      int snapshotEvery,
      ConfigServer.Options server,
      boolean allow503,
      boolean rateLimited) {}

  enum JdbcStoreKind {
    SQLITE,
    POSTGRES
  }

  /** A failure the fuzzer saw, with enough to reproduce it. */
  record Finding(String signature, String text) {}

  static final Principal ADMIN = TestServer.admin();
  static final String JSON = "application/json";
  static final String JSON_PATCH = "application/json-patch+json";
  static final String MERGE_PATCH = "application/merge-patch+json";
  private static final ObjectMapper LENIENT = new ObjectMapper();

  static {
    LENIENT
        .getFactory()
        .setStreamReadConstraints(
            StreamReadConstraints.builder()
                .maxNestingDepth(100_000)
                .maxStringLength(Integer.MAX_VALUE)
                .maxNumberLength(100_000)
                .build());
  }

  /** Text that must never be in an answer: stack traces, class names, HTML error pages. */
  static final String[] INTERNALS = {
    "Exception",
    "\tat ",
    ".java:",
    "org.eclipse",
    "io.javalin",
    "com.fasterxml",
    "java.lang",
    "java.sql",
    "org.sqlite",
    "org.postgresql",
    "SQLITE_",
    "<html",
    "PSQLException",
    "NullPointer"
  };

  final Setup setup;
  final long seed;
  final TestServer s;
  final TestClock clock;
  final Random rnd;
  final Limits limits;
  final ConfigServer.Options server;

  // ---------------------------------------------------------------- the world

  record Actor(String key, String user, String tenant, Role role, String token) {
    boolean writes(String t) {
      return role.atLeast(Role.EDITOR) && sees(t);
    }

    boolean sees(String t) {
      return tenant.equals("*") || tenant.equals(t);
    }

    String principal() {
      return tenant + "/" + user;
    }
  }

  List<Actor> actors = new ArrayList<>();
  Map<String, Actor> byKey = new LinkedHashMap<>();

  /** Tokens that must be refused: revoked, expired, forged. */
  List<String> badTokens = new ArrayList<>();

  /** Every secret issued, which must never appear in an answer to someone else or in the log. */
  Set<String> secrets = ConcurrentHashMap.newKeySet();

  /** Tokens made by the fuzz itself, which it may revoke. */
  List<String> ownTokenIds = Collections.synchronizedList(new ArrayList<>());

  Actor observer;

  static final String[] TENANTS = {"acme", "globex", "ghost"};
  static final String[][] NAMES = {
    {"landing", "pricing", "deep", "arr", "tiny", "hot"}, {"landing", "other"}, {"spooky"}
  };
  List<ConfigRef> refs = new ArrayList<>();

  /** A lock id the fuzz has seen: whose, and on what. */
  record LockInfo(String id, String user, ConfigRef ref) {}

  Map<String, LockInfo> locks = new ConcurrentHashMap<>();
  List<String> lockIds = Collections.synchronizedList(new ArrayList<>());

  /** Every content seen of each version of each config (compact), for rollback predictions. */
  Map<ConfigRef, Map<Long, String>> versions = new ConcurrentHashMap<>();

  /** What a request under an Idempotency-Key did the first time it succeeded. */
  record Remembered(
      String requestId, String what, int status, String etag, Instant at, ConfigRef ref) {
    static Remembered of(Request q, Response r, Instant at, ConfigRef ref) {
      return new Remembered(
          ApiFuzzer.requestId(q),
          q.method + " " + q.targetText(),
          r.status(),
          r.header("ETag"),
          at,
          ref);
    }
  }

  /**
   * How the content of a version is kept: as it is, or (a large one) by its hash, to spare memory.
   */
  static String seenForm(String compact) {
    if (compact.length() <= 64 * 1024) return compact;
    return "#sha256:"
        + java.util.HexFormat.of().formatHex(sha(compact.getBytes(StandardCharsets.UTF_8)))
        + ":"
        + compact.length();
  }

  static boolean sameAsSeen(String seen, String actual) {
    return seen.startsWith("#sha256:") ? seen.equals(seenForm(actual)) : seen.equals(actual);
  }

  /** principal → key → the first successful request under it. */
  Map<String, Map<String, Remembered>> keys = new ConcurrentHashMap<>();

  /** Keyed requests sent, for replaying them byte for byte. */
  List<Sent> keyed = Collections.synchronizedList(new ArrayList<>());

  List<String> keyPool = Collections.synchronizedList(new ArrayList<>());

  record Sent(Actor actor, Request request, String label, ConfigRef ref) {}

  // ---------------------------------------------------------------- what it found

  Map<String, List<Finding>> findings = new ConcurrentHashMap<>();
  Map<String, AtomicLong> known = new ConcurrentHashMap<>();
  Map<String, AtomicLong> statuses = new ConcurrentHashMap<>();
  Map<String, AtomicLong> slugs = new ConcurrentHashMap<>();
  Map<String, AtomicLong> labels = new ConcurrentHashMap<>();
  AtomicLong sent = new AtomicLong();
  AtomicLong predicted = new AtomicLong();
  AtomicLong checkedWrites = new AtomicLong();

  /** The last requests and answers of the sequential phase, for reports. */
  ArrayList<String> recent = new ArrayList<>();

  static final boolean DEBUG = Boolean.getBoolean("cfgctl.fuzz.debug");
  Map<String, AtomicLong> details = new ConcurrentHashMap<>();

  void time(String what, long nanos) {
    details.computeIfAbsent("time" + what, k -> new AtomicLong()).addAndGet(nanos / 1_000_000);
  }

  /** Operation → statuses listed for it in openapi.yaml. */
  static final Map<String, Set<String>> DOCUMENTED = new TreeMap<>();

  /** Problem slug → status, from the Problem schema's description in openapi.yaml. */
  static final Map<String, Integer> DOCUMENTED_SLUGS = new TreeMap<>();

  static {
    loadOpenApi();
  }

  ApiFuzzer(Setup setup, long seed, TestServer s, TestClock clock) {
    this.setup = setup;
    this.seed = seed;
    this.s = s;
    this.clock = clock;
    this.rnd = new Random(seed);
    this.limits = setup.limits();
    this.server = setup.server();
  }

  // ================================================================ set-up

  /** Tokens of every role in two tenants, bad tokens, and a first version of most configs. */
  void populate() {
    String[][] people = {
      {"alice", "acme", "editor"}, {"bob", "acme", "editor"}, {"val", "acme", "viewer"},
      {"root", "acme", "admin"}, {"gina", "globex", "editor"}, {"vic", "globex", "viewer"},
      {"gus", "globex", "admin"}, {"sam", "*", "editor"}, {"zoe", "*", "viewer"}
    };
    for (String[] p : people) {
      ObjectNode body =
          Json.NODES
              .objectNode()
              .put("user", p[0])
              .put("displayName", displayName(p[0]))
              .put("tenant", p[1])
              .put("role", p[2]);
      Response made = admin("POST", "/v1/tokens", JSON, Json.compact(body));
      if (made.status() != 201) throw new IllegalStateException("cannot make a token: " + made);
      String token = Json.parse(made.text()).get("token").asText();
      addActor(new Actor(p[0] + "@" + p[1], p[0], p[1], Role.parse(p[2]), token));
    }
    addActor(new Actor("admin@*", "admin", "*", Role.ADMIN, s.adminToken));
    observer = byKey.get("zoe@*");
    // a token that is revoked, and one that expires after a day (the clock moves on during a run)
    Response made =
        admin(
            "POST",
            "/v1/tokens",
            JSON,
            "{\"user\":\"rev\",\"tenant\":\"acme\",\"role\":\"editor\"}");
    String revoked = Json.parse(made.text()).get("token").asText();
    secrets.add(revoked);
    admin("DELETE", "/v1/tokens/" + Json.parse(made.text()).get("id").asText(), null, null);
    badTokens.add(revoked);
    Response expiring =
        admin(
            "POST",
            "/v1/tokens",
            JSON,
            "{\"user\":\"ex\",\"tenant\":\"acme\",\"role\":\"admin\",\"expiresInDays\":1}");
    String ex = Json.parse(expiring.text()).get("token").asText();
    tokenStart = clock.instant();
    secrets.add(ex);
    addActor(
        new Actor("ex@acme", "ex", "acme", Role.ADMIN, ex)); // valid until the clock passes a day
    String good = s.adminToken;
    badTokens.add(good.substring(0, good.length() - 1));
    badTokens.add(good + "A");
    badTokens.add(
        good.toUpperCase(Locale.ROOT).equals(good)
            ? good.toLowerCase(Locale.ROOT)
            : good.toUpperCase(Locale.ROOT));
    badTokens.add("");
    badTokens.add("null");
    badTokens.add(Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[32]));
    for (int t = 0; t < TENANTS.length; t++) {
      for (String n : NAMES[t]) refs.add(new ConfigRef(TENANTS[t], n));
    }
    for (ConfigRef ref : refs) {
      if (ref.name().equals("tiny") || ref.tenant().equals("ghost")) continue; // left to the fuzz
      JsonNode doc = document(ref.name().equals("deep") ? limits.maxDepth() - 2 : 6);
      if (ref.name().equals("arr")) ((ObjectNode) doc).set("list", longArray(500));
      String text =
          ref.name().equals("hot")
              ? new String(hotDocument(), StandardCharsets.UTF_8)
              : Json.compact(doc);
      Response r = admin("PUT", path(ref), JSON, text, "If-None-Match", "*");
      if (r.status() != 201) {
        // too large or deep for this run's limits: a small one instead
        r = admin("PUT", path(ref), JSON, "{\"a\":1,\"list\":[1,2,3]}", "If-None-Match", "*");
      }
      if (r.status() != 201) throw new IllegalStateException("cannot create " + ref + ": " + r);
      observe(ref);
    }
  }

  private void addActor(Actor a) {
    actors.add(a);
    byKey.put(a.key(), a);
    secrets.add(a.token());
  }

  static String displayName(String user) {
    switch (user) {
      case "alice":
        return "Alice Ærø";
      case "gina":
        return "Gina \u201cG\u201d 🏃";
      case "bob":
        return "Bob %41 Tables'); --";
      default:
        return user.substring(0, 1).toUpperCase(Locale.ROOT) + user.substring(1);
    }
  }

  private Response admin(String method, String path, String type, String body, String... headers) {
    Request r = new Request(method, path).header("Authorization", "Bearer " + s.adminToken);
    if (type != null) r.header("Content-Type", type);
    for (int i = 0; i < headers.length; i += 2) r.header(headers[i], headers[i + 1]);
    if (body != null) r.body(body.getBytes(StandardCharsets.UTF_8));
    try (RawHttp http = new RawHttp("127.0.0.1", s.server.port(), 30_000)) {
      for (int attempt = 0; ; attempt++) {
        Response resp = http.send(r);
        if (resp.status() != 429 || attempt > 50) return resp;
        sleep(200);
      }
    }
  }

  static String path(ConfigRef ref) {
    return "/v1/tenants/" + ref.tenant() + "/configs/" + ref.name();
  }

  // ================================================================ the sequential phase

  /** What one generated request is, and what may be predicted of its answer. */
  final class Op {
    final String label;
    final Actor actor;
    final ConfigRef ref;
    final Request request;

    /** Predicted status, or 0 when the request is not clean enough to predict. */
    int expectStatus;

    /** Predicted problem slug for an error, or null. */
    String expectSlug;

    /** For a write predicted to succeed: the content it must leave, compact; null to not check. */
    String expectContent;

    /** Whether the expected content may differ in the order of object members (a full save). */
    boolean expectUnordered;

    /** Whether a predicted success leaves the content unchanged (Config-Unchanged). */
    Boolean expectUnchanged;

    /** Why the prediction is what it is, for reports. */
    String why = "";

    /** A replay of an earlier request under the same key, expected to be answered from memory. */
    Remembered replayOf;

    /** The key sent, and whether it is a fresh one. */
    String idemKey;

    Op(String label, Actor actor, ConfigRef ref, Request request) {
      this.label = label;
      this.actor = actor;
      this.ref = ref;
      this.request = request;
    }

    void expect(int status, String slug, String why) {
      this.expectStatus = status;
      this.expectSlug = slug;
      this.why = why;
    }
  }

  /** The content state of a config, read from the store. */
  record State(boolean exists, boolean deleted, long version, String compact, JsonNode content) {
    static final State ABSENT = new State(false, false, 0, null, null);

    String shown() {
      return !exists
          ? "absent"
          : deleted
              ? "deleted at v" + version
              : "v" + version + " " + RawHttp.shorten(compact, 200);
    }
  }

  State state(ConfigRef ref) {
    try {
      Document d = s.store.get(ADMIN, ref);
      return new State(true, false, d.version(), Json.compact(d.content()), d.content());
    } catch (StoreException e) {
      if (e.problem() == Problem.NOT_FOUND) return State.ABSENT;
      if (e.problem() == Problem.DELETED) {
        return new State(true, true, e.members().get("version").asLong(), null, null);
      }
      throw e;
    }
  }

  State observe(ConfigRef ref) {
    State st = state(ref);
    if (st.exists && !st.deleted) {
      versions
          .computeIfAbsent(ref, k -> new ConcurrentHashMap<>())
          .put(st.version, seenForm(st.compact));
    }
    return st;
  }

  Lock liveLock(ConfigRef ref) {
    return s.store.lock(ADMIN, ref).orElse(null);
  }

  /**
   * Runs {@code n} generated requests one after another, checking each answer against the store.
   */
  void runSequential(int n, long deadlineNanos) {
    try (RawHttp http = new RawHttp("127.0.0.1", s.server.port(), 60_000)) {
      for (int i = 0; i < n && System.nanoTime() - deadlineNanos < 0; i++) {
        if (rnd.nextInt(100) == 0) {
          advanceClock();
          continue;
        }
        long t0 = System.nanoTime();
        Op op = generate();
        long t1 = System.nanoTime();
        State before = op.ref == null ? null : observe(op.ref);
        Lock lockBefore = op.ref == null ? null : liveLock(op.ref);
        if (DEBUG) time(" observe", System.nanoTime() - t1);
        predict(op, before, lockBefore);
        long t2 = System.nanoTime();
        Response r;
        try {
          r = http.send(op.request);
        } catch (RuntimeException e) {
          fail("no-answer", op, null, "no answer: " + e);
          continue;
        }
        long t3 = System.nanoTime();
        if (DEBUG) {
          time(" gen " + op.label, t1 - t0);
          time(" predict", t2 - t1);
          time(" send " + op.label, t3 - t2);
        }
        note(op, r);
        checkAnswer(op, r);
        long t4 = System.nanoTime();
        if (op.ref != null) checkEffect(op, r, before, observe(op.ref), lockBefore);
        learn(op, r);
        if (DEBUG) {
          time(" check", t4 - t3);
          time(" effect", System.nanoTime() - t4);
        }
      }
    }
  }

  void advanceClock() {
    int pick = rnd.nextInt(10);
    Duration d =
        pick < 6
            ? Duration.ofSeconds(rnd.nextInt(120))
            : pick < 9 ? Duration.ofSeconds(300 + rnd.nextInt(3600)) : Duration.ofHours(13);
    clock.advance(d);
    synchronized (recent) {
      remember("-- clock +" + d);
    }
  }

  private void note(Op op, Response r) {
    sent.incrementAndGet();
    count(statuses, op.label + " " + r.status());
    count(labels, op.label);
    if (r.status() >= 400 && isProblem(r)) {
      try {
        JsonNode pj = Json.parse(r.text());
        count(slugs, pj.path("type").asText());
        if (DEBUG) {
          String d = pj.path("detail").asText().replaceAll("[0-9]+", "N");
          count(
              details,
              op.label
                  + " "
                  + pj.path("type").asText()
                  + " "
                  + d.substring(0, Math.min(70, d.length())));
        }
      } catch (RuntimeException e) {
        // reported by checkAnswer
      }
    }
    synchronized (recent) {
      remember(
          "> "
              + op.label
              + " as "
              + (op.actor == null ? "(bad token)" : op.actor.key())
              + ": "
              + op.request.curl(s.base)
              + "\n< "
              + RawHttp.shorten(r.toString(), 400));
    }
  }

  private void remember(String line) {
    recent.add(line);
    if (recent.size() > 12) recent.remove(0);
  }

  static void count(Map<String, AtomicLong> m, String k) {
    m.computeIfAbsent(k, x -> new AtomicLong()).incrementAndGet();
  }

  // ================================================================ generation

  /** A generated request; a generator that trips over its own input is counted and tried again. */
  Op generate() {
    for (int attempt = 0; ; attempt++) {
      try {
        return generateOne();
      } catch (RuntimeException e) {
        count(known, "generator-error " + e.getClass().getSimpleName());
        if (attempt == 0 && generatorErrors.getAndIncrement() < 3) e.printStackTrace();
        if (attempt > 10) throw e;
      }
    }
  }

  static final AtomicLong generatorErrors = new AtomicLong();

  Op generateOne() {
    int w = rnd.nextInt(1000);
    if (w < 70) return getConfig();
    if (w < 110) return getVersion();
    if (w < 150) return putCreate();
    if (w < 240) return putReplace();
    if (w < 460) return jsonPatch();
    if (w < 535) return mergePatch();
    if (w < 550) return delete();
    if (w < 590) return history();
    if (w < 630) return revision();
    if (w < 690) return undo();
    if (w < 720) return redo();
    if (w < 760) return rollback();
    if (w < 780) return getLock();
    if (w < 830) return acquire();
    if (w < 860) return heartbeat();
    if (w < 890) return release();
    if (w < 910) return forceRelease();
    if (w < 925) return listLocks();
    if (w < 940) return tokens();
    if (w < 955) return listConfigs();
    if (w < 965) return oddRoute();
    return replay();
  }

  // ---------------------------------------------------------------- who and where

  /** Mostly a valid actor; sometimes a bad token (then the actor is null). */
  Actor pickActor(boolean wantsWriter) {
    if (rnd.nextInt(100) < 6) return null;
    if (wantsWriter && rnd.nextInt(100) < 70) {
      String[] writers = {
        "alice@acme", "bob@acme", "gina@globex", "sam@*", "admin@*", "root@acme", "gus@globex"
      };
      return byKey.get(writers[rnd.nextInt(writers.length)]);
    }
    return actors.get(rnd.nextInt(actors.size()));
  }

  Request authorize(Request r, Actor a) {
    if (a != null) {
      int k = rnd.nextInt(200);
      if (k == 0)
        return r.header("Authorization", "bearer " + a.token()); // scheme is case-insensitive
      if (k == 1) return r.header("Authorization", "Bearer   " + a.token() + "  ");
      return r.header("Authorization", "Bearer " + a.token());
    }
    int k = rnd.nextInt(10);
    if (k == 0) return r; // none
    if (k == 1) return r.header("Authorization", "Basic YWxpY2U6c2VjcmV0");
    if (k == 2)
      return r.rawHeader(
          "Authorization",
          ("Bearer " + badTokens.get(0) + "\u00e9").getBytes(StandardCharsets.UTF_8));
    return r.header("Authorization", "Bearer " + badTokens.get(rnd.nextInt(badTokens.size())));
  }

  /** A config ref for the request, and the path segment text for it (which may be invalid). */
  record Target(ConfigRef ref, String path) {}

  Target pickTarget(Actor a) {
    int k = rnd.nextInt(100);
    if (k < 8) {
      String[] bad = {
        "Landing",
        "-x",
        "a".repeat(64),
        "x%20y",
        "%2e%2e",
        "..",
        "a%2Fb",
        "%C3%A9",
        "%00",
        "a%0Ab",
        "_x",
        "x*",
        "%E2%80%AE",
        "landing%20",
        "landing;v=1"
      };
      String[] badTenants = {"ACME", "*", "%2A", "acme%2F..", "a".repeat(70)};
      boolean tenantBad = rnd.nextInt(4) == 0;
      String t = tenantBad ? badTenants[rnd.nextInt(badTenants.length)] : "acme";
      String n = bad[rnd.nextInt(bad.length)];
      return new Target(null, "/v1/tenants/" + t + "/configs/" + n);
    }
    ConfigRef ref = pickRef(a, k);
    if (rnd.nextInt(3) > 0) {
      State st = state(ref);
      if (!st.exists || st.deleted) ref = pickRef(a, k); // mostly a config that is there
    }
    return new Target(ref, path(ref));
  }

  ConfigRef pickRef(Actor a, int k) {
    ConfigRef ref;
    if (a != null && !a.tenant().equals("*") && k < 80) {
      // mostly the actor's own tenant
      List<ConfigRef> own = new ArrayList<>();
      for (ConfigRef r : refs) if (r.tenant().equals(a.tenant())) own.add(r);
      ref = own.get(rnd.nextInt(own.size()));
    } else {
      ref = refs.get(rnd.nextInt(refs.size()));
    }
    return ref;
  }

  // ---------------------------------------------------------------- headers

  void commonWriteHeaders(Op op) {
    Request r = op.request;
    if (rnd.nextInt(100) < 15) lockIdHeader(op);
    if (rnd.nextInt(100) < 15) changeMessage(r);
    if (rnd.nextInt(100) < 20) idempotencyKey(op);
    if (rnd.nextInt(100) < 10)
      r.header("Prefer", rnd.nextBoolean() ? "return=minimal" : "return=representation");
    if (rnd.nextInt(200) == 0) r.header("Accept", "text/html");
  }

  void lockIdHeader(Op op) {
    Request r = op.request;
    int k = rnd.nextInt(100);
    if (k < 45 && op.ref != null && op.actor != null) {
      // the actor's own lock on this config, if the fuzz knows one
      for (LockInfo l : snapshot(locks.values())) {
        if (l.ref().equals(op.ref) && l.user().equals(op.actor.user())) {
          r.header("Lock-Id", l.id());
          return;
        }
      }
    }
    if (k < 75 && !lockIds.isEmpty()) {
      r.header("Lock-Id", lockIds.get(rnd.nextInt(lockIds.size())));
      return;
    }
    String[] odd = {
      "lk_nope", "", " ", "x".repeat(101), "lk_" + "a".repeat(97), "lk_\u00e9t\u00e9", "' OR 1=1 --"
    };
    String v = odd[rnd.nextInt(odd.length)];
    r.rawHeader(
        "Lock-Id",
        v.getBytes(rnd.nextBoolean() ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1));
  }

  static <T> List<T> snapshot(java.util.Collection<T> c) {
    synchronized (c) {
      return new ArrayList<>(c);
    }
  }

  void changeMessage(Request r) {
    int k = rnd.nextInt(16);
    switch (k) {
      case 0 -> r.header("Change-Message", "m".repeat(500));
      case 1 -> r.header("Change-Message", "m".repeat(501));
      case 2 ->
          r.rawHeader(
              "Change-Message",
              ("caf\u00e9 \u65e5\u672c 🏃 " + "\u00e9".repeat(rnd.nextInt(300)))
                  .getBytes(StandardCharsets.UTF_8));
      case 3 -> r.header("Change-Message", "caf%C3%A9 %ZZ 100%");
      case 4 -> r.rawHeader("Change-Message", new byte[] {'a', 0x01, 'b'});
      case 5 -> r.rawHeader("Change-Message", new byte[] {'a', (byte) 0xe9, (byte) 0xff, 'b'});
      case 6 -> r.rawHeader("Change-Message", new byte[] {'a', 0x1b, '[', '2', 'J', 'b'});
      case 7 -> r.header("Change-Message", "  ");
      case 8 ->
          r.rawHeader("Change-Message", "\u00e9".repeat(400).getBytes(StandardCharsets.UTF_8));
      default -> r.header("Change-Message", "change " + rnd.nextInt(1000));
    }
  }

  void idempotencyKey(Op op) {
    int k = rnd.nextInt(100);
    String key;
    if (k < 55 || keyPool.isEmpty()) {
      key = "k-" + Long.toHexString(rnd.nextLong());
      keyPool.add(key);
      if (keyPool.size() > 40) keyPool.remove(0);
    } else if (k < 92) {
      key = keyPool.get(rnd.nextInt(keyPool.size())); // another request under a used key
    } else {
      String[] odd = {"", "\"\"", "a b", "x".repeat(256), "\"quoted-" + rnd.nextInt(5) + "\"", "é"};
      key = odd[rnd.nextInt(odd.length)];
    }
    op.idemKey = key;
    op.request.rawHeader("Idempotency-Key", key.getBytes(StandardCharsets.UTF_8));
  }

  String ifMatch(ConfigRef ref, boolean allowAbsent) {
    State st = ref == null ? State.ABSENT : state(ref);
    long v = Math.max(1, st.version);
    int k = rnd.nextInt(100);
    if (allowAbsent && k < 25) return null;
    if (k < 78) return "\"" + v + "\"";
    if (k < 86) return "\"" + Math.max(1, v - 1 - rnd.nextInt(5)) + "\"";
    if (k < 89) return "\"" + (v + 1 + rnd.nextInt(3)) + "\"";
    if (k < 96) return "*";
    String[] odd = {
      "W/\"" + v + "\"",
      "\"" + v + "\", \"" + (v + 1) + "\"",
      "\"abc\"",
      "\"0\"",
      "\"-1\"",
      String.valueOf(v),
      "",
      "\"99999999999999999999\"",
      " \"" + v + "\" ",
      "\"01\""
    };
    return odd[rnd.nextInt(odd.length)];
  }

  // ---------------------------------------------------------------- bodies

  static final String[] KEYS = {
    "a", "b", "title", "items", "id", "~", "/", "~1", "a/b", "m~n", "", "\u00e9", "🏃", "x y", "0",
    "-", "list", "n"
  };

  JsonNode scalar() {
    switch (rnd.nextInt(14)) {
      case 0:
        return Json.NODES.numberNode(rnd.nextInt(100));
      case 1:
        return Json.parse("1.0");
      case 2:
        return Json.parse("-0");
      case 3:
        return Json.parse("1e3");
      case 4:
        return Json.parse("12345678901234567890123");
      case 5:
        return Json.NODES.booleanNode(rnd.nextBoolean());
      case 6:
        return Json.NODES.nullNode();
      case 7:
        return Json.NODES.textNode("caf\u00e9 🏃 \u65e5");
      case 8:
        return Json.NODES.textNode("line\nbreak\t\u0000\u001b[31m");
      case 9:
        return Json.NODES.textNode("~/~0~1");
      case 10:
        return Json.parse("0.1");
      default:
        return Json.NODES.textNode("v" + rnd.nextInt(50));
    }
  }

  JsonNode value(int depth) {
    if (depth <= 0 || rnd.nextInt(3) == 0) return scalar();
    if (rnd.nextBoolean()) {
      ObjectNode o = Json.NODES.objectNode();
      int n = rnd.nextInt(4);
      for (int i = 0; i < n; i++) o.set(KEYS[rnd.nextInt(KEYS.length)], value(depth - 1));
      return o;
    }
    ArrayNode a = Json.NODES.arrayNode();
    int n = rnd.nextInt(5);
    for (int i = 0; i < n; i++) a.add(value(depth - 1));
    return a;
  }

  ObjectNode document(int depth) {
    ObjectNode o = Json.NODES.objectNode();
    int n = 1 + rnd.nextInt(5);
    for (int i = 0; i < n; i++) o.set(KEYS[rnd.nextInt(KEYS.length)], value(Math.min(depth, 4)));
    if (depth > 4) o.set("deep", nested(depth - 1, rnd.nextBoolean()));
    o.set("list", longArray(rnd.nextInt(20)));
    return o;
  }

  /** A value of exactly {@code levels} levels of containers. */
  static JsonNode nested(int levels, boolean arrays) {
    JsonNode v = arrays ? Json.NODES.arrayNode() : Json.NODES.objectNode();
    for (int i = 1; i < levels; i++) {
      if (arrays) {
        ArrayNode a = Json.NODES.arrayNode();
        a.add(v);
        v = a;
      } else {
        ObjectNode o = Json.NODES.objectNode();
        o.set("d", v);
        v = o;
      }
    }
    return v;
  }

  static ArrayNode longArray(int n) {
    ArrayNode a = Json.NODES.arrayNode(n);
    for (int i = 0; i < n; i++) a.add(i);
    return a;
  }

  /** A string whose JSON text is about {@code fraction} of the size limit. */
  JsonNode bigString(double fraction) {
    long n = (long) (limits.maxDocumentBytes() * fraction);
    n = Math.min(n, server.maxBodyBytes() - 200);
    if (n < 1) n = 1;
    return Json.NODES.textNode("x".repeat((int) Math.min(n, 12 << 20)));
  }

  /** A value for an op at {@code at}: small mostly, sometimes deep or large near the limits. */
  JsonNode opValue(JsonPointer at, JsonNode doc) {
    int k = rnd.nextInt(100);
    int room = limits.maxDepth() - at.tokens().size();
    if (k < 8) return nested(Math.max(1, room - 1 + rnd.nextInt(4)), rnd.nextBoolean());
    if (k < 11) return bigString(0.3 + rnd.nextDouble() * 0.8);
    if (k < 16 && doc != null) {
      List<String> ps = pointers(doc, 200);
      JsonNode v = at(doc, ps.get(rnd.nextInt(ps.size())));
      if (v != null
          && Json.compactSize(v, server.maxBodyBytes() / 8) <= server.maxBodyBytes() / 8) {
        return v.deepCopy(); // a value that is there already (not too large to send many of)
      }
    }
    return value(3);
  }

  /** Mostly-valid body bytes for {@code json}; sometimes malformed in one of many ways. */
  byte[] bodyBytes(String json) {
    int k = rnd.nextInt(100);
    if (k >= 8) return json.getBytes(StandardCharsets.UTF_8);
    switch (rnd.nextInt(16)) {
      case 0:
        return json.substring(0, json.length() / 2).getBytes(StandardCharsets.UTF_8);
      case 1:
        return (json + " x").getBytes(StandardCharsets.UTF_8);
      case 2:
        return new byte[0];
      case 3:
        return ("\ufeff" + json).getBytes(StandardCharsets.UTF_8);
      case 4:
        return json.getBytes(StandardCharsets.UTF_16);
      case 5:
        { // invalid UTF-8 inside a string
          byte[] b = json.getBytes(StandardCharsets.UTF_8);
          byte[] bad = ("{\"a\":\"\u0000\"}").getBytes(StandardCharsets.UTF_8);
          bad[6] = (byte) 0xc3;
          return rnd.nextBoolean() ? bad : concat(b, new byte[] {(byte) 0xff});
        }
      case 6:
        return "{\"a\":\"\\ud800\"}".getBytes(StandardCharsets.UTF_8);
      case 7:
        return "{\"a\":1,\"a\":2}".getBytes(StandardCharsets.UTF_8);
      case 8:
        return ("[".repeat(server.maxDepth() + 1) + "]".repeat(server.maxDepth() + 1))
            .getBytes(StandardCharsets.UTF_8);
      case 9:
        return ("{\"a\":" + "[".repeat(server.maxDepth()) + "]".repeat(server.maxDepth()) + "}")
            .getBytes(StandardCharsets.UTF_8);
      case 10:
        return "{\"n\":1e999999999}".getBytes(StandardCharsets.UTF_8);
      case 11:
        return ("{\"n\":" + "9".repeat(1001) + "}").getBytes(StandardCharsets.UTF_8);
      case 12:
        { // over the body limit
          int n = (int) Math.min(server.maxBodyBytes() + 1 + rnd.nextInt(1000), 12L << 20);
          byte[] b = new byte[n];
          java.util.Arrays.fill(b, (byte) ' ');
          byte[] j = json.getBytes(StandardCharsets.UTF_8);
          System.arraycopy(j, 0, b, 0, Math.min(j.length, n));
          return b;
        }
      case 13:
        return "\u0000".getBytes(StandardCharsets.UTF_8);
      case 14:
        return "{\"a\":\"\u2028\u2029\",\"b\":\"\\u0000\"}".getBytes(StandardCharsets.UTF_8);
      default:
        return "nul".getBytes(StandardCharsets.UTF_8);
    }
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] c = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }

  void contentType(Request r, String type) {
    int k = rnd.nextInt(100);
    if (k < 88) r.header("Content-Type", type);
    else if (k < 91) r.header("Content-Type", type + "; charset=utf-8");
    else if (k < 93) r.header("Content-Type", type.toUpperCase(Locale.ROOT));
    else if (k < 95) {
    } // none
    else if (k < 97) r.header("Content-Type", "text/plain");
    else if (k < 98) r.header("Content-Type", JSON_PATCH.equals(type) ? MERGE_PATCH : JSON_PATCH);
    else r.header("Content-Type", type + "; charset=utf-16");
  }

  // ---------------------------------------------------------------- JSON pointers

  /** Pointers of a document (the root first), at most {@code max}, a random sample if more. */
  List<String> pointers(JsonNode doc, int max) {
    List<String> all = new ArrayList<>();
    walk(doc, "", all, 5000);
    if (all.size() <= max) return all;
    List<String> some = new ArrayList<>(max);
    some.add("");
    for (int i = 1; i < max; i++) some.add(all.get(1 + rnd.nextInt(all.size() - 1)));
    return some;
  }

  private static void walk(JsonNode n, String at, List<String> into, int max) {
    if (into.size() >= max) return;
    into.add(at);
    if (n.isObject()) {
      for (var it = n.fields(); it.hasNext() && into.size() < max; ) {
        var e = it.next();
        walk(e.getValue(), at + "/" + JsonPointer.escape(e.getKey()), into, max);
      }
    } else if (n.isArray()) {
      for (int i = 0; i < n.size() && into.size() < max; i++)
        walk(n.get(i), at + "/" + i, into, max);
    }
  }

  static JsonNode at(JsonNode doc, String pointer) {
    JsonNode n = doc;
    JsonPointer parsed;
    try {
      parsed = JsonPointer.parse(pointer);
    } catch (IllegalArgumentException e) {
      return null;
    }
    for (String t : parsed.tokens()) {
      if (n == null) return null;
      if (n.isObject()) n = n.get(t);
      else if (n.isArray()) {
        int i = JsonPointer.index(t);
        n = i >= 0 && i < n.size() ? n.get(i) : null;
      } else return null;
    }
    return n;
  }

  /** A pointer for an op: existing, new under an existing container, absent, odd, or malformed. */
  String pointer(JsonNode doc, boolean forInsert) {
    List<String> ps = pointers(doc, 300);
    int k = rnd.nextInt(100);
    String p = ps.get(rnd.nextInt(ps.size()));
    if (k < 55) return p;
    JsonNode n = at(doc, p);
    if (k < 96 && n != null && n.isContainerNode()) {
      if (n.isArray()) {
        String[] idx = {
          "-",
          String.valueOf(n.size()),
          "0",
          String.valueOf(Math.max(0, n.size() - 1)),
          "-",
          String.valueOf(n.size() / 2),
          String.valueOf(n.size() + 1),
          "01",
          "-1",
          "1e0",
          " 0",
          "99999999999999999999"
        };
        int i = rnd.nextInt(rnd.nextInt(5) == 0 ? idx.length : 6);
        if (!forInsert && (i == 0 || i == 4)) i = 2;
        return p + "/" + idx[i];
      }
      return p + "/" + JsonPointer.escape(KEYS[rnd.nextInt(KEYS.length)]);
    }
    if (k < 96 && n != null && !p.isEmpty()) { // a sibling of a scalar
      String parent = p.substring(0, p.lastIndexOf('/'));
      JsonNode pn = at(doc, parent);
      if (pn != null && pn.isObject())
        return parent + "/" + JsonPointer.escape(KEYS[rnd.nextInt(KEYS.length)]);
      return p;
    }
    String[] odd = {
      "/nope/a/b",
      "/~0~1",
      "/~01",
      "/a~",
      "a/b",
      "#/a",
      "/a/~2",
      "/%20",
      "",
      "/list/-/x",
      "/" + "x/".repeat(limits.maxDepth() + 2) + "x"
    };
    return odd[rnd.nextInt(odd.length)];
  }

  // ---------------------------------------------------------------- the patch generator

  ArrayNode patchOps(JsonNode doc) {
    ArrayNode ops = Json.NODES.arrayNode();
    JsonNode scratch = doc == null ? Json.NODES.objectNode() : doc.deepCopy();
    int k = rnd.nextInt(100);
    if (k < 2) return ops; // []
    if (k < 4) { // one more than allowed
      for (int i = 0; i <= server.maxOps(); i++)
        ops.add(op("test", "/nope", null, Json.NODES.numberNode(i)));
      return ops;
    }
    if (k < 12) return copyChain(scratch);
    if (k < 16) return moveChain(scratch);
    if (k < 20) return shifts(scratch);
    int n = 1 + rnd.nextInt(rnd.nextInt(10) == 0 ? 20 : 3);
    for (int i = 0; i < n; i++) {
      ObjectNode op = randomOp(scratch);
      ops.add(op);
      scratch = tryApply(scratch, op);
    }
    if (rnd.nextInt(40) == 0) ops.add(malformedOp());
    return ops;
  }

  ObjectNode op(String name, String path, String from, JsonNode value) {
    ObjectNode o = Json.NODES.objectNode();
    o.put("op", name);
    o.put("path", path);
    if (from != null) o.put("from", from);
    if (value != null && !name.equals("remove") && !name.equals("move") && !name.equals("copy")) {
      o.set("value", value);
    }
    return o;
  }

  ObjectNode randomOp(JsonNode doc) {
    int k = rnd.nextInt(100);
    if (k < 25) {
      String p = pointer(doc, true);
      return op("add", p, null, opValue(safeParse(p), doc));
    }
    if (k < 40) return op("remove", pointer(doc, false), null, null);
    if (k < 60) {
      String p = pointer(doc, false);
      return op("replace", p, null, opValue(safeParse(p), doc));
    }
    if (k < 70) return op("move", pointer(doc, true), pointer(doc, false), null);
    if (k < 82) return op("copy", pointer(doc, true), pointer(doc, false), null);
    // test: mostly of the value that is there
    String p = pointer(doc, false);
    JsonNode v = at(doc, p);
    if (v == null
        || rnd.nextInt(4) == 0
        || Json.compactSize(v, server.maxBodyBytes() / 8) > server.maxBodyBytes() / 8) {
      v = scalar();
    } else if (v.isIntegralNumber() && rnd.nextBoolean() && v.asText().matches("-?[0-9]+")) {
      v = Json.parse(v.asText() + ".0");
    }
    return op("test", p, null, v.deepCopy());
  }

  static JsonPointer safeParse(String p) {
    try {
      return JsonPointer.parse(p);
    } catch (IllegalArgumentException e) {
      return JsonPointer.ROOT;
    }
  }

  ObjectNode malformedOp() {
    String[] bad = {
      "{\"op\":\"ADD\",\"path\":\"/a\",\"value\":1}",
      "{\"op\":\"add\",\"path\":\"/a\"}",
      "{\"op\":\"add\",\"path\":5,\"value\":1}",
      "{\"path\":\"/a\"}",
      "{\"op\":\"move\",\"path\":\"/a\"}",
      "{\"op\":\"nop\",\"path\":\"/a\"}",
      "{\"op\":\"add\",\"path\":\"a\",\"value\":1}",
      "{\"op\":\"copy\",\"from\":\"/~x\",\"path\":\"/a\"}",
      "{\"op\":null,\"path\":\"/a\"}"
    };
    return (ObjectNode) Json.parse(bad[rnd.nextInt(bad.length)]);
  }

  /** Copies of the root or of a large subtree to new places, doubling the document each time. */
  ArrayNode copyChain(JsonNode doc) {
    ArrayNode ops = Json.NODES.arrayNode();
    int n = 2 + rnd.nextInt(14);
    boolean deeper = rnd.nextBoolean();
    String from = rnd.nextBoolean() ? "" : largest(doc);
    String last = "";
    for (int i = 0; i < n; i++) {
      String to = deeper ? last + "/c" : "/c" + i;
      if (rnd.nextInt(3) == 0) from = deeper ? last : from;
      ops.add(op("copy", to, from, null));
      last = to;
    }
    return ops;
  }

  /** The pointer of the largest container under the root (the root when there is none). */
  static String largest(JsonNode doc) {
    String best = "";
    long size = -1;
    if (doc.isObject()) {
      for (var it = doc.fields(); it.hasNext(); ) {
        var e = it.next();
        long sz =
            e.getValue().isContainerNode() ? Json.compactSize(e.getValue(), Long.MAX_VALUE) : 0;
        if (sz > size) {
          size = sz;
          best = "/" + JsonPointer.escape(e.getKey());
        }
      }
    }
    return best;
  }

  /** Moves of values around, into new members, deeper, into their own children. */
  ArrayNode moveChain(JsonNode doc) {
    ArrayNode ops = Json.NODES.arrayNode();
    int n = 2 + rnd.nextInt(8);
    String at = pointer(doc, false);
    for (int i = 0; i < n; i++) {
      String to =
          rnd.nextInt(4) == 0 ? at + "/m" : rnd.nextBoolean() ? "/m" + i : pointer(doc, true);
      ops.add(op("move", to, at, null));
      at = to;
    }
    return ops;
  }

  /** Inserts and removes at the front of the largest array: work without growth. */
  ArrayNode shifts(JsonNode doc) {
    ArrayNode ops = Json.NODES.arrayNode();
    String array = null;
    int size = -1;
    for (String p : pointers(doc, 2000)) {
      JsonNode n = at(doc, p);
      if (n != null && n.isArray() && n.size() > size) {
        size = n.size();
        array = p;
      }
    }
    if (array == null) return ops;
    int n = Math.min(server.maxOps(), 1 + rnd.nextInt(300));
    for (int i = 0; i < n; i++) {
      ops.add(
          rnd.nextBoolean()
              ? op("add", array + "/0", null, Json.NODES.numberNode(i))
              : op("remove", array + "/0", null, null));
    }
    return ops;
  }

  JsonNode tryApply(JsonNode doc, ObjectNode op) {
    try {
      Patch p = Patch.fromJson(Json.NODES.arrayNode().add(op));
      JsonNode next = JsonPatch.applyInPlace(doc, p).document();
      if (Json.compactSize(next, 4 * limits.maxDocumentBytes()) > 4 * limits.maxDocumentBytes()) {
        return Json.NODES.objectNode(); // do not let the scratch copy explode
      }
      return next;
    } catch (RuntimeException e) {
      return doc;
    }
  }

  // ---------------------------------------------------------------- the routes

  Op getConfig() {
    Actor a = pickActor(false);
    Target t = pickTarget(a);
    Request r = authorize(new Request("GET", t.path()), a);
    if (rnd.nextInt(5) == 0) {
      State st = t.ref() == null ? State.ABSENT : state(t.ref());
      String[] inm = {
        "\"" + st.version + "\"", "\"" + (st.version + 1) + "\"", "*", "garbage", "W/\"1\""
      };
      r.header("If-None-Match", inm[rnd.nextInt(inm.length)]);
    }
    return new Op("get", a, t.ref(), r);
  }

  Op getVersion() {
    Actor a = pickActor(false);
    Target t = pickTarget(a);
    State st = t.ref() == null ? State.ABSENT : state(t.ref());
    String[] vs = {
      String.valueOf(1 + rnd.nextInt((int) Math.max(1, st.version))),
      String.valueOf(st.version),
      String.valueOf(Math.max(1, st.version - setup.retention() - 1)),
      "0",
      "-1",
      "abc",
      "99999999999999999999",
      "1.0",
      "",
      String.valueOf(st.version + 1)
    };
    String v = vs[rnd.nextInt(vs.length)];
    return new Op(
        "get?version", a, t.ref(), authorize(new Request("GET", t.path() + "?version=" + v), a));
  }

  Op putCreate() {
    Actor a = pickActor(true);
    Target t = pickTarget(a);
    if (rnd.nextInt(4) > 0) { // mostly where a config is missing, so that it comes back
      List<ConfigRef> gone = new ArrayList<>();
      for (ConfigRef ref : refs) {
        State st = state(ref);
        if ((!st.exists || st.deleted) && (a == null || a.sees(ref.tenant()))) gone.add(ref);
      }
      if (!gone.isEmpty()) {
        ConfigRef ref = gone.get(rnd.nextInt(gone.size()));
        t = new Target(ref, path(ref));
      }
    }
    ObjectNode doc = createDocument();
    JsonNode body = rnd.nextInt(40) == 0 ? Json.parse("[1,2]") : doc;
    String json = Json.compact(body);
    Request r = authorize(new Request("PUT", t.path()), a);
    contentType(r, JSON);
    r.body(bodyBytes(json));
    int k = rnd.nextInt(20);
    if (k == 0) r.header("If-None-Match", "\"1\"");
    else if (k == 1) {
      r.header("If-None-Match", "*");
      r.header("If-Match", "*");
    } else r.header("If-None-Match", k == 2 ? " * " : "*");
    Op op = new Op("put-create", a, t.ref(), r);
    commonWriteHeaders(op);
    return op;
  }

  ObjectNode createDocument() {
    int k = rnd.nextInt(100);
    ObjectNode doc = document(3);
    if (k < 8) doc.set("deep", nested(limits.maxDepth() - 2 + rnd.nextInt(4), rnd.nextBoolean()));
    else if (k < 14) doc.set("big", bigString(0.5 + rnd.nextDouble() * 0.7));
    return doc;
  }

  Op putReplace() {
    Actor a = pickActor(true);
    Target t = pickTarget(a);
    State st = t.ref() == null ? State.ABSENT : state(t.ref());
    JsonNode body;
    int k = rnd.nextInt(100);
    if (k < 15 && st.content != null) body = st.content; // the same: changes nothing
    else if (k < 45 && st.content != null) {
      body = st.content.deepCopy();
      ArrayNode ops = Json.NODES.arrayNode().add(randomOp(body));
      body = tryApply(body, (ObjectNode) ops.get(0));
    } else if (k < 48) {
      body = Json.parse(rnd.nextBoolean() ? "[]" : "\"text\"");
    } else {
      body = createDocument();
    }
    Request r =
        authorize(new Request("PUT", t.path() + (rnd.nextInt(5) == 0 ? "?rebase=true" : "")), a);
    contentType(r, JSON);
    r.body(bodyBytes(Json.compact(body)));
    String im = ifMatch(t.ref(), true);
    if (im != null) r.header("If-Match", im);
    Op op = new Op("put-replace", a, t.ref(), r);
    commonWriteHeaders(op);
    return op;
  }

  Op jsonPatch() {
    Actor a = pickActor(true);
    Target t = pickTarget(a);
    State st = t.ref() == null ? State.ABSENT : state(t.ref());
    ArrayNode ops = patchOps(st.content == null ? Json.NODES.objectNode() : st.content);
    String q = rnd.nextInt(6) == 0 ? (rnd.nextInt(5) == 0 ? "?rebase=TRUE" : "?rebase=true") : "";
    Request r = authorize(new Request("PATCH", t.path() + q), a);
    contentType(r, JSON_PATCH);
    r.body(bodyBytes(Json.compact(ops)));
    String im = ifMatch(t.ref(), true);
    if (im != null) r.header("If-Match", im);
    Op op = new Op("json-patch", a, t.ref(), r);
    commonWriteHeaders(op);
    return op;
  }

  Op mergePatch() {
    Actor a = pickActor(true);
    Target t = pickTarget(a);
    State st = t.ref() == null ? State.ABSENT : state(t.ref());
    JsonNode mp;
    int k = rnd.nextInt(100);
    if (k < 5) mp = Json.parse(rnd.nextBoolean() ? "[1]" : "null");
    else {
      ObjectNode o = Json.NODES.objectNode();
      int n = 1 + rnd.nextInt(4);
      for (int i = 0; i < n; i++) {
        String key =
            st.content != null && st.content.size() > 0 && rnd.nextBoolean()
                ? st.content.fieldNames().next()
                : KEYS[rnd.nextInt(KEYS.length)];
        int v = rnd.nextInt(10);
        o.set(
            key,
            v < 3
                ? Json.NODES.nullNode()
                : v < 4
                    ? nested(limits.maxDepth() - 1 + rnd.nextInt(3), false)
                    : v < 5 ? bigString(0.4 + rnd.nextDouble()) : value(3));
      }
      mp = o;
    }
    String q = rnd.nextInt(8) == 0 ? "?rebase=true" : "";
    Request r = authorize(new Request("PATCH", t.path() + q), a);
    contentType(r, MERGE_PATCH);
    r.body(bodyBytes(Json.compact(mp)));
    String im = ifMatch(t.ref(), true);
    if (im != null) r.header("If-Match", im);
    Op op = new Op("merge-patch", a, t.ref(), r);
    commonWriteHeaders(op);
    return op;
  }

  Op delete() {
    Actor a = pickActor(true);
    Target t = pickTarget(a);
    Request r = authorize(new Request("DELETE", t.path()), a);
    String im = ifMatch(t.ref(), rnd.nextInt(10) == 0);
    if (im != null) r.header("If-Match", im);
    Op op = new Op("delete", a, t.ref(), r);
    commonWriteHeaders(op);
    return op;
  }

  Op history() {
    Actor a = pickActor(false);
    Target t = pickTarget(a);
    List<String> q = new ArrayList<>();
    String[] limitsQ = {"1", "2", "50", "1000", "0", "1001", "-1", "x", ""};
    if (rnd.nextBoolean()) q.add("limit=" + limitsQ[rnd.nextInt(limitsQ.length)]);
    if (rnd.nextInt(3) == 0)
      q.add(
          "before=" + new String[] {"1", "5", "0", "abc", "99999999999999999999"}[rnd.nextInt(5)]);
    if (rnd.nextInt(4) == 0)
      q.add("author=" + new String[] {"alice", "bob", "nobody", "%00", ""}[rnd.nextInt(5)]);
    if (rnd.nextInt(4) == 0)
      q.add(
          "since="
              + new String[] {
                    "2026-11-28T00:00:00Z",
                    "2026-11-28T10:00:00.000Z",
                    "yesterday",
                    "2026-13-01T00:00:00Z",
                    "1"
                  }
                  [rnd.nextInt(5)]);
    if (rnd.nextInt(5) == 0)
      q.add(
          "until="
              + new String[] {"2030-01-01T00:00:00Z", "2026-11-28T10:00:00+01:00", "x"}
                  [rnd.nextInt(3)]);
    String path = t.path() + "/history" + (q.isEmpty() ? "" : "?" + String.join("&", q));
    return new Op("history", a, t.ref(), authorize(new Request("GET", path), a));
  }

  Op revision() {
    Actor a = pickActor(false);
    Target t = pickTarget(a);
    State st = t.ref() == null ? State.ABSENT : state(t.ref());
    String[] vs = {
      String.valueOf(1 + rnd.nextInt((int) Math.max(1, st.version))),
      String.valueOf(st.version),
      "0",
      "-3",
      "x",
      "99999999999999999999",
      String.valueOf(st.version + 1),
      "1%2F2"
    };
    return new Op(
        "revision",
        a,
        t.ref(),
        authorize(new Request("GET", t.path() + "/revisions/" + vs[rnd.nextInt(vs.length)]), a));
  }

  Op undo() {
    Actor a = pickActor(true);
    Target t = pickTarget(a);
    String[] bodies = {
      null,
      "{}",
      "{\"scope\":\"mine\"}",
      "{\"scope\":\"any\"}",
      "{\"steps\":2}",
      null,
      "{}",
      "{\"steps\":1}",
      null,
      "{\"scope\":\"any\"}",
      "{\"steps\":5,\"scope\":\"mine\"}",
      "{\"steps\":0}",
      "{\"steps\":-1}",
      "{\"steps\":1001}",
      "{\"steps\":1.5}",
      "{\"steps\":\"2\"}",
      "{\"steps\":1e2}",
      "{\"scope\":\"x\"}",
      "{\"scope\":5}",
      "[]",
      "{\"steps\":99999999999999999999}",
      "{\"steps\":3,\"scope\":\"any\"}"
    };
    String b = bodies[rnd.nextInt(bodies.length)];
    return revertOp("undo", a, t, b);
  }

  Op redo() {
    Actor a = pickActor(true);
    Target t = pickTarget(a);
    String[] bodies = {
      null, "{}", "{\"steps\":1}", "{\"steps\":3}", "{\"scope\":\"mine\"}", "{\"steps\":0}", "\"x\""
    };
    return revertOp("redo", a, t, bodies[rnd.nextInt(bodies.length)]);
  }

  private Op revertOp(String what, Actor a, Target t, String body) {
    Request r = authorize(new Request("POST", t.path() + "/" + what), a);
    if (body != null) {
      contentType(r, JSON);
      r.body(bodyBytes(body));
    } else if (rnd.nextInt(4) == 0) {
      r.header("Content-Type", JSON);
    }
    if (rnd.nextInt(4) == 0) {
      String im = ifMatch(t.ref(), false);
      if (im != null) r.header("If-Match", im);
    }
    Op op = new Op(what, a, t.ref(), r);
    commonWriteHeaders(op);
    return op;
  }

  Op rollback() {
    Actor a = pickActor(true);
    Target t = pickTarget(a);
    State st = t.ref() == null ? State.ABSENT : state(t.ref());
    String[] tos = {
      String.valueOf(1 + rnd.nextInt((int) Math.max(1, st.version))),
      String.valueOf(Math.max(1, st.version - 1)),
      String.valueOf(st.version),
      "0",
      "-1",
      String.valueOf(st.version + 1),
      "1.5",
      "\"3\"",
      "null",
      "99999999999999999999"
    };
    String to = tos[rnd.nextInt(tos.length)];
    String body = rnd.nextInt(20) == 0 ? "{}" : "{\"toVersion\":" + to + "}";
    Request r = authorize(new Request("POST", t.path() + "/rollback"), a);
    contentType(r, JSON);
    r.body(bodyBytes(body));
    String im = ifMatch(t.ref(), rnd.nextInt(8) == 0);
    if (im != null) r.header("If-Match", im);
    Op op = new Op("rollback", a, t.ref(), r);
    commonWriteHeaders(op);
    return op;
  }

  Op getLock() {
    Actor a = pickActor(false);
    Target t = pickTarget(a);
    return new Op("lock-get", a, t.ref(), authorize(new Request("GET", t.path() + "/lock"), a));
  }

  Op acquire() {
    Actor a = pickActor(true);
    Target t = pickTarget(a);
    String[] bodies = {
      null,
      "{}",
      "{\"ttlSeconds\":60}",
      "{\"ttlSeconds\":1}",
      "{\"ttlSeconds\":0}",
      "{\"ttlSeconds\":3601}",
      "{\"ttlSeconds\":-5}",
      "{\"ttlSeconds\":\"60\"}",
      "{\"client\":\"web tab 3\",\"note\":\"spring sale\"}",
      "{\"client\":\"" + "c".repeat(201) + "\"}",
      "{\"note\":\"" + "\u00e9".repeat(500) + "\"}",
      "{\"note\":\"\\u001b[2J\\u0007\"}",
      "{\"takeOver\":true}",
      "{\"takeOver\":true,\"reason\":\"tab died\"}",
      "{\"takeOver\":true,\"reason\":\"  \"}",
      "{\"takeOver\":\"yes\"}",
      "{\"takeOver\":false}",
      "{\"ttlSeconds\":99999999999999999999}",
      "[]",
      "{\"client\":\"tab\\u0000x\"}",
      "{\"note\":\"n\\u0000\",\"ttlSeconds\":30}",
      "{\"takeOver\":true,\"reason\":\"r\\u0000\"}"
    };
    String b = bodies[rnd.nextInt(bodies.length)];
    Request r = authorize(new Request("POST", t.path() + "/lock"), a);
    if (b != null) {
      contentType(r, JSON);
      r.body(bodyBytes(b));
    }
    Op op = new Op("lock-acquire", a, t.ref(), r);
    if (rnd.nextInt(5) == 0) idempotencyKey(op);
    return op;
  }

  String someLockId(Op op) {
    int k = rnd.nextInt(100);
    if (k < 50 && op.actor != null && op.ref != null) {
      for (LockInfo l : snapshot(locks.values())) {
        if (l.ref().equals(op.ref) && l.user().equals(op.actor.user())) return l.id();
      }
    }
    if (k < 85 && !lockIds.isEmpty()) return lockIds.get(rnd.nextInt(lockIds.size()));
    String[] odd = {"lk_nope", "x".repeat(300), "%00", "lk_%C3%A9", "..", "%2F"};
    return odd[rnd.nextInt(odd.length)];
  }

  Op heartbeat() {
    Actor a = pickActor(true);
    Target t = pickTarget(a);
    Op op = new Op("lock-heartbeat", a, t.ref(), null);
    String id = someLockId(op);
    String[] bodies = {
      null,
      "{}",
      "{\"ttlSeconds\":120}",
      "{\"ttlSeconds\":0}",
      "{\"ttlSeconds\":4000}",
      "{\"ttlSeconds\":\"x\"}",
      "[1]"
    };
    String b = bodies[rnd.nextInt(bodies.length)];
    Request r = authorize(new Request("PUT", t.path() + "/lock/" + id), a);
    if (b != null) {
      contentType(r, JSON);
      r.body(bodyBytes(b));
    }
    return withRequest(op, r);
  }

  Op withRequest(Op op, Request r) {
    Op o = new Op(op.label, op.actor, op.ref, r);
    return o;
  }

  Op release() {
    Actor a = pickActor(true);
    Target t = pickTarget(a);
    Op op = new Op("lock-release", a, t.ref(), null);
    return withRequest(
        op, authorize(new Request("DELETE", t.path() + "/lock/" + someLockId(op)), a));
  }

  Op forceRelease() {
    Actor a = pickActor(true);
    Target t = pickTarget(a);
    String[] qs = {
      "?force=true&reason=laptop%20died",
      "?force=true",
      "?force=true&reason=",
      "?force=true&reason=%20%20",
      "",
      "?force=1&reason=x",
      "?force=true&reason=%C3%A9t%C3%A9",
      "?force=true&reason=" + "r".repeat(600)
    };
    return new Op(
        "lock-force",
        a,
        t.ref(),
        authorize(new Request("DELETE", t.path() + "/lock" + qs[rnd.nextInt(qs.length)]), a));
  }

  Op listLocks() {
    Actor a = pickActor(false);
    String t = rnd.nextInt(10) == 0 ? "ACME" : TENANTS[rnd.nextInt(TENANTS.length)];
    String[] qs = {
      "",
      "?staleAfter=0",
      "?staleAfter=60",
      "?staleAfter=-1",
      "?staleAfter=x",
      "?staleAfter=999999999999"
    };
    return new Op(
        "locks",
        a,
        null,
        authorize(
            new Request("GET", "/v1/tenants/" + t + "/locks" + qs[rnd.nextInt(qs.length)]), a));
  }

  Op listConfigs() {
    Actor a = pickActor(false);
    String t = rnd.nextInt(10) == 0 ? "x%2Fy" : TENANTS[rnd.nextInt(TENANTS.length)];
    String[] qs = {
      "",
      "?limit=1",
      "?limit=2&after=landing",
      "?prefix=l",
      "?prefix=%25",
      "?limit=0",
      "?prefix=%00",
      "?limit=1001",
      "?after=%00",
      "?prefix=_"
    };
    return new Op(
        "list",
        a,
        null,
        authorize(
            new Request("GET", "/v1/tenants/" + t + "/configs" + qs[rnd.nextInt(qs.length)]), a));
  }

  Op tokens() {
    Actor a = pickActor(false);
    int k = rnd.nextInt(10);
    if (k < 5) {
      String[] tenants = {"acme", "globex", "*", "ghost", "ACME", ""};
      String[] roles = {"viewer", "editor", "admin", "root", ""};
      String body =
          "{\"user\":\"fz"
              + rnd.nextInt(1000)
              + "\",\"displayName\":\"F\\u00fczz"
              + (rnd.nextInt(4) == 0 ? "\\u0000" : "")
              + "\",\"tenant\":\""
              + tenants[rnd.nextInt(tenants.length)]
              + "\",\"role\":\""
              + roles[rnd.nextInt(roles.length)]
              + "\""
              + (rnd.nextBoolean()
                  ? ",\"expiresInDays\":"
                      + new String[] {"1", "0", "3651", "-1", "1.5"}[rnd.nextInt(5)]
                  : "")
              + "}";
      String[] odd = {
        "{}",
        "{\"user\":\"\",\"tenant\":\"acme\",\"role\":\"viewer\"}",
        "{\"user\":\"" + "u".repeat(201) + "\",\"tenant\":\"acme\",\"role\":\"viewer\"}",
        "{\"user\":5,\"tenant\":\"acme\",\"role\":\"viewer\"}"
      };
      if (rnd.nextInt(5) == 0) body = odd[rnd.nextInt(odd.length)];
      Request r = authorize(new Request("POST", "/v1/tokens"), a);
      contentType(r, JSON);
      r.body(bodyBytes(body));
      if (rnd.nextInt(20) == 0) r.header("Idempotency-Key", "t-1");
      return new Op("token-create", a, null, r);
    }
    if (k < 8) return new Op("token-list", a, null, authorize(new Request("GET", "/v1/tokens"), a));
    String id =
        !ownTokenIds.isEmpty() && rnd.nextBoolean()
            ? ownTokenIds.get(rnd.nextInt(ownTokenIds.size()))
            : new String[] {"tk_nope", "x", "%00"}[rnd.nextInt(3)];
    return new Op("token-revoke", a, null, authorize(new Request("DELETE", "/v1/tokens/" + id), a));
  }

  Op oddRoute() {
    Actor a = pickActor(false);
    String[][] odd = {
      {"GET", "/v1/health"},
      {"GET", "/v1/whoami"},
      {"POST", "/v1/health"},
      {"POST", "/v1/tenants/acme/configs/landing"},
      {"GET", "/v1/nothing"},
      {"GET", "/v1/tenants/acme/configs/landing/"},
      {"PATCH", "/v1/tenants/acme/configs/landing/lock"},
      {"PUT", "/v1/tokens"},
      {"DELETE", "/v1/tenants/acme/configs/landing/history"},
      {"GET", "/v1/tenants/acme/configs/landing/revisions"},
      {"GET", "/v1/tenants/acme"},
      {"HEAD", "/v1/tenants/acme/configs/landing"},
      {"OPTIONS", "/v1/tenants/acme/configs/landing"},
      {"GET", "/v1/tenants/acme/configs/landing/../pricing"},
      {"GET", "//v1/health"},
      {"GET", "/v1/tenants/acme/configs/landing?version=1&version=2"}
    };
    String[] o = odd[rnd.nextInt(odd.length)];
    Request r = authorize(new Request(o[0], o[1]), a);
    return new Op("odd " + o[0] + " " + o[1], a, null, r);
  }

  /** Sends an earlier keyed request again, byte for byte (a retry), or under another actor. */
  Op replay() {
    List<Sent> all = snapshot(keyed);
    if (all.isEmpty()) return jsonPatch();
    Sent old = all.get(rnd.nextInt(all.size()));
    Op op = new Op(old.label() + " (retry)", old.actor(), old.ref(), old.request());
    op.idemKey = old.request().header("Idempotency-Key");
    return op;
  }

  // ================================================================ predictions

  /** Fills in what may be predicted of the answer of a request clean enough to predict. */
  void predict(Op op, State before, Lock lock) {
    try {
      predictOrThrow(op, before, lock);
    } catch (RuntimeException e) {
      op.expectStatus = 0; // the generator made something the predictor does not understand
      op.expectContent = null;
      op.expectUnchanged = null;
    }
  }

  /** Raw header bytes Jetty refuses before anything else (a 400 for any route). */
  static boolean unreadableHeaders(Request r) {
    for (byte[][] h : r.rawHeaders) {
      for (byte b : h[1]) if (b >= 0 && b < 0x20 && b != '\t' || b == 0x7f) return true;
    }
    return false;
  }

  private void predictOrThrow(Op op, State before, Lock lock) {
    Request r = op.request;
    if (op.actor != null && op.idemKey != null && !unreadableHeaders(r)) {
      Remembered m = remembered(op.actor, op.idemKey);
      if (m != null
          && m.requestId().equals(requestId(r))
          && op.ref != null
          && op.ref.equals(m.ref())) {
        op.replayOf = m; // a retry: answered from memory (checked in checkEffect)
        return;
      }
    }
    if (setup.rateLimited() || unreadableHeaders(r) || op.label.startsWith("odd")) return;
    if (op.actor == null) {
      op.expect(401, "unauthorized", "bad token");
      return;
    }
    if (op.actor.user().equals("ex")
        && !clock.instant().isBefore(tokenStart.plus(Duration.ofDays(1)))) {
      op.expect(401, "unauthorized", "expired token");
      return;
    }
    if (!r.method.equals("GET")
        && !r.method.equals("HEAD")
        && !op.actor.role().atLeast(Role.EDITOR)) {
      // a viewer's write is refused before its body is read: another tenant's is 404, as ever
      java.util.regex.Matcher t =
          java.util.regex.Pattern.compile("^/v1/tenants/([^/?]*)/").matcher(r.targetText());
      if (t.find() && !op.actor.sees(t.group(1))) {
        op.expect(404, "not-found", "another tenant's");
      } else {
        op.expect(403, "forbidden", "a viewer writes nothing");
      }
      return;
    }
    String key = op.idemKey;
    if (key != null) {
      Remembered m = remembered(op.actor, key);
      if (m != null
          && m.requestId().equals(requestId(r))
          && op.ref != null
          && op.ref.equals(m.ref())) {
        op.replayOf = m;
        return;
      }
      if (m != null) return; // another request under a used key: checked in checkEffect
      if (!normalKey(key).matches("[!#-~]{1,255}")) return; // a key that is no key
    }
    if (r.header("Lock-Id") != null
        || r.header("Change-Message") != null
        || r.header("Accept") != null) {
      return; // too many ways to go: not predicted
    }
    if (op.ref == null) {
      if (op.label.equals("token-list")) {
        op.expect(
            op.actor.role() == Role.ADMIN ? 200 : 403, null, "token list by " + op.actor.role());
      }
      return;
    }
    String type = r.header("Content-Type");
    switch (op.label) {
      case "json-patch" -> predictPatch(op, before, lock, type);
      case "merge-patch" -> predictMerge(op, before, lock, type);
      case "put-replace", "put-create" -> predictPut(op, before, lock, type);
      case "delete" -> predictDelete(op, before, lock);
      case "rollback" -> predictRollback(op, before, lock, type);
      case "lock-acquire" -> predictAcquire(op, lock, type);
      case "lock-heartbeat", "lock-release" -> predictLockId(op, lock);
      case "lock-force" -> predictForce(op, lock);
      case "get" -> {
        if (r.header("If-None-Match") != null || !access(op, Role.VIEWER)) return;
        if (!before.exists) op.expect(404, "not-found", "no such config");
        else if (before.deleted) op.expect(410, "deleted", "tombstone");
        else op.expect(200, null, "readable");
      }
      default -> {}
    }
  }

  /** Where a request reaches the store: another tenant's is 404, a role too low 403. */
  boolean access(Op op, Role needed) {
    if (!op.actor.sees(op.ref.tenant())) {
      op.expect(404, "not-found", "another tenant's");
      return false;
    }
    if (!op.actor.role().atLeast(needed)) {
      op.expect(403, "forbidden", "needs " + needed.label());
      return false;
    }
    return true;
  }

  Instant tokenStart;

  static boolean isCurrent(String im, State before) {
    return im == null || im.trim().equals("*") || im.trim().equals("\"" + before.version + "\"");
  }

  static boolean garbage(String im) {
    return im != null && !im.trim().equals("*") && !ETAG.matcher(im.trim()).matches();
  }

  static long tagged(String im) {
    return Long.parseLong(im.trim().replace("\"", ""));
  }

  static String ct(String type) {
    return type == null ? "" : type.toLowerCase(Locale.ROOT).split(";")[0].trim();
  }

  /** The body parsed as the server parses it, or the problem it is refused with. */
  record Parsed(JsonNode json, int status, String slug) {}

  Parsed parse(byte[] body) {
    if (body == null) body = new byte[0];
    if (body.length > server.maxBodyBytes()) return new Parsed(null, 413, "too-large");
    try {
      return new Parsed(
          Json.parse(body, Json.Limits.DEFAULT.withMaxDepth(server.maxDepth())), 0, null);
    } catch (JsonInputException e) {
      if (e.tooDeep()) return new Parsed(null, 400, "too-deep");
      return new Parsed(null, 400, "invalid-json");
    }
  }

  static final Pattern ETAG = Pattern.compile("\"([1-9][0-9]{0,17})\"");

  void predictPatch(Op op, State before, Lock lock, String type) {
    Request r = op.request;
    if (!JSON_PATCH.equals(ct(type))) return;
    Parsed p = parse(r.body);
    if (p.json() == null) {
      op.expect(p.status(), p.slug(), "unreadable body");
      return;
    }
    if (p.json().isArray() && p.json().size() > server.maxOps()) {
      op.expect(400, "too-many-ops", "too many ops");
      return;
    }
    Patch patch;
    try {
      patch = Patch.fromJson(p.json());
    } catch (InvalidPatchException e) {
      op.expect(400, "invalid-patch", e.getMessage());
      return;
    }
    String im = r.header("If-Match");
    if (garbage(im)) {
      op.expect(400, "invalid-request", "If-Match garbage");
      return;
    }
    if (!access(op, Role.EDITOR)) return;
    boolean rebase = r.targetText().endsWith("?rebase=true");
    if (!isCurrent(im, before)
        && !rebase
        && op.idemKey == null
        && before.exists
        && !before.deleted) {
      op.expect(412, "version-conflict", "stale If-Match " + im);
      return;
    }
    if (!before.exists) {
      op.expect(404, "not-found", "no such config");
      return;
    }
    if (before.deleted) {
      op.expect(410, "deleted", "tombstone");
      return;
    }
    if (lock != null) {
      op.expect(423, "locked", "locked by " + lock.holder().id());
      return;
    }
    if (!isCurrent(im, before)) {
      if (!rebase || tagged(im) > before.version)
        op.expect(412, "version-conflict", "stale If-Match " + im);
      return;
    }
    expectApplied(op, before, patch, "patch");
  }

  /** A patch applied to the current content by the store's rules: its outcome. */
  void expectApplied(Op op, State before, Patch patch, String what) {
    Budget budget = new Budget(limits.maxDepth(), limits.maxDocumentBytes(), limits.maxWork());
    JsonPatch.Applied a;
    try {
      a = JsonPatch.apply(before.content, patch, budget);
    } catch (PatchFailedException e) {
      op.expect(422, "patch-failed", e.getMessage());
      return;
    } catch (LimitExceededException e) {
      op.expect(422, slug(e), e.getMessage());
      return;
    }
    if (!a.document().isObject()) {
      op.expect(422, "not-an-object", "not an object");
      return;
    }
    if (Json.compactSize(a.document(), limits.maxDocumentBytes()) > limits.maxDocumentBytes()) {
      op.expect(422, "result-too-large", "larger than the limit");
      return;
    }
    boolean minimal = "return=minimal".equals(op.request.header("Prefer"));
    op.expect(minimal ? 204 : 200, null, what + " applies");
    op.expectContent = Json.compact(a.document());
    op.expectUnchanged = a.inverse().ops().isEmpty();
  }

  static String slug(LimitExceededException e) {
    return switch (e.limit()) {
      case DEPTH -> "result-too-deep";
      case SIZE -> "result-too-large";
      case WORK -> "too-much-work";
    };
  }

  void predictMerge(Op op, State before, Lock lock, String type) {
    Request r = op.request;
    if (!MERGE_PATCH.equals(ct(type))) return;
    Parsed p = parse(r.body);
    if (p.json() == null) {
      op.expect(p.status(), p.slug(), "unreadable body");
      return;
    }
    String im = r.header("If-Match");
    if (garbage(im)) {
      op.expect(400, "invalid-request", "If-Match garbage");
      return;
    }
    if (!access(op, Role.EDITOR)) return;
    if (!before.exists) {
      op.expect(404, "not-found", "no such config");
      return;
    }
    if (before.deleted) {
      if (isCurrent(im, before)) op.expect(410, "deleted", "tombstone");
      return;
    }
    boolean rebase = r.targetText().endsWith("?rebase=true");
    if (!isCurrent(im, before)) {
      long v = tagged(im);
      if (lock != null && (op.idemKey != null || rebase)) return; // the lock is checked first
      if (v > before.version) {
        op.expect(412, "version-conflict", "If-Match " + im + " after the current version");
      } else if (!rebase
          && v >= before.version - setup.retention()
          && versions.getOrDefault(op.ref, Map.of()).containsKey(v)) {
        op.expect(412, "version-conflict", "stale If-Match " + im);
      }
      return;
    }
    if (lock != null) {
      op.expect(423, "locked", "locked");
      return;
    }
    JsonNode merged = MergePatch.apply(before.content, p.json());
    expectApplied(
        op, before, dev.cfgctl.patch.JsonDiff.diff(before.content, merged), "merge patch");
  }

  void predictPut(Op op, State before, Lock lock, String type) {
    Request r = op.request;
    if (!JSON.equals(ct(type))) return;
    Parsed p = parse(r.body);
    if (p.json() == null) {
      op.expect(p.status(), p.slug(), "unreadable body");
      return;
    }
    String none = r.header("If-None-Match");
    String im = r.header("If-Match");
    if (garbage(im)) {
      op.expect(400, "invalid-request", "If-Match garbage");
      return;
    }
    if (none != null && (!none.trim().equals("*") || im != null)) {
      op.expect(400, "invalid-request", "If-None-Match not * alone");
      return;
    }
    if (!access(op, Role.EDITOR)) return;
    if (none == null && im == null) {
      op.expect(428, "precondition-required", "no If-Match");
      return;
    }
    JsonNode doc = p.json();
    if (!doc.isObject()) {
      op.expect(422, "not-an-object", "not an object");
      return;
    }
    if (Json.depth(doc, limits.maxDepth()) > limits.maxDepth()) {
      op.expect(422, "result-too-deep", "deeper than the limit");
      return;
    }
    if (Json.compactSize(doc, limits.maxDocumentBytes()) > limits.maxDocumentBytes()) {
      op.expect(422, "result-too-large", "larger than the limit");
      return;
    }
    boolean minimal = "return=minimal".equals(r.header("Prefer"));
    if (none != null) {
      if (before.exists && !before.deleted) {
        op.expect(409, "already-exists", "exists");
      } else if (lock != null) {
        op.expect(423, "locked", "locked");
      } else {
        op.expect(201, null, "create");
        op.expectContent = Json.compact(doc);
        op.expectUnchanged = false;
      }
      return;
    }
    boolean rebase = r.targetText().endsWith("?rebase=true");
    if (!isCurrent(im, before)
        && !rebase
        && op.idemKey == null
        && before.exists
        && !before.deleted) {
      op.expect(412, "version-conflict", "stale If-Match " + im);
      return;
    }
    if (!before.exists) {
      op.expect(404, "not-found", "no such config");
      return;
    }
    if (before.deleted) {
      op.expect(410, "deleted", "tombstone");
      return;
    }
    if (lock != null) {
      op.expect(423, "locked", "locked");
      return;
    }
    if (!isCurrent(im, before)) {
      if (!rebase || tagged(im) > before.version)
        op.expect(412, "version-conflict", "stale If-Match " + im);
      return;
    }
    boolean forced = im.trim().equals("*");
    boolean same = sameJson(doc, before.content);
    if (!forced && !same) {
      // a save is stored as the diff applied to the current content, within the budget
      Budget budget = new Budget(limits.maxDepth(), limits.maxDocumentBytes(), limits.maxWork());
      try {
        JsonPatch.apply(
            before.content, dev.cfgctl.patch.JsonDiff.diff(before.content, doc), budget);
      } catch (LimitExceededException e) {
        op.expect(422, slug(e), "the diff is beyond the budget: " + e.getMessage());
        return;
      }
    }
    op.expect(minimal ? 204 : 200, null, "replace");
    op.expectContent = Json.compact(doc);
    op.expectUnordered = true;
    op.expectUnchanged = !forced && same;
  }

  /** Equal as JSON, numbers by their text, members in any order. */
  static boolean sameJson(JsonNode a, JsonNode b) {
    if (a.isObject() && b.isObject()) {
      if (a.size() != b.size()) return false;
      for (var it = a.fields(); it.hasNext(); ) {
        var e = it.next();
        JsonNode o = b.get(e.getKey());
        if (o == null || !sameJson(e.getValue(), o)) return false;
      }
      return true;
    }
    if (a.isArray() && b.isArray()) {
      if (a.size() != b.size()) return false;
      for (int i = 0; i < a.size(); i++) if (!sameJson(a.get(i), b.get(i))) return false;
      return true;
    }
    return a.getNodeType() == b.getNodeType() && Json.compact(a).equals(Json.compact(b));
  }

  void predictDelete(Op op, State before, Lock lock) {
    Request r = op.request;
    String im = r.header("If-Match");
    if (garbage(im)) {
      op.expect(400, "invalid-request", "If-Match garbage");
      return;
    }
    if (im == null) {
      op.expect(428, "precondition-required", "no If-Match");
      return;
    }
    if (!access(op, Role.EDITOR)) return;
    if (!before.exists) {
      op.expect(404, "not-found", "no such config");
    } else if (before.deleted) {
      op.expect(410, "deleted", "tombstone");
    } else if (lock != null) {
      op.expect(423, "locked", "locked");
    } else if (!isCurrent(im, before)) {
      op.expect(412, "version-conflict", "stale If-Match");
    } else {
      op.expect(204, null, "delete");
      op.expectUnchanged = false;
    }
  }

  void predictRollback(Op op, State before, Lock lock, String type) {
    Request r = op.request;
    if (r.body != null && r.body.length > server.maxBodyBytes()) {
      op.expect(413, "too-large", "body over the limit");
      return;
    }
    if (!JSON.equals(ct(type))) return;
    Parsed p = parse(r.body);
    if (p.json() == null) {
      op.expect(p.status(), p.slug(), "unreadable body");
      return;
    }
    if (!p.json().isObject()) {
      op.expect(400, "invalid-request", "not an object");
      return;
    }
    JsonNode to = p.json().get("toVersion");
    if (to == null || to.isNull() || !to.canConvertToExactIntegral() || !to.canConvertToLong()) {
      op.expect(400, "invalid-request", "toVersion " + to);
      return;
    }
    String im = r.header("If-Match");
    if (garbage(im)) {
      op.expect(400, "invalid-request", "If-Match garbage");
      return;
    }
    if (im == null) {
      op.expect(428, "precondition-required", "no If-Match");
      return;
    }
    if (!access(op, Role.EDITOR)) return;
    long v = to.asLong();
    if (!before.exists) {
      op.expect(404, "not-found", "no such config");
      return;
    }
    if (before.deleted) {
      op.expect(410, "deleted", "tombstone");
      return;
    }
    if (lock != null) {
      op.expect(423, "locked", "locked");
      return;
    }
    if (!isCurrent(im, before)) {
      op.expect(412, "version-conflict", "stale If-Match");
      return;
    }
    if (v < 1 || v > before.version) {
      op.expect(404, "not-found", "no version " + v);
      return;
    }
    String target = versions.getOrDefault(op.ref, Map.of()).get(v);
    if (target == null || target.startsWith("#sha256:") || v < before.version - setup.retention()) {
      return; // a tombstone, pruned, or only its hash kept
    }
    Budget budget = new Budget(limits.maxDepth(), limits.maxDocumentBytes(), limits.maxWork());
    try {
      JsonPatch.Applied a =
          JsonPatch.apply(
              before.content,
              dev.cfgctl.patch.JsonDiff.diff(before.content, Json.parse(target)),
              budget);
      if (Json.compactSize(a.document(), limits.maxDocumentBytes()) > limits.maxDocumentBytes()) {
        op.expect(422, "result-too-large", "rollback larger than the limit");
        return;
      }
    } catch (LimitExceededException e) {
      op.expect(422, slug(e), e.getMessage());
      return;
    }
    op.expect(200, null, "rollback to " + v);
    op.expectContent = target;
    op.expectUnordered = true;
    op.expectUnchanged = false;
  }

  void predictAcquire(Op op, Lock lock, String type) {
    Request r = op.request;
    JsonNode body = Json.NODES.objectNode();
    if (r.body != null && r.body.length > 0) {
      if (r.body.length > server.maxBodyBytes()) {
        op.expect(413, "too-large", "body over the limit");
        return;
      }
      if (!JSON.equals(ct(type))) {
        op.expect(415, "unsupported-media-type", "not JSON");
        return;
      }
      Parsed p = parse(r.body);
      if (p.json() == null) {
        op.expect(p.status(), p.slug(), "unreadable body");
        return;
      }
      body = p.json();
    }
    if (!body.isObject()) {
      op.expect(400, "invalid-request", "not an object");
      return;
    }
    JsonNode ttl = body.get("ttlSeconds");
    JsonNode takeOver = body.get("takeOver");
    JsonNode reason = body.get("reason");
    if (ttl != null && !ttl.isNull() && !(ttl.canConvertToExactIntegral() && ttl.canConvertToLong())
        || takeOver != null && !takeOver.isBoolean() && !takeOver.isNull()
        || !text(body.get("client"), 200)
        || !text(body.get("note"), 500)
        || !text(reason, 500)) {
      op.expect(400, "invalid-request", "bad member");
      return;
    }
    if (!access(op, Role.EDITOR)) return;
    boolean take = takeOver != null && takeOver.asBoolean();
    if (take && (reason == null || reason.isNull() || reason.textValue().isBlank())) {
      op.expect(400, "invalid-request", "take-over without a reason");
      return;
    }
    long t = ttl == null || ttl.isNull() ? 300 : ttl.asLong();
    if (t < 1 || t > 3600) {
      op.expect(400, "invalid-request", "ttl " + t);
      return;
    }
    if (lock != null && !take) {
      op.expect(409, "lock-held", "held by " + lock.holder().id());
      return;
    }
    op.expect(201, null, "acquire");
  }

  /**
   * A text member the server takes: a string within its length, without NUL (no database keeps it).
   */
  static boolean text(JsonNode v, int max) {
    return v == null
        || v.isNull()
        || v.isTextual() && v.textValue().length() <= max && v.textValue().indexOf('\0') < 0;
  }

  void predictLockId(Op op, Lock lock) {
    Request r = op.request;
    String target = r.targetText();
    String id = target.substring(target.lastIndexOf('/') + 1);
    if (!id.matches("[A-Za-z0-9_-]+")) return;
    if (op.label.equals("lock-heartbeat") && r.body != null && r.body.length > 0) {
      if (r.body.length > server.maxBodyBytes()) {
        op.expect(413, "too-large", "body over the limit");
        return;
      }
      if (!JSON.equals(ct(r.header("Content-Type")))) {
        op.expect(415, "unsupported-media-type", "not JSON");
        return;
      }
      Parsed p = parse(r.body);
      if (p.json() == null) {
        op.expect(p.status(), p.slug(), "unreadable");
        return;
      }
      if (!p.json().isObject()) {
        op.expect(400, "invalid-request", "not an object");
        return;
      }
      JsonNode ttl = p.json().get("ttlSeconds");
      if (ttl != null
          && !ttl.isNull()
          && !(ttl.canConvertToExactIntegral() && ttl.canConvertToLong())) {
        op.expect(400, "invalid-request", "ttl not a number");
        return;
      }
      if (ttl != null && (ttl.asLong() < 1 || ttl.asLong() > 3600)) return; // checked after the id
    }
    if (!access(op, Role.EDITOR)) return;
    LockInfo known = locks.get(id);
    if (known == null) {
      if (id.startsWith("lk_nope")) op.expect(410, "lock-lost", "unknown id");
      return;
    }
    if (!known.ref().equals(op.ref)) {
      op.expect(410, "lock-lost", "a lock of another config");
      return;
    }
    if (!known.user().equals(op.actor.user())) {
      op.expect(423, "locked", "someone else's lock id");
      return;
    }
    boolean live = lock != null && id.equals(liveIds.get(op.ref));
    if (live) op.expect(op.label.equals("lock-heartbeat") ? 200 : 204, null, "own live lock");
    else op.expect(410, "lock-lost", "own lock, no longer live");
  }

  /** The id of the lock each config's latest successful acquire returned. */
  Map<ConfigRef, String> liveIds = new ConcurrentHashMap<>();

  void predictForce(Op op, Lock lock) {
    String q = op.request.targetText();
    if (!q.contains("force=true")) {
      op.expect(400, "invalid-request", "no force=true");
      return;
    }
    if (!access(op, Role.ADMIN)) return;
    Matcher m = Pattern.compile("reason=([^&]*)").matcher(q);
    String reason =
        m.find() ? java.net.URLDecoder.decode(m.group(1), StandardCharsets.UTF_8) : null;
    if (reason == null || reason.isBlank()) {
      op.expect(400, "invalid-request", "no reason");
      return;
    }
    op.expect(lock == null ? 404 : 204, lock == null ? "no-lock" : null, "force");
  }

  Remembered remembered(Actor a, String rawKey) {
    String key = rawKey.trim();
    if (key.length() >= 2 && key.startsWith("\"") && key.endsWith("\""))
      key = key.substring(1, key.length() - 1);
    Remembered m = keys.getOrDefault(a.principal(), Map.of()).get(key);
    if (m == null) return null;
    if (!m.at().plus(Duration.ofHours(24)).isAfter(clock.instant())) return null; // forgotten
    return m;
  }

  static String normalKey(String rawKey) {
    String key = rawKey.trim();
    if (key.length() >= 2 && key.startsWith("\"") && key.endsWith("\""))
      key = key.substring(1, key.length() - 1);
    return key;
  }

  /** What identifies a request for its Idempotency-Key, as the server hashes it (roughly). */
  static String requestId(Request r) {
    return r.method
        + " "
        + r.targetText()
        + " "
        + ct(r.header("Content-Type"))
        + " "
        + r.header("If-Match")
        + " "
        + r.header("If-None-Match")
        + " "
        + r.header("Lock-Id")
        + " "
        + r.header("Change-Message")
        + " "
        + (r.body == null ? "" : Base64.getEncoder().encodeToString(sha(r.body)));
  }

  static byte[] sha(byte[] b) {
    try {
      return java.security.MessageDigest.getInstance("SHA-256").digest(b);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  // ================================================================ checks

  static boolean isProblem(Response r) {
    String ct = r.header("Content-Type");
    return ct != null && ct.startsWith("application/problem+json");
  }

  /** What holds for every answer, whatever the request. */
  void checkAnswer(Op op, Response r) {
    int st = r.status();
    String text = r.text();
    if (st >= 500) {
      boolean unavailable = st == 503 && isProblem(r) && text.contains("/problems/unavailable");
      if (!(unavailable && setup.allow503()))
        fail("5xx " + st + kindOf5xx(text), op, r, "a " + st + " answer");
    }
    String route = route(op.request.method, op.request.targetText());
    if (route != null) {
      Set<String> listed = DOCUMENTED.get(route);
      String code = String.valueOf(st);
      boolean httpLayer = st == 400 && text.contains("the server cannot read this HTTP request");
      if (listed != null
          && !listed.contains(code)
          && !listed.contains(code.charAt(0) + "XX")
          && !httpLayer) {
        fail(
            "undocumented-status " + route + " " + code,
            op,
            r,
            "status " + st + " is not listed for " + route + " in openapi.yaml");
      }
    }
    boolean head = op.request.method.equals("HEAD");
    if (st >= 400 && !head) {
      if (!isProblem(r)) {
        fail("not-problem-json", op, r, "an error that is not application/problem+json");
        return;
      }
      JsonNode p;
      try {
        p = Json.parse(text);
      } catch (RuntimeException e) {
        fail("problem-unparsable", op, r, "problem body is not JSON");
        return;
      }
      String type = p.path("type").asText();
      Problem problem = type.startsWith("/problems/") ? Problem.ofSlug(type.substring(10)) : null;
      if (problem == null) {
        fail("unknown-slug", op, r, "unknown problem type " + type);
      } else {
        if (ProblemStatus.of(problem) != st || p.path("status").asInt() != st) {
          fail(
              "slug-status " + problem.slug(),
              op,
              r,
              "slug " + problem.slug() + " with status " + st);
        }
        Integer documented = DOCUMENTED_SLUGS.get(problem.slug());
        if (documented != null && documented != st) {
          fail(
              "slug-status-doc " + problem.slug(),
              op,
              r,
              "openapi.yaml gives " + problem.slug() + " status " + documented);
        }
        checkMembers(op, r, problem, p);
      }
      if (p.path("title").asText().isEmpty() || p.path("detail").asText().isEmpty()) {
        fail("problem-fields", op, r, "a problem without title or detail");
      }
      for (String bad : INTERNALS) {
        if (text.contains(bad)) fail("internals", op, r, "the answer shows internals: " + bad);
      }
    }
    // nobody sees a lock id that is not theirs, nor a secret that is not theirs
    if (text.contains("lk_")) {
      Matcher m = LOCK_ID.matcher(text);
      while (m.find()) {
        LockInfo l = locks.get(m.group());
        boolean own = op.actor != null && l != null && l.user().equals(op.actor.user());
        boolean fresh = l == null && op.label.startsWith("lock-acquire") && st == 201;
        boolean echoed =
            new String(op.request.bytes(), StandardCharsets.ISO_8859_1).contains(m.group());
        if (!own && !fresh && !echoed)
          fail("lock-id-leak", op, r, "a lock id not the caller's: " + m.group());
      }
    }
    if (!op.label.equals("token-create") || st != 201) {
      for (String secret : snapshot(secrets)) {
        if (secret.length() > 20 && text.contains(secret))
          fail("secret-leak", op, r, "a token secret in an answer");
      }
    }
    // another tenant's things do not exist: nothing but "not found" or a refusal of the request
    // itself
    if (op.actor != null
        && op.ref != null
        && !op.actor.sees(op.ref.tenant())
        && !Set.of(400, 401, 404, 413, 415, 428, 429).contains(st)) {
      fail(
          "tenant-isolation " + op.label + " " + st,
          op,
          r,
          "another tenant's config answered " + st);
    }
    if (st == 429 && r.header("Retry-After") == null)
      fail("429-no-retry-after", op, r, "429 without Retry-After");
    if (st == 401 && r.header("WWW-Authenticate") == null)
      fail("401-no-challenge", op, r, "401 without WWW-Authenticate");
    if (op.expectStatus != 0) {
      predicted.incrementAndGet();
      boolean httpLayer = st == 400 && text.contains("the server cannot read this HTTP request");
      boolean statusOk =
          st == op.expectStatus
              || st == 429 && (setup.rateLimited() || op.expectStatus == 401)
              || st >= 500 // reported above
              || httpLayer; // refused before anything else
      if (st == 429 || httpLayer) {
        // the expected slug is not the point
      } else if (!statusOk) {
        fail(
            "prediction " + op.label + " " + op.expectStatus + "->" + st,
            op,
            r,
            "expected "
                + op.expectStatus
                + (op.expectSlug == null ? "" : " " + op.expectSlug)
                + " ("
                + op.why
                + ")");
      } else if (op.expectSlug != null
          && st >= 400
          && !text.contains("/problems/" + op.expectSlug + "\"")) {
        fail(
            "prediction " + op.label + " " + op.expectSlug,
            op,
            r,
            "expected " + op.expectSlug + " (" + op.why + ")");
      }
    }
  }

  /** Whether the version an ETag names still has its revision. */
  boolean retained(ConfigRef ref, String etag) {
    try {
      s.store.revision(ADMIN, ref, Long.parseLong(etag.replace("\"", "")));
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** A short name for what a 5xx says, so that known ones can be told from new ones. */
  static String kindOf5xx(String text) {
    if (text.contains("invalid byte sequence for encoding") && text.contains("0x00"))
      return " postgres-nul";
    if (text.contains("duplicate key value")) return " postgres-duplicate-key";
    if (text.contains("the database failed")) return " database-failed";
    if (text.contains("abandoned")) return " time-budget";
    if (text.contains("internal error")) return " internal";
    return "";
  }

  static final Pattern LOCK_ID = Pattern.compile("lk_[A-Za-z0-9_-]{10,}");

  /** The members API.md promises for some problems. */
  void checkMembers(Op op, Response r, Problem problem, JsonNode p) {
    String[] need =
        switch (problem) {
          case INVALID_JSON -> new String[] {"line", "column"};
          case INVALID_PATCH -> new String[] {"opIndex", "reason"};
          case INVALID_NAME -> new String[] {"name"};
          case TOO_DEEP,
              TOO_MANY_OPS,
              TOO_LARGE,
              RESULT_TOO_DEEP,
              RESULT_TOO_LARGE,
              TOO_MUCH_WORK ->
              new String[] {"limit"};
          case FORBIDDEN -> new String[] {"requiredRole"};
          case DELETED -> new String[] {"version"};
          case ALREADY_EXISTS -> new String[] {"currentVersion"};
          case VERSION_CONFLICT -> new String[] {"expectedVersion", "currentVersion", "since"};
          case REBASE_CONFLICT, UNDO_CONFLICT -> new String[] {"conflicts"};
          case PATCH_FAILED -> new String[] {"opIndex", "op", "path", "reason"};
          case LOCK_HELD, LOCKED -> new String[] {"lock"};
          case LOCK_LOST -> new String[] {"reason"};
          case RATE_LIMITED -> new String[] {"retryAfterSeconds"};
          default -> new String[0];
        };
    for (String m : need) {
      if (!p.has(m))
        fail("member " + problem.slug() + "." + m, op, r, problem.slug() + " without " + m);
    }
    if ((problem == Problem.LOCK_HELD || problem == Problem.LOCKED) && p.path("lock").has("id")) {
      fail("lock-id-in-problem", op, r, "a lock in a problem shows its id");
    }
  }

  /** In the sequential phase: what the answer says happened is what happened, and nothing else. */
  void checkEffect(Op op, Response r, State before, State after, Lock lockBefore) {
    int st = r.status();
    boolean contentWrite =
        op.label.startsWith("put")
            || op.label.startsWith("json-patch")
            || op.label.startsWith("merge-patch")
            || op.label.startsWith("delete")
            || op.label.startsWith("undo")
            || op.label.startsWith("redo")
            || op.label.startsWith("rollback");
    boolean changed =
        before.exists != after.exists
            || before.deleted != after.deleted
            || before.version != after.version
            || !java.util.Objects.equals(before.compact, after.compact);
    boolean replayed = "true".equals(r.header("Idempotent-Replayed")) || op.replayOf != null;
    if (st >= 300 || !contentWrite) {
      if (changed)
        fail(
            "refused-but-changed",
            op,
            r,
            "answered "
                + st
                + " but the config went from "
                + before.shown()
                + " to "
                + after.shown());
    } else if (replayed) {
      if (changed)
        fail(
            "replay-changed",
            op,
            r,
            "a replayed write changed the config: " + before.shown() + " -> " + after.shown());
      if (op.replayOf != null) {
        Remembered first = op.replayOf;
        // a replay of a version no longer retained has no content to send again: 204, said so
        boolean noLongerThere =
            st == 204
                && first.status() == 200
                && "return=minimal".equals(r.header("Preference-Applied"))
                && !retained(op.ref, r.header("ETag"));
        if (first.status() != st && !noLongerThere) {
          fail(
              "replay-status " + op.label + " " + first.status() + "->" + st,
              op,
              r,
              "a retry answered " + st + ", the first " + first.status());
        } else if (!java.util.Objects.equals(first.etag(), r.header("ETag"))) {
          fail(
              "replay-etag",
              op,
              r,
              "a retry answered ETag " + r.header("ETag") + ", the first " + first.etag());
        }
      }
    } else {
      checkedWrites.incrementAndGet();
      checkWrite(op, r, before, after);
    }
    // a request under a key already used for another request is not a write
    if (op.idemKey != null && op.replayOf == null && op.actor != null && st < 300 && contentWrite) {
      Remembered m = remembered(op.actor, op.idemKey);
      if (m != null
          && !m.requestId().equals(requestId(op.request))
          && r.header("Idempotent-Replayed") == null) {
        fail(
            "key-reused-accepted",
            op,
            r,
            "a key used before for " + m.what() + " was accepted for another request");
      }
    }
    if (op.expectContent != null
        && st < 300
        && !replayed
        && after.compact != null
        && !(op.expectUnordered
            ? sameJson(Json.parse(op.expectContent), after.content)
            : op.expectContent.equals(after.compact))) {
      fail(
          "content " + op.label,
          op,
          r,
          "expected content "
              + RawHttp.shorten(op.expectContent, 300)
              + " but the store has "
              + RawHttp.shorten(after.compact, 300));
    }
    if (after.compact != null) checkLimits("stored", op, r, after.content, after.compact);
  }

  void checkWrite(Op op, Response r, State before, State after) {
    int st = r.status();
    long made = 1;
    if (op.label.startsWith("undo") || op.label.startsWith("redo")) {
      try {
        made = Json.parse(r.text()).size();
      } catch (RuntimeException e) {
        fail("revert-body", op, r, "an undo/redo answer that is not JSON");
        return;
      }
    }
    boolean unchanged = "true".equals(r.header("Config-Unchanged"));
    if (op.expectUnchanged != null && op.expectStatus == st && op.expectUnchanged != unchanged) {
      fail(
          "config-unchanged " + op.label,
          op,
          r,
          "Config-Unchanged " + unchanged + ", expected " + op.expectUnchanged);
    }
    long want = unchanged ? before.version : before.version + made;
    if (after.version != want) {
      fail(
          "version-step " + op.label,
          op,
          r,
          "the version went from "
              + before.version
              + " to "
              + after.version
              + ", the answer says "
              + (unchanged ? "unchanged" : made + " made"));
    }
    String etag = r.header("ETag");
    if (!("\"" + after.version + "\"").equals(etag)) {
      fail(
          "etag " + op.label,
          op,
          r,
          "ETag " + etag + " but the config is at version " + after.version);
    }
    if (!String.valueOf(after.version).equals(r.header("Config-Version"))) {
      fail(
          "config-version " + op.label,
          op,
          r,
          "Config-Version "
              + r.header("Config-Version")
              + " but the config is at version "
              + after.version);
    }
    if (op.label.startsWith("delete")) {
      if (!after.deleted)
        fail("delete-not-deleted", op, r, "204 but not deleted: " + after.shown());
    } else if ((op.label.startsWith("put") || op.label.contains("patch")) && r.body().length > 0) {
      if (after.compact == null || !r.text().equals(after.compact)) {
        fail(
            "body-not-stored " + op.label,
            op,
            r,
            "the answer's body is not the stored content: " + after.shown());
      }
    } else if (op.label.startsWith("rollback")) {
      long v = Json.parse(r.text()).path("version").asLong();
      if (v != after.version)
        fail("rollback-version", op, r, "rollback revision " + v + " vs " + after.version);
    }
  }

  /** A document within the store's limits: depth, compact size, an object. */
  void checkLimits(String what, Op op, Response r, JsonNode content, String compact) {
    if (content != null && !content.isObject())
      fail("not-an-object-stored", op, r, what + " is not an object");
    long bytes = compact.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > limits.maxDocumentBytes()) {
      fail(
          "stored-too-large",
          op,
          r,
          what + " is " + bytes + " bytes, over " + limits.maxDocumentBytes());
    }
    try {
      int depth = depthOf(compact);
      if (depth > limits.maxDepth())
        fail("stored-too-deep", op, r, what + " is " + depth + " deep");
    } catch (Exception e) {
      fail("stored-unparsable", op, r, what + " cannot be parsed: " + e);
    }
  }

  static int depthOf(String json) throws Exception {
    try (var p = LENIENT.getFactory().createParser(json)) {
      int depth = 0;
      int max = 0;
      for (var t = p.nextToken(); t != null; t = p.nextToken()) {
        if (t.isStructStart()) max = Math.max(max, ++depth);
        else if (t.isStructEnd()) depth--;
      }
      return max;
    }
  }

  /** Learns lock ids, token ids and idempotency results from an answer. */
  void learn(Op op, Response r) {
    int st = r.status();
    try {
      if (op.label.startsWith("lock-acquire") && st == 201 && op.actor != null) {
        String id = Json.parse(r.text()).path("id").asText();
        if (!locks.containsKey(id)) {
          locks.put(id, new LockInfo(id, op.actor.user(), op.ref));
          lockIds.add(id);
          if (lockIds.size() > 60) lockIds.remove(0);
        }
        if (op.replayOf == null && r.header("Idempotent-Replayed") == null) liveIds.put(op.ref, id);
      }
      if (op.label.equals("token-create") && st == 201) {
        JsonNode t = Json.parse(r.text());
        secrets.add(t.path("token").asText());
        ownTokenIds.add(t.path("id").asText());
      }
    } catch (RuntimeException e) {
      fail("unparsable-2xx", op, r, "a 2xx body that is not JSON");
    }
    // what a write answered is the content of the version it made
    if ((st == 200 || st == 201)
        && op.ref != null
        && r.body().length > 0
        && r.header("ETag") != null
        && r.header("Idempotent-Replayed") == null
        && (op.request.method.equals("PUT") || op.request.method.equals("PATCH"))
        && !op.label.startsWith("lock")) {
      try {
        long v = Long.parseLong(r.header("ETag").replace("\"", ""));
        String before =
            versions
                .computeIfAbsent(op.ref, k -> new ConcurrentHashMap<>())
                .putIfAbsent(v, seenForm(r.text()));
        if (before != null && !sameAsSeen(before, r.text())) {
          fail(
              "version-content-differs",
              op,
              r,
              op.ref
                  + "@"
                  + v
                  + " was answered as "
                  + RawHttp.shorten(r.text(), 200)
                  + " but seen before as "
                  + RawHttp.shorten(before, 200));
        }
      } catch (NumberFormatException e) {
        fail("etag-format", op, r, "ETag " + r.header("ETag"));
      }
    }
    if (op.idemKey != null && op.actor != null) {
      if (op.replayOf == null
          && (op.request.body == null || op.request.body.length <= 256 * 1024)) {
        keyed.add(new Sent(op.actor, op.request, op.label, op.ref)); // (large ones are not kept)
      }
      if (keyed.size() > 200) keyed.remove(0);
      if (st >= 200
          && st < 300
          && op.ref != null
          && op.replayOf == null
          && r.header("Idempotent-Replayed") == null) {
        String key = normalKey(op.idemKey);
        keys.computeIfAbsent(op.actor.principal(), k -> new ConcurrentHashMap<>())
            .putIfAbsent(key, Remembered.of(op.request, r, clock.instant(), op.ref));
        Remembered m = keys.get(op.actor.principal()).get(key);
        if (!m.at().plus(Duration.ofHours(24)).isAfter(clock.instant())) {
          keys.get(op.actor.principal())
              .put(key, Remembered.of(op.request, r, clock.instant(), op.ref));
        }
      }
    }
  }

  // ================================================================ failures

  static final int EXAMPLES_PER_SIGNATURE = 3;

  void fail(String signature, Op op, Response r, String what) {
    StringBuilder b = new StringBuilder();
    b.append("[")
        .append(setup.label())
        .append(" seed ")
        .append(seed)
        .append("] ")
        .append(what)
        .append('\n');
    b.append("  request (")
        .append(op == null ? "?" : op.label)
        .append(op == null || op.actor == null ? ", bad token" : ", as " + op.actor.key())
        .append("): ")
        .append(op == null ? "-" : op.request.curl(s.base))
        .append('\n');
    if (r != null) b.append("  answer: ").append(RawHttp.shorten(r.toString(), 1500)).append('\n');
    if (op != null && op.expectStatus != 0)
      b.append("  predicted: ").append(op.expectStatus).append(' ').append(op.why).append('\n');
    synchronized (recent) {
      if (!recent.isEmpty()) {
        b.append("  requests before it:\n");
        for (String line : recent)
          b.append("    ").append(line.replace("\n", "\n    ")).append('\n');
      }
    }
    List<Finding> list =
        findings.computeIfAbsent(signature, k -> Collections.synchronizedList(new ArrayList<>()));
    count(known, signature);
    if (list.size() < EXAMPLES_PER_SIGNATURE)
      list.add(new Finding(signature, printable(b.toString())));
  }

  // ================================================================ the concurrent phase

  /**
   * Several clients at once, each with its own generator (seeded from this one), plus readers of
   * the oldest retained versions; every answer gets {@link #checkAnswer}, nothing is predicted.
   */
  void runConcurrent(int threads, int perThread, long deadlineNanos) throws InterruptedException {
    List<Thread> all = new ArrayList<>();
    java.util.concurrent.atomic.AtomicBoolean stop =
        new java.util.concurrent.atomic.AtomicBoolean();
    for (int t = 0; t < threads; t++) {
      ApiFuzzer child = child(seed * 31 + t);
      Thread th =
          new Thread(
              () -> {
                try (RawHttp http = new RawHttp("127.0.0.1", s.server.port(), 60_000)) {
                  for (int i = 0; i < perThread && System.nanoTime() - deadlineNanos < 0; i++) {
                    Op op = child.generate();
                    Response r;
                    try {
                      r = http.send(op.request);
                    } catch (RuntimeException e) {
                      child.fail("no-answer", op, null, "no answer: " + e);
                      continue;
                    }
                    child.note(op, r);
                    child.checkAnswer(op, r);
                    child.learn(op, r);
                  }
                }
              },
              "fuzz-client-" + t);
      all.add(th);
    }
    // readers at the edge of the retained history, racing the pruning of the writers
    Thread edge =
        new Thread(
            () -> {
              try (RawHttp http = new RawHttp("127.0.0.1", s.server.port(), 60_000)) {
                Random r = new Random(seed);
                while (!stop.get()) {
                  ConfigRef ref = refs.get(r.nextInt(refs.size()));
                  State st = state(ref);
                  if (!st.exists) continue;
                  long v =
                      Math.max(1, st.version - setup.retention() - r.nextInt(3) + r.nextInt(3));
                  Request q =
                      new Request("GET", path(ref) + "?version=" + v)
                          .header("Authorization", "Bearer " + observer.token());
                  Response resp = http.send(q);
                  Op op = new Op("edge-read", observer, ref, q);
                  note(op, resp);
                  checkAnswer(op, resp);
                  String seen = versions.getOrDefault(ref, Map.of()).get(v);
                  if (resp.status() == 200 && seen != null && !sameAsSeen(seen, resp.text())) {
                    fail(
                        "edge-read-wrong-content",
                        op,
                        resp,
                        ref
                            + "@"
                            + v
                            + " reads as "
                            + RawHttp.shorten(resp.text(), 200)
                            + " but was "
                            + RawHttp.shorten(seen, 200));
                  }
                }
              }
            },
            "fuzz-edge-reader");
    // a writer of one config, fast, so that its history is pruned under the readers
    Thread hot =
        new Thread(
            () -> {
              Actor alice = byKey.get("alice@acme");
              ConfigRef ref = new ConfigRef("acme", "hot");
              try (RawHttp http = new RawHttp("127.0.0.1", s.server.port(), 60_000)) {
                for (long i = 0; !stop.get(); i++) {
                  Request q =
                      new Request("PATCH", path(ref))
                          .header("Authorization", "Bearer " + alice.token())
                          .header("Content-Type", MERGE_PATCH)
                          .body(("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8));
                  Response resp = http.send(q);
                  Op op = new Op("hot-write", alice, ref, q);
                  if (resp.status() == 404 || resp.status() == 410) {
                    q =
                        new Request("PUT", path(ref))
                            .header("Authorization", "Bearer " + alice.token())
                            .header("Content-Type", JSON)
                            .header("If-None-Match", "*")
                            .body(hotDocument());
                    resp = http.send(q);
                    op = new Op("hot-create", alice, ref, q);
                  } else if (resp.status() == 423) { // someone's lock: support clears it
                    note(op, resp);
                    q =
                        new Request("DELETE", path(ref) + "/lock?force=true&reason=hot")
                            .header("Authorization", "Bearer " + s.adminToken);
                    resp = http.send(q);
                    op = new Op("hot-force", byKey.get("admin@*"), ref, q);
                  }
                  note(op, resp);
                  checkAnswer(op, resp);
                  learn(op, resp);
                }
              }
            },
            "fuzz-hot-writer");
    all.forEach(Thread::start);
    edge.start();
    hot.start();
    for (int i = 0; i < 6 && System.nanoTime() - deadlineNanos < 0; i++)
      keyStorm(threads + 4, i % 3 == 0);
    for (Thread th : all) th.join();
    stop.set(true);
    edge.join();
    hot.join();
  }

  /** The hot config: a padded document, so that rebuilding one of its versions takes a while. */
  byte[] hotDocument() {
    int pad = (int) Math.min(200_000, limits.maxDocumentBytes() / 3);
    return ("{\"n\":-1,\"pad\":\"" + "p".repeat(pad) + "\"}").getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Several clients send the same write under one Idempotency-Key at the same moment, to one config
   * or each to another: one write is made, the others are told it was made (a replay) or that the
   * key is another request's (422), and nothing fails.
   */
  void keyStorm(int clients, boolean sameConfig) throws InterruptedException {
    Actor alice = byKey.get("alice@acme");
    String key = "storm-" + seed + "-" + stormCount.incrementAndGet();
    List<ConfigRef> targets = new ArrayList<>();
    for (ConfigRef ref : refs) if (ref.tenant().equals("acme")) targets.add(ref);
    Map<ConfigRef, State> before = new HashMap<>();
    for (ConfigRef ref : targets) before.put(ref, state(ref));
    java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
    List<Response> answers = Collections.synchronizedList(new ArrayList<>());
    List<Op> ops = Collections.synchronizedList(new ArrayList<>());
    List<Thread> ts = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      ConfigRef ref = sameConfig ? targets.get(0) : targets.get(c % targets.size());
      Request q =
          new Request("PATCH", path(ref))
              .header("Authorization", "Bearer " + alice.token())
              .header("Content-Type", JSON_PATCH)
              .header("Idempotency-Key", key)
              .body(
                  ("[{\"op\":\"add\",\"path\":\"/storm\",\"value\":\"" + key + "\"}]")
                      .getBytes(StandardCharsets.UTF_8));
      Op op = new Op("key-storm", alice, ref, q);
      ts.add(
          new Thread(
              () -> {
                try (RawHttp http = new RawHttp("127.0.0.1", s.server.port(), 60_000)) {
                  http.send(new Request("GET", "/v1/health")); // connected before the start
                  go.await();
                  Response resp = http.send(q);
                  answers.add(resp);
                  ops.add(op);
                  note(op, resp);
                  checkAnswer(op, resp);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }));
    }
    ts.forEach(Thread::start);
    Thread.sleep(50);
    go.countDown();
    for (Thread t : ts) t.join();
    long made = 0;
    int fresh = 0;
    for (ConfigRef ref : targets) {
      State b = before.get(ref);
      State a = state(ref);
      if (b.exists && !b.deleted && a.exists && !a.deleted && a.version > b.version) {
        JsonNode storm = a.content.get("storm");
        if (storm != null && storm.asText().equals(key)) made++;
      }
    }
    for (Response r : answers) {
      if (r.status() == 200 && r.header("Idempotent-Replayed") == null) fresh++;
    }
    if (made > 1 || fresh > 1) {
      fail(
          "key-storm " + (sameConfig ? "one config" : "several configs") + " made " + made,
          ops.get(0),
          answers.get(0),
          "one Idempotency-Key sent by "
              + clients
              + " clients at once made "
              + made
              + " writes ("
              + fresh
              + " answered as new): "
              + statusesOf(answers));
    }
  }

  static String statusesOf(List<Response> answers) {
    Map<String, Integer> m = new TreeMap<>();
    for (Response r : answers) {
      String k = r.status() + ("true".equals(r.header("Idempotent-Replayed")) ? " replayed" : "");
      if (r.status() >= 400) {
        try {
          k += " " + Json.parse(r.text()).path("type").asText().replace("/problems/", "");
        } catch (RuntimeException e) {
          k += " ?";
        }
      }
      m.merge(k, 1, Integer::sum);
    }
    return m.toString();
  }

  final AtomicLong stormCount = new AtomicLong();

  /** A generator sharing this one's world and findings, with its own random numbers. */
  ApiFuzzer child(long childSeed) {
    ApiFuzzer c = new ApiFuzzer(setup, childSeed, s, clock);
    c.actors = actors;
    c.byKey = byKey;
    c.badTokens = badTokens;
    c.secrets = secrets;
    c.ownTokenIds = ownTokenIds;
    c.observer = observer;
    c.refs = refs;
    c.locks = locks;
    c.lockIds = lockIds;
    c.versions = versions;
    c.keys = keys;
    c.keyed = keyed;
    c.keyPool = keyPool;
    c.findings = findings;
    c.known = known;
    c.statuses = statuses;
    c.slugs = slugs;
    c.labels = labels;
    c.sent = sent;
    c.predicted = predicted;
    c.checkedWrites = checkedWrites;
    c.recent = recent;
    c.liveIds = liveIds;
    c.tokenStart = tokenStart;
    return c;
  }

  // ================================================================ after the run

  /**
   * Every config, over HTTP: readable now and at every retained version, within the limits, its
   * versions contiguous down to at most the retention, each revision there, and its history
   * replaying to its content, forwards by patches and backwards by inverses. The server is healthy
   * and its log has no internal error and no secret.
   */
  void verifyAll() {
    try (RawHttp http = new RawHttp("127.0.0.1", s.server.port(), 60_000)) {
      Set<ConfigRef> all = new LinkedHashSet<>(refs);
      for (String t : TENANTS) {
        String after = "";
        while (after != null) {
          Response page =
              observe(
                  http,
                  "/v1/tenants/"
                      + t
                      + "/configs?limit=2"
                      + (after.isEmpty() ? "" : "&after=" + after));
          if (page.status() != 200) {
            final_("list", page, "listing " + t);
            break;
          }
          JsonNode j = Json.parse(page.text());
          for (JsonNode item : j.get("items")) {
            ConfigRef ref = new ConfigRef(t, item.get("name").asText());
            all.add(ref);
            Response g = observe(http, path(ref));
            if (g.status() != 200
                || !String.valueOf(item.get("version").asLong())
                    .equals(g.header("Config-Version"))) {
              final_(
                  "list-vs-get",
                  g,
                  ref + " is listed at version " + item.get("version") + " but reads as " + g);
            }
          }
          after = j.get("next").isNull() ? null : j.get("next").asText();
        }
      }
      for (ConfigRef ref : all) verifyConfig(http, ref);
      Response h = http.send(new Request("GET", "/v1/health"));
      if (h.status() != 200) final_("health", h, "the server is not healthy");
    }
    String log = s.log.toString(StandardCharsets.UTF_8);
    if (log.contains("internal error")) {
      int at = log.indexOf("internal error");
      final_(
          "log-internal-error",
          null,
          "the server log has an internal error:\n"
              + log.substring(Math.max(0, at - 200), Math.min(log.length(), at + 3000)));
    }
    for (String secret : snapshot(secrets)) {
      if (log.contains(secret)) final_("log-secret", null, "a token secret is in the server log");
    }
  }

  Response observe(RawHttp http, String path) {
    for (int attempt = 0; ; attempt++) {
      Response r =
          http.send(new Request("GET", path).header("Authorization", "Bearer " + observer.token()));
      if (r.status() != 429 || attempt > 100) return r;
      sleep(250);
    }
  }

  void verifyConfig(RawHttp http, ConfigRef ref) {
    Response cur = observe(http, path(ref));
    if (cur.status() == 404) return;
    if (cur.status() != 200 && cur.status() != 410) {
      final_("unreadable", cur, ref + " is not readable");
      return;
    }
    long current;
    if (cur.status() == 200) {
      current = Long.parseLong(cur.header("Config-Version"));
      if (!("\"" + current + "\"").equals(cur.header("ETag")))
        final_("etag", cur, ref + ": ETag vs Config-Version");
      checkLimits(ref + " now", null, cur, Json.parse(cur.text()), cur.text());
    } else {
      current = Json.parse(cur.text()).path("version").asLong();
    }
    // history, newest first, paged
    List<Long> vs = new ArrayList<>();
    String before = "";
    for (int pages = 0; before != null && pages < 10_000; pages++) {
      Response h =
          observe(
              http,
              path(ref)
                  + "/history?limit="
                  + (pages % 2 == 0 ? 7 : 1000)
                  + (before.isEmpty() ? "" : "&before=" + before));
      if (h.status() != 200) {
        final_("history", h, ref + ": history unreadable");
        return;
      }
      JsonNode j = Json.parse(h.text());
      for (JsonNode it : j.get("items")) vs.add(it.get("version").asLong());
      before = j.get("next").isNull() ? null : j.get("next").asText();
    }
    if (vs.isEmpty() || vs.get(0) != current) {
      final_(
          "history-head",
          cur,
          ref
              + ": history starts at "
              + (vs.isEmpty() ? "nothing" : vs.get(0))
              + ", the config is at "
              + current);
      return;
    }
    for (int i = 1; i < vs.size(); i++) {
      if (vs.get(i) != vs.get(i - 1) - 1) {
        final_(
            "history-gap", cur, ref + ": history goes from " + vs.get(i - 1) + " to " + vs.get(i));
        return;
      }
    }
    long lo = vs.get(vs.size() - 1);
    if (lo > Math.max(1, current - setup.retention())) {
      final_(
          "retention",
          cur,
          ref
              + ": the oldest version kept is "
              + lo
              + ", at "
              + current
              + " with a retention of "
              + setup.retention());
    }
    JsonNode prev = null;
    for (long v = lo; v <= current; v++) {
      Response rev = observe(http, path(ref) + "/revisions/" + v);
      if (rev.status() != 200 || Json.parse(rev.text()).path("version").asLong() != v) {
        final_("revision", rev, ref + ": revision " + v + " is not readable");
        prev = null;
        continue;
      }
      JsonNode revision = Json.parse(rev.text());
      Response at = observe(http, path(ref) + "?version=" + v);
      JsonNode content = null;
      if (at.status() == 200) {
        content = Json.parse(at.text());
        checkLimits(ref + "@" + v, null, at, content, at.text());
        String seen = versions.getOrDefault(ref, Map.of()).get(v);
        if (seen != null && !sameAsSeen(seen, at.text())) {
          final_(
              "version-content",
              at,
              ref
                  + "@"
                  + v
                  + " reads "
                  + RawHttp.shorten(at.text(), 200)
                  + " but was "
                  + RawHttp.shorten(seen, 200)
                  + " when it was made");
        }
      } else if (at.status() != 410) {
        final_("version-unreadable", at, ref + "@" + v + " is not readable");
      }
      if (prev != null && content != null) {
        try {
          JsonNode forward =
              JsonPatch.apply(prev, Patch.fromJson(revision.get("patch"))).document();
          if (!Json.compact(forward).equals(Json.compact(content))) {
            final_(
                "replay-forward",
                at,
                ref
                    + "@"
                    + v
                    + ": the previous version + its patch is "
                    + RawHttp.shorten(Json.compact(forward), 300)
                    + ", not "
                    + RawHttp.shorten(at.text(), 300));
          }
          JsonNode back =
              JsonPatch.apply(content, Patch.fromJson(revision.get("inverse"))).document();
          if (!Json.valueEquals(back, prev)) {
            final_(
                "replay-inverse",
                at,
                ref
                    + "@"
                    + v
                    + ": the inverse does not lead back to "
                    + (v - 1)
                    + ": "
                    + RawHttp.shorten(Json.compact(back), 300));
          }
        } catch (RuntimeException e) {
          final_(
              "replay-fails",
              at,
              ref + "@" + v + ": its patch or inverse does not apply: " + e.getMessage());
        }
      }
      prev = content;
    }
  }

  void final_(String signature, Response r, String what) {
    Op op = null;
    fail("final " + signature, op, r, what);
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ================================================================ openapi.yaml

  @SuppressWarnings("unchecked")
  private static void loadOpenApi() {
    try (InputStream in = ConfigServer.class.getResourceAsStream("/openapi.yaml")) {
      Map<String, Object> doc = new Yaml().load(in);
      Map<String, Object> paths = (Map<String, Object>) doc.get("paths");
      paths.forEach(
          (path, item) ->
              ((Map<String, Object>) item)
                  .forEach(
                      (method, op) -> {
                        if (op instanceof Map<?, ?> m && m.containsKey("responses")) {
                          Set<String> codes = new TreeSet<>();
                          ((Map<Object, Object>) m.get("responses"))
                              .keySet()
                              .forEach(k -> codes.add(String.valueOf(k)));
                          DOCUMENTED.put(method.toUpperCase(Locale.ROOT) + " " + path, codes);
                        }
                      }));
      Map<String, Object> problem =
          (Map<String, Object>)
              ((Map<String, Object>) ((Map<String, Object>) doc.get("components")).get("schemas"))
                  .get("Problem");
      String text = ((String) problem.get("description")).replace('\n', ' ');
      Matcher m =
          Pattern.compile(
                  "((?:[a-z]+-[a-z-]+|[a-z]+-[a-z]+)(?:(?:,| and) [a-z]+-[a-z-]+)*) (\\d{3})")
              .matcher(text);
      while (m.find()) {
        for (String slug : m.group(1).split(",| and ")) {
          if (!slug.isBlank()) DOCUMENTED_SLUGS.put(slug.trim(), Integer.parseInt(m.group(2)));
        }
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The documented operation a request is for ("METHOD /path/{param}"), or null for none. */
  static String route(String method, String target) {
    String path = target.split("\\?", 2)[0];
    String[] p = path.split("/", -1);
    String shape;
    if (path.equals("/v1/health")) shape = "/v1/health";
    else if (path.equals("/v1/tokens")) shape = "/v1/tokens";
    else if (p.length == 4 && p[1].equals("v1") && p[2].equals("tokens") && !p[3].isEmpty())
      shape = "/v1/tokens/{id}";
    else if (p.length >= 5 && p[1].equals("v1") && p[2].equals("tenants") && !p[3].isEmpty()) {
      String rest = "/" + String.join("/", java.util.Arrays.copyOfRange(p, 4, p.length));
      String base = "/v1/tenants/{tenant}";
      if (rest.equals("/configs")) shape = base + "/configs";
      else if (rest.equals("/locks")) shape = base + "/locks";
      else if (p.length >= 6 && p[4].equals("configs") && !p[5].isEmpty()) {
        String tail =
            p.length == 6
                ? ""
                : "/" + String.join("/", java.util.Arrays.copyOfRange(p, 6, p.length));
        String cfg = base + "/configs/{name}";
        if (tail.isEmpty()) shape = cfg;
        else if (tail.equals("/history")
            || tail.equals("/undo")
            || tail.equals("/redo")
            || tail.equals("/rollback")
            || tail.equals("/lock")) shape = cfg + tail;
        else if (tail.matches("/revisions/[^/]+")) shape = cfg + "/revisions/{version}";
        else if (tail.matches("/lock/[^/]+")) shape = cfg + "/lock/{id}";
        else return null;
      } else return null;
    } else return null;
    String op = method + " " + shape;
    return DOCUMENTED.containsKey(op) ? op : null;
  }

  // ================================================================ the report

  /** Text that any output stream can carry: lone surrogates (a string cut in two) become '?'. */
  static String printable(String text) {
    StringBuilder b = new StringBuilder(text.length());
    text.codePoints()
        .forEach(
            cp -> {
              if (Character.isSurrogate((char) cp) && cp <= 0xffff) b.append('?');
              else if (cp < 0x20 && cp != '\n' && cp != '\t' || cp == 0x7f)
                b.append(String.format("\\x%02x", cp));
              else b.appendCodePoint(cp);
            });
    return b.toString();
  }

  String summary(double seconds) {
    return printable(summaryText(seconds));
  }

  private String summaryText(double seconds) {
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(
            "%s seed %d: %d requests in %.1f s (%.0f/s), %d answers predicted, %d writes checked%n",
            setup.label(),
            seed,
            sent.get(),
            seconds,
            sent.get() / Math.max(0.001, seconds),
            predicted.get(),
            checkedWrites.get()));
    Map<String, Long> byStatus = new TreeMap<>();
    statuses.forEach(
        (k, v) -> byStatus.merge(k.substring(k.lastIndexOf(' ') + 1), v.get(), Long::sum));
    b.append("  statuses: ").append(byStatus).append('\n');
    Map<String, Long> s2 = new TreeMap<>();
    slugs.forEach((k, v) -> s2.put(k.replace("/problems/", ""), v.get()));
    b.append("  problems: ").append(s2).append('\n');
    if (DEBUG) {
      new TreeMap<>(details)
          .forEach((k, v) -> b.append("    ").append(v.get()).append(" x ").append(k).append('\n'));
      new TreeMap<>(statuses)
          .forEach((k, v) -> b.append("    ").append(v.get()).append(" x ").append(k).append('\n'));
    }
    if (!findings.isEmpty()) {
      b.append("  findings:\n");
      new TreeMap<>(known)
          .forEach((k, v) -> b.append("    ").append(v.get()).append(" x ").append(k).append('\n'));
    }
    return b.toString();
  }
}
