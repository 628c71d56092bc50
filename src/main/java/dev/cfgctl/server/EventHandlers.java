package dev.cfgctl.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cfgctl.api.PageJson;
import dev.cfgctl.api.ProblemJson;
import dev.cfgctl.app.ChangeFeed;
import dev.cfgctl.app.ChangeFeed.End;
import dev.cfgctl.app.StreamEvent;
import dev.cfgctl.patch.InvalidPatchException;
import dev.cfgctl.patch.Json;
import dev.cfgctl.patch.Patch;
import dev.cfgctl.store.ConfigRef;
import dev.cfgctl.store.ConfigStore;
import dev.cfgctl.store.Document;
import dev.cfgctl.store.Presence;
import dev.cfgctl.store.Principal;
import dev.cfgctl.store.Problem;
import dev.cfgctl.store.StoreException;
import io.javalin.http.Context;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.EndPoint;

/**
 * A config's change stream, {@code GET …/configs/{name}/events?since=V}: over a WebSocket, or as
 * Server-Sent Events ({@code Last-Event-ID} is the version to resume after). The token is checked,
 * and the config and {@code since} looked up, before the upgrade, so a refusal is an ordinary
 * problem+json answer. Thread-safe.
 */
final class EventHandlers {
  /** WebSocket close codes: 4000 + the HTTP status of the problem, else the standard ones. */
  static final int CLOSE_GOING_AWAY = 1001;

  static final int CLOSE_RESUME = 4408;
  static final int CLOSE_UNAUTHORIZED = 4401;

  private static final String SECRET = "cfgctl.secret";
  private static final String SINCE = "cfgctl.since";
  private static final String WATCH = "cfgctl.watch";
  private static final String CLIENT = "cfgctl.client";

  private static final String NO_MESSAGES =
      problem(
          new StoreException(
              Problem.INVALID_REQUEST,
              "a tenant's stream takes no messages; presence and patches go to a config's stream"));

  /** The largest message a client may send. */
  private static final long MAX_MESSAGE = 64 * 1024;

  private final ConfigStore store;
  private final ChangeFeed feed;
  private final AuthFilter auth;
  private final Requests.Limits limits;
  private final java.time.Duration timeBudget;

  EventHandlers(
      ConfigStore store,
      ChangeFeed feed,
      AuthFilter auth,
      Requests.Limits limits,
      java.time.Duration timeBudget) {
    this.store = store;
    this.feed = feed;
    this.auth = auth;
    this.limits = limits;
    this.timeBudget = timeBudget;
  }

  /** Who is connected to the config's stream, on every server: {@code {"items":[…]}}. */
  void sessions(Context ctx) {
    Responses.json(
        ctx,
        200,
        PageJson.items(store.sessions(Requests.who(ctx), Requests.ref(ctx)), Presence::toJson));
  }

  /**
   * Before a WebSocket upgrade: authenticates, and refuses what the stream would refuse, with the
   * status a read would get.
   */
  void beforeUpgrade(Context ctx) throws IOException {
    refusingNow(
        ctx,
        () -> {
          if (Requests.who(ctx) == null) auth.handle(ctx); // the filter of routes does not run
          Long since = since(ctx);
          feed.check(Requests.who(ctx), Requests.ref(ctx), since);
          ctx.attribute(SINCE, since == null ? -1L : since);
          ctx.attribute(SECRET, secret(ctx));
          ctx.attribute(CLIENT, client(ctx));
        });
  }

  /**
   * Runs the checks before an upgrade; a refusal is answered with its problem body at once (Javalin
   * would send the status alone), and thrown on, so the upgrade does not happen.
   */
  private static void refusingNow(Context ctx, Runnable checks) throws IOException {
    try {
      checks.run();
    } catch (StoreException e) {
      Responses.problemNow(ctx, e);
      throw e;
    }
  }

  /** Before a WebSocket upgrade of a tenant's stream: authenticates, and refuses another's. */
  void beforeTenantUpgrade(Context ctx) throws IOException {
    refusingNow(
        ctx,
        () -> {
          if (Requests.who(ctx) == null) auth.handle(ctx);
          feed.checkTenant(Requests.who(ctx), ctx.pathParam("tenant"));
          ctx.attribute(SECRET, secret(ctx));
        });
  }

  void tenantWebSocket(WsConfig ws) {
    ws.onConnect(
        ctx -> {
          limit(ctx);
          String secret = ctx.attribute(SECRET);
          ChangeFeed.Watch w =
              feed.watchTenant(
                  store.authenticate(secret),
                  () -> store.authenticate(secret),
                  ctx.pathParam("tenant"),
                  new WsSink(ctx));
          ctx.attribute(WATCH, w);
        });
    ws.onMessage(ctx -> answer(ctx, NO_MESSAGES));
    ws.onBinaryMessage(ctx -> answer(ctx, NO_MESSAGES));
    ws.onClose(EventHandlers::close);
    ws.onError(EventHandlers::close);
  }

  /** A tenant's stream as Server-Sent Events. */
  void tenantServerSentEvents(Context ctx) throws IOException {
    Principal who = Requests.who(ctx);
    String tenant = ctx.pathParam("tenant");
    feed.checkTenant(who, tenant);
    String secret = secret(ctx);
    stream(ctx, sink -> feed.watchTenant(who, () -> store.authenticate(secret), tenant, sink));
  }

  void webSocket(WsConfig ws) {
    ws.onConnect(
        ctx -> {
          limit(ctx);
          long since = ctx.attribute(SINCE);
          String secret = ctx.attribute(SECRET);
          Principal who = store.authenticate(secret);
          ChangeFeed.Watch w =
              feed.watch(
                  who,
                  () -> store.authenticate(secret),
                  new ConfigRef(ctx.pathParam("tenant"), ctx.pathParam("name")),
                  since < 0 ? null : since,
                  ctx.attribute(CLIENT),
                  new WsSink(ctx));
          ctx.attribute(WATCH, w);
        });
    ws.onMessage(ctx -> message(ctx, ctx.message()));
    ws.onBinaryMessage(
        ctx ->
            answer(
                ctx,
                problem(
                    new StoreException(
                        Problem.INVALID_REQUEST, "messages are JSON text frames, not binary"))));
    ws.onClose(EventHandlers::close);
    ws.onError(EventHandlers::close);
  }

  /**
   * A message from the client: {@code {"type":"presence","pointer":P}} says what it looks at; any
   * other is answered with a problem message, and the stream goes on.
   */
  private void message(WsContext ctx, String text) {
    try {
      JsonNode m;
      try {
        m = Json.parse(text);
      } catch (RuntimeException e) {
        throw new StoreException(
            Problem.INVALID_JSON, "a message is one JSON object: " + e.getMessage());
      }
      String type = m.path("type").asText("");
      switch (type) {
        case "presence" -> {
          JsonNode p = m.path("pointer");
          if (!p.isNull() && !p.isMissingNode() && !p.isTextual()) {
            throw new StoreException(Problem.INVALID_REQUEST, "pointer is a JSON pointer or null");
          }
          ChangeFeed.Watch w = ctx.attribute(WATCH);
          if (w != null) feed.point(w, p.isTextual() ? p.asText() : null);
        }
        case "patch" -> patch(ctx, m);
        default ->
            throw new StoreException(
                Problem.INVALID_REQUEST,
                "unknown message type "
                    + Json.brief(Json.NODES.textNode(type))
                    + " (expected presence or patch)");
      }
    } catch (StoreException e) {
      answer(ctx, problem(e));
    }
  }

  /**
   * Answers a client's message through its watch's bounded queue (a client that sends without
   * reading cannot pile answers up in the server), or at once before the watch exists.
   */
  private static void answer(WsContext ctx, String json) {
    ChangeFeed.Watch w = ctx.attribute(WATCH);
    if (w != null) w.answer(json);
    else ctx.send(json);
  }

  /**
   * A collaborative edit, {@code {"type":"patch","baseVersion":N,"patch":[…],"lockId":…,
   * "message":…,"requestId":…}}: applied as {@code PATCH ?rebase=true} with {@code If-Match: "N"}
   * would be, and answered with {@code ack} (its version; {@code rebasedFrom} when others wrote
   * since N) or {@code reject} (the problem HTTP would answer); the revision itself comes in the
   * stream, to the sender too.
   */
  private void patch(WsContext ctx, JsonNode m) {
    JsonNode id = m.path("requestId");
    if (!id.isMissingNode() && !(id.isTextual() && id.asText().length() <= 100)) {
      throw new StoreException(
          Problem.INVALID_REQUEST, "requestId is a text of at most 100 characters");
    }
    String requestId = id.isTextual() ? id.asText() : null;
    ObjectNode answer = Json.NODES.objectNode();
    try {
      JsonNode base = m.path("baseVersion");
      if (!base.canConvertToLong() || !base.isIntegralNumber() || base.asLong() < 1) {
        throw new StoreException(
            Problem.INVALID_REQUEST, "baseVersion, the version the patch is based on, is required");
      }
      JsonNode ops = m.path("patch");
      if (ops.isArray() && ops.size() > limits.maxOps()) {
        throw new StoreException(
                Problem.TOO_MANY_OPS,
                "the patch has " + ops.size() + " operations; the limit is " + limits.maxOps())
            .with("limit", limits.maxOps());
      }
      Patch patch;
      try {
        patch = Patch.fromJson(ops);
      } catch (InvalidPatchException e) {
        throw ExceptionMapper.invalidPatch(e);
      }
      String lockId = text(m, "lockId", 100);
      String message = text(m, "message", 1000);
      String secret = ctx.attribute(SECRET);
      Principal who = store.authenticate(secret);
      auth.takeWrite(who);
      ConfigRef ref = new ConfigRef(ctx.pathParam("tenant"), ctx.pathParam("name"));
      Document d =
          store.patch(
              who,
              ref,
              patch,
              base.asLong(),
              new ConfigStore.Write(lockId, message, true)
                  .withDeadline(System.nanoTime() + timeBudget.toNanos()));
      answer.put("type", "ack").put("requestId", requestId).put("version", d.version());
      if (d.unchanged()) answer.put("unchanged", true);
      else if (base.asLong() < d.version() - 1) answer.put("rebasedFrom", base.asLong());
      else answer.putNull("rebasedFrom");
    } catch (StoreException e) {
      answer.put("type", "reject").put("requestId", requestId);
      answer.set("problem", ProblemJson.encode(e));
    }
    answer(ctx, Json.compact(answer));
  }

  /** An optional text member of at most {@code max} characters. */
  private static String text(JsonNode m, String name, int max) {
    JsonNode v = m.path(name);
    if (v.isMissingNode() || v.isNull()) return null;
    if (!v.isTextual() || v.asText().length() > max || v.asText().indexOf('\0') >= 0) {
      throw new StoreException(
          Problem.INVALID_REQUEST, name + " is a text of at most " + max + " characters");
    }
    return v.asText();
  }

  /** A quiet connection lives ten minutes (pings keep a watcher's alive); messages are small. */
  private static void limit(WsContext ctx) {
    ctx.session.setIdleTimeout(java.time.Duration.ofMinutes(10));
    ctx.session.setMaxTextMessageSize(MAX_MESSAGE);
    ctx.session.setMaxBinaryMessageSize(MAX_MESSAGE);
  }

  private static void close(WsContext ctx) {
    ChangeFeed.Watch w = ctx.attribute(WATCH);
    if (w != null) w.close();
  }

  /**
   * The stream as Server-Sent Events: to every GET that is not a WebSocket upgrade, so that {@code
   * curl -N} works as it is.
   */
  void serverSentEvents(Context ctx) throws IOException {
    Long since = since(ctx);
    String lastEventId = ctx.header("Last-Event-ID");
    if (lastEventId != null && !lastEventId.isBlank()) since = Requests.version(lastEventId.trim());
    Principal who = Requests.who(ctx);
    ConfigRef ref = Requests.ref(ctx);
    feed.check(who, ref, since);
    String secret = secret(ctx);
    String name = client(ctx);
    Long from = since;
    stream(ctx, sink -> feed.watch(who, () -> store.authenticate(secret), ref, from, name, sink));
  }

  /**
   * Answers with an event stream and writes it on this request's thread until the watch ends or the
   * client leaves.
   */
  private static void stream(Context ctx, Function<ChangeFeed.Sink, ChangeFeed.Watch> watch)
      throws IOException {
    HttpServletResponse res = ctx.res();
    res.setStatus(200);
    res.setCharacterEncoding("UTF-8");
    res.setContentType("text/event-stream");
    res.setHeader("Cache-Control", "no-cache");
    res.setHeader("X-Accel-Buffering", "no"); // proxies pass each event on at once
    res.flushBuffer();
    SseSink sink =
        new SseSink(
            res.getOutputStream(),
            ServletContextRequest.getServletContextRequest(ctx.req())
                .getConnectionMetaData()
                .getConnection()
                .getEndPoint());
    ChangeFeed.Watch w = watch.apply(sink);
    try {
      sink.run();
    } finally {
      w.close();
    }
  }

  private static Long since(Context ctx) {
    return Requests.longParam(ctx, "since", 0, Long.MAX_VALUE);
  }

  /** The client's name for the presence list ({@code ?client=NAME}), printable, short. */
  private static String client(Context ctx) {
    String c = Requests.textParam(ctx, "client");
    if (c == null || c.isEmpty()) return null;
    if (c.length() > 64 || !c.chars().allMatch(ch -> ch >= 0x20 && ch != 0x7f)) {
      throw new StoreException(
          Problem.INVALID_REQUEST, "client is a name of at most 64 printable characters");
    }
    return c;
  }

  private static String secret(Context ctx) {
    return ctx.header("Authorization").substring(7).trim(); // the auth filter checked its form
  }

  private static String problem(StoreException e) {
    return Json.compact(
        Json.NODES.objectNode().put("type", "problem").set("problem", ProblemJson.encode(e)));
  }

  /** Messages to a WebSocket, sent asynchronously. */
  private static final class WsSink implements ChangeFeed.Sink {
    private final WsContext ctx;

    WsSink(WsContext ctx) {
      this.ctx = ctx;
    }

    @Override
    public void send(StreamEvent e, Consumer<Throwable> done) {
      ctx.session.sendText(
          e.json(),
          org.eclipse.jetty.websocket.api.Callback.from(() -> done.accept(null), done::accept));
    }

    @Override
    public void end(End why, String reason, long after) {
      switch (why) {
        case GOING_AWAY -> ctx.closeSession(CLOSE_GOING_AWAY, reason);
        case BEHIND -> ctx.closeSession(CLOSE_RESUME, "resume from version " + after);
        case UNAUTHORIZED -> {
          ctx.session.sendText(
              problem(new StoreException(Problem.UNAUTHORIZED, reason)),
              org.eclipse.jetty.websocket.api.Callback.NOOP);
          ctx.closeSession(CLOSE_UNAUTHORIZED, "unauthorized");
        }
        case LEFT -> ctx.closeSession();
      }
    }
  }

  /**
   * Messages to an event stream, written by the request's own thread ({@link #run}), so a client
   * that reads slowly holds that thread, not the feed's; a stream that ends while a write is stuck
   * closes the connection, so no write waits for the idle timeout.
   */
  private static final class SseSink implements ChangeFeed.Sink {
    private final OutputStream out;
    private final EndPoint connection;
    private final BlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();
    private volatile boolean ended;
    private volatile boolean writing;

    SseSink(OutputStream out, EndPoint connection) {
      this.out = out;
      this.connection = connection;
    }

    @Override
    public void send(StreamEvent e, Consumer<Throwable> done) {
      queue.add(
          () -> {
            try {
              write(e.type(), e.versioned() ? Long.toString(e.version()) : null, e.json());
              done.accept(null);
            } catch (IOException failure) {
              ended = true;
              done.accept(failure);
            }
          });
    }

    @Override
    public void end(End why, String reason, long after) {
      queue.add(
          () -> {
            try {
              if (why == End.UNAUTHORIZED) {
                write("problem", null, problem(new StoreException(Problem.UNAUTHORIZED, reason)));
              }
            } catch (IOException e) {
              // gone already
            }
            ended = true;
          });
      if (why != End.LEFT && writing) connection.close(); // a write stuck on a client gone quiet
    }

    private void write(String event, String id, String data) throws IOException {
      StringBuilder b = new StringBuilder("event: ").append(event).append('\n');
      if (id != null) b.append("id: ").append(id).append('\n');
      b.append("data: ").append(data).append("\n\n"); // compact JSON: one line
      out.write(b.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
    }

    /** Writes until the stream ends or the client leaves. */
    void run() {
      while (!ended) {
        try {
          Runnable next = queue.poll(1, TimeUnit.SECONDS);
          if (next == null) continue;
          writing = true;
          next.run();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        } finally {
          writing = false;
        }
      }
    }
  }
}
