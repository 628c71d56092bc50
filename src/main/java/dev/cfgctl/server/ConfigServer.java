package dev.cfgctl.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cfgctl.api.DocumentHeaders;
import dev.cfgctl.api.ProblemJson;
import dev.cfgctl.api.ProblemStatus;
import dev.cfgctl.patch.InvalidPatchException;
import dev.cfgctl.patch.Json;
import dev.cfgctl.patch.Patch;
import dev.cfgctl.store.ConfigRef;
import dev.cfgctl.store.ConfigStore;
import dev.cfgctl.store.ConfigStore.HistoryQuery;
import dev.cfgctl.store.ConfigStore.LockRequest;
import dev.cfgctl.store.ConfigStore.Write;
import dev.cfgctl.store.ConfigSummary;
import dev.cfgctl.store.Document;
import dev.cfgctl.store.Lock;
import dev.cfgctl.store.Page;
import dev.cfgctl.store.Principal;
import dev.cfgctl.store.Problem;
import dev.cfgctl.store.Revision;
import dev.cfgctl.store.Role;
import dev.cfgctl.store.StoreException;
import dev.cfgctl.store.Times;
import dev.cfgctl.store.Token;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.websocket.WsHandlerType;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;

/**
 * The config API of API.md over a {@link ConfigStore}: routes, bearer-token authentication, request
 * limits, ETags and preconditions, and problem+json for every failure. The store decides everything
 * else, so the server and the embedded store behave the same.
 */
public final class ConfigServer implements AutoCloseable {
  static final String PROBLEM_JSON = "application/problem+json";
  static final String JSON = "application/json";
  private static final String PRINCIPAL = "cfgctl.principal";
  private static final String STARTED = "cfgctl.started";
  private static final String BODY_KIB = "cfgctl.bodyKib";
  private static final String CONFIG = "/v1/tenants/{tenant}/configs/{name}";
  private static final Pattern OP_INDEX = Pattern.compile("op (\\d+)");

  /**
   * What the server takes and how fast: the limits of a request, the time budget of a write (one
   * that has not finished by then is abandoned, unchanged, with a 503), and per-principal rates of
   * requests and of writes (429 beyond; bursts of two seconds' worth are let through).
   */
  public record Options(long maxBodyBytes, int maxDepth, int maxOps, Duration timeBudget,
      double requestsPerSecond, double writesPerSecond) {
    public static final Options DEFAULT = new Options(5L * 1024 * 1024, 200, 10_000,
        Duration.ofSeconds(10), 1000, 500);

    public Options {
      if (maxBodyBytes < 1 || maxDepth < 1 || maxOps < 1 || timeBudget.isNegative()
          || timeBudget.isZero() || requestsPerSecond <= 0 || writesPerSecond <= 0) {
        throw new IllegalArgumentException("server options must be positive");
      }
    }
  }

  /** Requests with a bad token per client address and second, beyond which they get 429, not 401. */
  private static final double BAD_TOKENS_PER_SECOND = 20;

  private final ConfigStore store;
  private final Requests.Limits limits;
  private final Options options;
  private final RateLimiter requests;
  private final RateLimiter writes;
  private final RateLimiter badTokens = new RateLimiter(BAD_TOKENS_PER_SECOND, 10 * BAD_TOKENS_PER_SECOND);
  /** Room, in KiB, for the bodies handled at once: eight of the largest. */
  private final int bodiesKib;
  private final Semaphore bodies;
  private final Clock clock;
  private final PrintStream log;
  private final String version;
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile boolean draining;
  private Javalin app;

  public ConfigServer(ConfigStore store, long maxBodyBytes, int maxDepth, int maxOps, Clock clock,
      PrintStream log, String version) {
    this(store, new Options(maxBodyBytes, maxDepth, maxOps, Options.DEFAULT.timeBudget(),
        Options.DEFAULT.requestsPerSecond(), Options.DEFAULT.writesPerSecond()), clock, log, version);
  }

  public ConfigServer(ConfigStore store, Options options, Clock clock, PrintStream log,
      String version) {
    this.store = store;
    this.options = options;
    this.limits = new Requests.Limits(options.maxBodyBytes(), options.maxDepth(), options.maxOps());
    this.requests = new RateLimiter(options.requestsPerSecond(), 2 * options.requestsPerSecond());
    this.writes = new RateLimiter(options.writesPerSecond(), 2 * options.writesPerSecond());
    this.bodiesKib = (int) Math.min(Integer.MAX_VALUE / 2, 8 * ((options.maxBodyBytes() + 1023) / 1024));
    this.bodies = new Semaphore(bodiesKib, true);
    this.clock = clock;
    this.log = log;
    this.version = version;
  }

  /** Starts listening over plain HTTP; {@code port} 0 picks a free port (see {@link #port()}). */
  public ConfigServer start(String host, int port) {
    return start(host, port, null);
  }

  /**
   * Starts listening, over HTTPS (HTTP/1.1 in TLS) when {@code tls} is given, else plain HTTP;
   * {@code port} 0 picks a free port. {@link ServerTls#reload()} changes the certificate later.
   */
  public ConfigServer start(String host, int port, ServerTls tls) {
    app = Javalin.create(config -> {
      if (tls != null) {
        config.jetty.addConnector((server, http) -> {
          // the only connector: requests learn they came over TLS (ctx.scheme() is https)
          http.addCustomizer(new SecureRequestCustomizer());
          ServerConnector connector = new ServerConnector(server,
              new SslConnectionFactory(tls.factory(), HttpVersion.HTTP_1_1.asString()),
              new HttpConnectionFactory(http));
          connector.setHost(host);
          connector.setPort(port);
          return connector;
        });
      }
      config.startup.showJavalinBanner = false;
      config.startup.showOldJavalinVersionWarning = false;
      config.http.maxRequestSize = limits.maxBodyBytes();
      config.http.generateEtags = false;
      config.http.prefer405over404 = true;
      config.router.ignoreTrailingSlashes = false;
      config.concurrency.useVirtualThreads = Runtime.version().feature() >= 21;
      // encoded slashes and dot segments reach the router, which refuses them as invalid names
      config.jetty.modifyHttpConfiguration(h -> {
        h.setUriCompliance(UriCompliance.LEGACY);
        // Jetty caches header lines per connection; a case-insensitive cache hands the handler the
        // value of an earlier line that differs only in case (a token or lock id that is not ours)
        h.setHeaderCacheCaseSensitive(true);
      });
      config.jetty.modifyServer(server -> server.setErrorHandler(new JettyErrors()));
      routes(config.routes);
      config.routes.exception(StoreException.class, (e, ctx) -> {
        if (e.problem() == Problem.UNAVAILABLE && !draining) {
          log.println("cfgctl serve: 503 for " + ctx.method() + " " + ctx.path() + " after "
              + (System.nanoTime() - started(ctx)) / 1_000_000 + " ms: " + e.getMessage());
        }
        problem(ctx, e);
      });
      config.routes.exception(InvalidPatchException.class, (e, ctx) -> problem(ctx, invalidPatch(e)));
      config.routes.exception(Exception.class, (e, ctx) -> {
        log.println("cfgctl serve: internal error on " + ctx.method() + " " + ctx.path() + ": " + e);
        e.printStackTrace(log);
        problem(ctx, new StoreException(Problem.INTERNAL, "internal error (a bug); the server log"
            + " has the details"));
      });
      config.routes.error(404, ctx -> {
        if (!PROBLEM_JSON.equals(ctx.res().getContentType())) {
          problem(ctx, new StoreException(Problem.NOT_FOUND, "no such resource: " + ctx.path()));
        }
      });
      config.routes.error(405, ctx -> problem(ctx, new StoreException(Problem.METHOD_NOT_ALLOWED,
          ctx.method() + " is not allowed on " + ctx.path())));
    });
    app.start(host, port);
    return this;
  }

  public int port() {
    return app.port();
  }

  /**
   * The routes this server answers, as {@code "METHOD /path/{param}"}, sorted; a WebSocket route is
   * its upgrade's {@code GET}. Tests check them against the shipped OpenAPI document.
   */
  public List<String> routes() {
    List<String> routes = new ArrayList<>();
    app.unsafe.internalRouter.allHttpHandlers().stream().map(e -> e.endpoint)
        .filter(e -> e.method.isHttpMethod())
        .forEach(e -> routes.add(e.method.name() + " " + e.path));
    app.unsafe.internalRouter.allWsHandlers().stream()
        .filter(e -> e.getType() == WsHandlerType.WEBSOCKET)
        .forEach(e -> routes.add("GET " + e.getPath()));
    Collections.sort(routes);
    return routes;
  }

  /**
   * Graceful stop: new requests get 503, requests in flight (writes included) finish, up to
   * {@code waitMillis}; then the listener closes. The store is the caller's to close.
   */
  public void stop(long waitMillis) {
    draining = true;
    long deadline = System.currentTimeMillis() + waitMillis;
    while (inFlight.get() > 0 && System.currentTimeMillis() < deadline) {
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    if (app != null) app.stop();
  }

  @Override
  public void close() {
    stop(30_000);
  }

  private void routes(io.javalin.config.RoutesConfig r) {
    r.before(ctx -> {
      // counted before the check, so that stop() either waits for this request or it is refused;
      // checked first, a request could slip past stop() and write while the store closes
      inFlight.incrementAndGet();
      if (draining) {
        inFlight.decrementAndGet();
        ctx.header("Connection", "close");
        throw new StoreException(Problem.UNAVAILABLE, "the server is shutting down");
      }
      ctx.attribute("cfgctl.counted", Boolean.TRUE);
      ctx.attribute(STARTED, System.nanoTime());
    });
    r.after(ctx -> {
      if (ctx.attribute("cfgctl.counted") != null) inFlight.decrementAndGet();
      Integer kib = ctx.attribute(BODY_KIB);
      if (kib != null) bodies.release(kib);
    });
    r.beforeMatched(ctx -> {
      if (ctx.path().equals("/v1/health")) return;
      Principal who;
      try {
        who = authenticate(ctx);
      } catch (StoreException e) {
        // a client that keeps sending bad tokens is told to slow down, not just told again
        String address = ctx.ip();
        limit(ctx, badTokens.take(address), "too many requests with a bad token from " + address);
        throw e;
      }
      String key = who.tenant() + "/" + who.id();
      limit(ctx, requests.take(key), "more than " + requests.perSecond() + " requests a second");
      if (!ctx.method().name().equals("GET") && !ctx.method().name().equals("HEAD")) {
        // a viewer may change nothing: refused before its body is read, so that slow bodies
        // cannot hold the server's threads with a token that may only read
        if (!who.role().atLeast(Role.EDITOR)) {
          String tenant = ctx.pathParamMap().get("tenant");
          if (tenant != null && !who.sees(tenant)) { // as the store would: 404, not 403
            throw new StoreException(Problem.NOT_FOUND, "config " + tenant + "/"
                + ctx.pathParamMap().getOrDefault("name", "") + " not found");
          }
          throw forbidden(ctx.path().startsWith("/v1/tokens") ? Role.ADMIN : Role.EDITOR);
        }
        limit(ctx, writes.take(key), "more than " + writes.perSecond() + " writes a second");
        reserveBody(ctx);
      }
      ctx.attribute(PRINCIPAL, who);
    });

    r.get("/v1/health", ctx -> {
      ObjectNode o = Json.NODES.objectNode();
      o.put("status", "ok");
      o.put("version", version);
      json(ctx, 200, o);
    });
    r.get("/v1/tenants/{tenant}/configs", this::list);
    r.get(CONFIG, this::get);
    r.put(CONFIG, this::put);
    r.patch(CONFIG, this::patch);
    r.delete(CONFIG, this::delete);
    r.get(CONFIG + "/history", this::history);
    r.get(CONFIG + "/revisions/{version}", ctx -> json(ctx, 200,
        store.revision(who(ctx), ref(ctx), Requests.version(ctx.pathParam("version"))).toJson()));
    r.post(CONFIG + "/undo", ctx -> revert(ctx, true));
    r.post(CONFIG + "/redo", ctx -> revert(ctx, false));
    r.post(CONFIG + "/rollback", this::rollback);
    r.get(CONFIG + "/lock", ctx -> {
      Lock l = store.lock(who(ctx), ref(ctx)).orElseThrow(() ->
          new StoreException(Problem.NO_LOCK, ref(ctx) + " has no live lock"));
      json(ctx, 200, l.publicJson());
    });
    r.post(CONFIG + "/lock", this::acquire);
    r.put(CONFIG + "/lock/{id}", ctx -> {
      JsonNode body = Requests.object(ctx, limits, true);
      Lock l = store.extend(who(ctx), ref(ctx), ctx.pathParam("id"),
          Requests.longMember(body, "ttlSeconds"));
      json(ctx, 200, l.toJson());
    });
    r.delete(CONFIG + "/lock/{id}", ctx -> {
      store.release(who(ctx), ref(ctx), ctx.pathParam("id"));
      ctx.status(204);
    });
    r.delete(CONFIG + "/lock", ctx -> {
      if (!"true".equals(ctx.queryParam("force"))) {
        throw new StoreException(Problem.INVALID_REQUEST, "releasing a lock without its id needs"
            + " ?force=true (admins only); the holder releases with DELETE …/lock/{id}");
      }
      store.forceRelease(who(ctx), ref(ctx), Requests.textParam(ctx, "reason"));
      ctx.status(204);
    });
    r.get("/v1/tenants/{tenant}/locks", ctx -> {
      Instant now = clock.instant();
      ArrayNode items = Json.NODES.arrayNode();
      for (Lock l : store.locks(who(ctx), ctx.pathParam("tenant"),
          Requests.longParam(ctx, "staleAfter", 0, 10L * 365 * 86400))) {
        ObjectNode o = l.publicJson();
        o.put("heartbeatAgeSeconds", (now.toEpochMilli() - l.heartbeatAt().toEpochMilli()) / 1000.0);
        items.add(o);
      }
      ObjectNode o = Json.NODES.objectNode();
      o.set("items", items);
      json(ctx, 200, o);
    });
    r.post("/v1/tokens", this::createToken);
    r.get("/v1/tokens", ctx -> {
      ArrayNode items = Json.NODES.arrayNode();
      store.tokens(who(ctx)).forEach(t -> items.add(t.toJson()));
      ObjectNode o = Json.NODES.objectNode();
      o.set("items", items);
      json(ctx, 200, o);
    });
    r.delete("/v1/tokens/{id}", ctx -> {
      store.revokeToken(who(ctx), ctx.pathParam("id"));
      ctx.status(204);
    });
  }

  // ---------------------------------------------------------------- handlers

  private void list(Context ctx) {
    Long limit = Requests.longParam(ctx, "limit", 1, 1000);
    Page<ConfigSummary> page = store.list(who(ctx), ctx.pathParam("tenant"),
        Requests.textParam(ctx, "prefix"), limit == null ? 100 : limit.intValue(),
        Requests.textParam(ctx, "after"));
    ObjectNode o = Json.NODES.objectNode();
    ArrayNode items = o.putArray("items");
    page.items().forEach(s -> items.add(s.toJson()));
    o.put("next", page.next());
    json(ctx, 200, o);
  }

  private void get(Context ctx) {
    Long version = Requests.longParam(ctx, "version", 1, Long.MAX_VALUE);
    Document d = version == null ? store.get(who(ctx), ref(ctx)) : store.get(who(ctx), ref(ctx), version);
    versionHeaders(ctx, d);
    Long none = Requests.ifNoneMatch(ctx);
    if (none != null && none == d.version()) {
      ctx.status(304);
      return;
    }
    json(ctx, 200, d.content());
  }

  private void put(Context ctx) {
    Requests.requireType(ctx, JSON);
    JsonNode content = Requests.json(ctx, limits);
    Write w = write(ctx);
    String none = ctx.header("If-None-Match");
    Long match = Requests.ifMatch(ctx);
    if (none != null) {
      if (!none.trim().equals("*") || match != null) {
        throw new StoreException(Problem.INVALID_REQUEST, "create with If-None-Match: * alone;"
            + " replace with If-Match: \"N\" (or * to force)");
      }
      written(ctx, 201, store.create(who(ctx), ref(ctx), content, w));
      return;
    }
    written(ctx, 200, store.save(who(ctx), ref(ctx), content, match, w));
  }

  private void patch(Context ctx) {
    String type = Requests.mediaType(ctx);
    Document d;
    if (type.equals("application/json-patch+json")) {
      JsonNode body = Requests.json(ctx, limits);
      if (body.isArray() && body.size() > limits.maxOps()) {
        throw new StoreException(Problem.TOO_MANY_OPS, "the patch has " + body.size()
            + " operations; the limit is " + limits.maxOps()).with("limit", limits.maxOps());
      }
      d = store.patch(who(ctx), ref(ctx), Patch.fromJson(body), Requests.ifMatch(ctx), write(ctx));
    } else if (type.equals("application/merge-patch+json")) {
      JsonNode body = Requests.json(ctx, limits);
      d = store.mergePatch(who(ctx), ref(ctx), body, Requests.ifMatch(ctx), write(ctx));
    } else {
      throw new StoreException(Problem.UNSUPPORTED_MEDIA_TYPE, "PATCH takes Content-Type"
          + " application/json-patch+json (RFC 6902) or application/merge-patch+json (RFC 7396), not "
          + (type.isEmpty() ? "none" : type));
    }
    written(ctx, 200, d);
  }

  private void delete(Context ctx) {
    Long match = Requests.ifMatch(ctx);
    if (match == null) throw preconditionRequired(ctx, "deleting");
    long v = store.delete(who(ctx), ref(ctx), match, write(ctx));
    ctx.header("ETag", "\"" + v + "\"");
    ctx.header("Config-Version", Long.toString(v));
    markReplayed(ctx);
    ctx.status(204);
  }

  private void history(Context ctx) {
    Long limit = Requests.longParam(ctx, "limit", 1, 1000);
    HistoryQuery q = new HistoryQuery(limit == null ? 50 : limit.intValue(),
        Requests.longParam(ctx, "before", 1, Long.MAX_VALUE), Requests.textParam(ctx, "author"),
        time(ctx, "since"), time(ctx, "until"));
    Page<Revision> page = store.history(who(ctx), ref(ctx), q);
    ObjectNode o = Json.NODES.objectNode();
    ArrayNode items = o.putArray("items");
    page.items().forEach(r -> items.add(r.summaryJson()));
    o.put("next", page.next());
    json(ctx, 200, o);
  }

  private void revert(Context ctx, boolean undo) {
    JsonNode body = Requests.object(ctx, limits, true);
    Long steps = Requests.longMember(body, "steps");
    String scope = Requests.textMember(body, "scope", 10);
    if (scope != null && !scope.equals("mine") && !scope.equals("any")) {
      throw new StoreException(Problem.INVALID_REQUEST, "scope is \"mine\" or \"any\"");
    }
    if (!undo && scope != null) {
      throw new StoreException(Problem.INVALID_REQUEST, "redo has no scope: it redoes your own undo");
    }
    int n = steps == null ? 1 : (int) Math.max(0, Math.min(steps, 1001));
    List<Revision> made = undo
        ? store.undo(who(ctx), ref(ctx), "any".equals(scope), n, Requests.ifMatch(ctx), write(ctx))
        : store.redo(who(ctx), ref(ctx), n, Requests.ifMatch(ctx), write(ctx));
    long v = made.get(made.size() - 1).version();
    ctx.header("ETag", "\"" + v + "\"");
    ctx.header("Config-Version", Long.toString(v));
    ArrayNode items = Json.NODES.arrayNode();
    made.forEach(r -> items.add(r.toJson()));
    markReplayed(ctx);
    json(ctx, 200, items);
  }

  private void rollback(Context ctx) {
    JsonNode body = Requests.object(ctx, limits, false);
    Long to = Requests.longMember(body, "toVersion");
    if (to == null) throw new StoreException(Problem.INVALID_REQUEST, "the body needs \"toVersion\"");
    Long match = Requests.ifMatch(ctx);
    if (match == null) throw preconditionRequired(ctx, "rolling back");
    Revision r = store.rollback(who(ctx), ref(ctx), to, match, write(ctx));
    ctx.header("ETag", "\"" + r.version() + "\"");
    ctx.header("Config-Version", Long.toString(r.version()));
    markReplayed(ctx);
    json(ctx, 200, r.toJson());
  }

  private void acquire(Context ctx) {
    JsonNode body = Requests.object(ctx, limits, true);
    JsonNode takeOver = body.get("takeOver");
    if (takeOver != null && !takeOver.isBoolean() && !takeOver.isNull()) {
      throw new StoreException(Problem.INVALID_REQUEST, "\"takeOver\" must be true or false");
    }
    Lock l = store.acquire(who(ctx), ref(ctx), new LockRequest(Requests.longMember(body, "ttlSeconds"),
        Requests.textMember(body, "client", 200), Requests.textMember(body, "note", 500),
        takeOver != null && takeOver.asBoolean(), Requests.textMember(body, "reason", 500),
        Requests.idempotency(ctx)));
    markReplayed(ctx);
    json(ctx, 201, l.toJson());
  }

  private void createToken(Context ctx) {
    if (ctx.header("Idempotency-Key") != null) {
      throw new StoreException(Problem.INVALID_REQUEST, "a token cannot be created with an"
          + " Idempotency-Key: its secret is shown once and cannot be sent again; if an answer was"
          + " lost, revoke the token it made (GET /v1/tokens) and create another");
    }
    JsonNode body = Requests.object(ctx, limits, false);
    String tenant = Requests.textMember(body, "tenant", 63);
    String role = Requests.textMember(body, "role", 10);
    if (tenant == null || role == null) {
      throw new StoreException(Problem.INVALID_REQUEST, "a token needs \"user\", \"tenant\" and \"role\"");
    }
    Long days = Requests.longMember(body, "expiresInDays");
    Token.Issued t = store.createToken(who(ctx), new Principal(Requests.textMember(body, "user", 200),
        Requests.textMember(body, "displayName", 200), tenant, Role.parse(role)),
        days == null ? null : (int) Math.max(Integer.MIN_VALUE, Math.min(days, Integer.MAX_VALUE)));
    ObjectNode o = t.token().toJson();
    o.put("token", t.secret());
    json(ctx, 201, o);
  }

  // ---------------------------------------------------------------- helpers

  private Principal authenticate(Context ctx) {
    String h = ctx.header("Authorization");
    if (h == null || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
      ctx.header("WWW-Authenticate", "Bearer");
      throw new StoreException(Problem.UNAUTHORIZED, "this needs a bearer token:"
          + " Authorization: Bearer TOKEN");
    }
    try {
      return store.authenticate(h.substring(7).trim());
    } catch (StoreException e) {
      ctx.header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
      throw e;
    }
  }

  /**
   * Reserves room for the request's body among the bodies being handled at once (a parsed body
   * and the copies a write makes take many times its size), waiting for it within the time budget:
   * many large requests at once wait their turn instead of exhausting the heap. A chunked body,
   * whose length is not declared, reserves the largest allowed.
   */
  private void reserveBody(Context ctx) {
    long declared = ctx.req().getContentLengthLong();
    String encoding = ctx.header("Transfer-Encoding");
    boolean chunked = encoding != null && !encoding.isBlank();
    if (declared == 0 || declared < 0 && !chunked) return; // no body (RFC 9112 section 6.3)
    long bytes = declared < 0 || declared > options.maxBodyBytes() ? options.maxBodyBytes() : declared;
    int kib = (int) Math.min(bodiesKib, (bytes + 1023) / 1024);
    long wait = started(ctx) + options.timeBudget().toNanos() - System.nanoTime();
    try {
      if (!bodies.tryAcquire(kib, Math.max(0, wait), TimeUnit.NANOSECONDS)) {
        ctx.header("Retry-After", "1");
        throw new StoreException(Problem.UNAVAILABLE, "the server is busy with other large requests;"
            + " try again shortly");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException(Problem.UNAVAILABLE, "interrupted while waiting to read the body");
    }
    ctx.attribute(BODY_KIB, kib);
  }

  private static StoreException forbidden(Role role) {
    return new StoreException(Problem.FORBIDDEN, "this needs the " + role.label() + " role")
        .with("requiredRole", role.label());
  }

  /** Says so when the answer is the remembered one of a write made before under its key. */
  private static void markReplayed(Context ctx) {
    if (Requests.replayed(ctx)) ctx.header("Idempotent-Replayed", "true");
  }

  /** Refuses the request with 429 when {@code waitSeconds} is more than 0. */
  private static void limit(Context ctx, long waitSeconds, String what) {
    if (waitSeconds <= 0) return;
    ctx.header("Retry-After", Long.toString(waitSeconds));
    throw new StoreException(Problem.RATE_LIMITED, "rate limited: " + what + " for one principal;"
        + " try again in " + waitSeconds + " s").with("retryAfterSeconds", waitSeconds);
  }

  private static long started(Context ctx) {
    Long t = ctx.attribute(STARTED);
    return t == null ? System.nanoTime() : t;
  }

  private static Principal who(Context ctx) {
    return ctx.attribute(PRINCIPAL);
  }

  private static ConfigRef ref(Context ctx) {
    return new ConfigRef(ctx.pathParam("tenant"), ctx.pathParam("name"));
  }

  private Write write(Context ctx) {
    String message = Requests.changeMessage(ctx);
    String lockId = ctx.header("Lock-Id");
    if (lockId != null && (lockId.isBlank() || lockId.length() > 100)) {
      throw new StoreException(Problem.INVALID_REQUEST, "Lock-Id is not a lock id");
    }
    return new Write(lockId, message, "true".equals(ctx.queryParam("rebase")))
        .withDeadline(started(ctx) + options.timeBudget().toNanos())
        .withIdempotency(Requests.idempotency(ctx));
  }

  private static Instant time(Context ctx, String name) {
    String v = ctx.queryParam(name);
    return v == null || v.isEmpty() ? null : Times.parse(v, name);
  }

  private static StoreException preconditionRequired(Context ctx, String what) {
    return new StoreException(Problem.PRECONDITION_REQUIRED, what + " " + ref(ctx)
        + " needs If-Match: \"N\" (the version you expect) or If-Match: *");
  }

  private static StoreException invalidPatch(InvalidPatchException e) {
    StoreException p = new StoreException(Problem.INVALID_PATCH, e.getMessage());
    Matcher m = OP_INDEX.matcher(e.getMessage());
    if (m.find()) p.with("opIndex", Long.parseLong(m.group(1)));
    else p.members().putNull("opIndex");
    p.with("reason", e.getMessage());
    return p;
  }

  private static void versionHeaders(Context ctx, Document d) {
    DocumentHeaders.write(d, ctx::header);
  }

  /**
   * The response to a write: the new content, or with {@code Prefer: return=minimal} (RFC 7240) no
   * body (204; 201 stays 201), for clients that only need the new version.
   */
  private static void written(Context ctx, int status, Document d) {
    versionHeaders(ctx, d);
    if (d.unchanged()) ctx.header("Config-Unchanged", "true");
    markReplayed(ctx);
    String prefer = ctx.header("Prefer");
    boolean minimal = prefer != null && prefer.contains("return=minimal");
    // a replay whose version is no longer retained has no content to send again
    if (minimal || d.content() == null) {
      if (minimal) ctx.header("Preference-Applied", "return=minimal");
      ctx.status(status == 201 ? 201 : 204);
      return;
    }
    json(ctx, status, d.content());
  }

  /** Writes {@code body} straight to the response, so a large config is never held as text too. */
  private static void json(Context ctx, int status, JsonNode body) {
    ctx.status(status);
    ctx.contentType(JSON);
    try {
      Json.write(body, ctx.outputStream(), false);
    } catch (java.io.IOException e) {
      // the client went away: there is no one to answer
    }
  }

  private static void problem(Context ctx, StoreException e) {
    ctx.status(ProblemStatus.of(e.problem()));
    ctx.contentType(PROBLEM_JSON);
    ctx.result(Json.compact(ProblemJson.encode(e)).getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }
}
