package dev.cfgctl.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cfgctl.api.ProblemJson;
import dev.cfgctl.api.StreamCursor;
import dev.cfgctl.patch.Json;
import dev.cfgctl.store.Principal;
import dev.cfgctl.store.Problem;
import dev.cfgctl.store.StoreException;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;

/**
 * A config's change stream from a server (API.md, "Change stream"), over a WebSocket that is
 * reopened when it ends: after a server restart, a going-away close (1001), a resume close (4408)
 * or a dead connection, it reconnects with backoff ({@link #FIRST_BACKOFF} doubling to {@link
 * #MAX_BACKOFF}) and {@code since} = the version it has, and drops what it had already, so its
 * listener gets every revision once, in version order. A revoked token (4401) or a refusal before
 * the upgrade (the config is gone, the token no longer valid) ends it with that refusal; so does a
 * first connection that finds no server in {@link Transport#attempts} tries. {@link #run} and
 * {@link #close} may be called from different threads; the listener is called on the client's.
 */
public final class EventStream implements AutoCloseable {
  /** Where the stream's events go: in order, one at a time. */
  public interface Listener {
    /**
     * An event: a revision, delete, undelete or snapshot ({@code text} is its JSON as received).
     * Returns whether to go on; false ends {@link #run}.
     */
    boolean event(JsonNode message, String text);

    /** The connection was lost after {@code after} (null: before any version); reconnecting. */
    default void reconnecting(String why, Long after) {}
  }

  static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
  static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

  private static final int CLOSE_UNAUTHORIZED = 4401;

  private final Transport transport;
  private final OkHttpClient client;
  private final Principal who;
  private final HttpUrl url;
  private final Listener listener;
  private final StreamCursor cursor;
  private final CountDownLatch closed = new CountDownLatch(1);
  private volatile Connection current;

  EventStream(Transport transport, Principal who, HttpUrl url, Long since, Listener listener) {
    this.transport = transport;
    this.client = transport.streaming();
    this.who = who;
    this.url = url;
    this.listener = listener;
    this.cursor = new StreamCursor(since);
  }

  /**
   * Streams until {@link #close}, the listener says stop, or a refusal ({@link StoreException}).
   */
  public void run() throws InterruptedException {
    boolean connected = false;
    int failures = 0;
    long backoff = FIRST_BACKOFF.toMillis();
    while (closed.getCount() > 0) {
      Connection c = connect();
      End end = c.end();
      if (end == null) return; // closed
      connected |= end.opened;
      if (end.opened) {
        backoff = FIRST_BACKOFF.toMillis();
        failures = 0;
      }
      if (end.fin) throw end.refusal;
      if (!connected && ++failures >= transport.attempts()) {
        throw end.io != null ? transport.unreachable(c.request, end.io, failures) : end.refusal;
      }
      if (end.opened) listener.reconnecting(end.why, last()); // once per lost connection
      if (closed.await(backoff, TimeUnit.MILLISECONDS)) return;
      backoff = Math.min(backoff * 2, MAX_BACKOFF.toMillis());
    }
  }

  /** The version of the latest event passed on; null: none yet. */
  public synchronized Long last() {
    return cursor.last();
  }

  /** Ends the stream; {@link #run} returns. */
  @Override
  public void close() {
    closed.countDown();
    Connection c = current;
    if (c != null) c.cancel();
  }

  private Connection connect() {
    HttpUrl.Builder u = url.newBuilder();
    Long since = last();
    if (since != null) u.setQueryParameter("since", Long.toString(since));
    Request request = new Request.Builder().url(u.build()).get().tag(Principal.class, who).build();
    Connection c = new Connection(request);
    current = c;
    c.socket = client.newWebSocket(request, c);
    if (closed.getCount() == 0) c.cancel();
    return c;
  }

  private synchronized boolean take(JsonNode message) {
    return cursor.take(message);
  }

  /**
   * How a connection ended: whether it had opened, why (for the reconnect notice), and the answer
   * that refused it ({@code fin}: for good) or the failure to reach the server.
   */
  private record End(
      boolean opened, String why, StoreException refusal, boolean fin, IOException io) {
    static End closed(String why) {
      return new End(true, why, null, false, null);
    }
  }

  /** One WebSocket connection and how it ended. */
  private final class Connection extends WebSocketListener {
    final Request request;
    final CompletableFuture<End> ended = new CompletableFuture<>();
    volatile WebSocket socket;
    volatile boolean opened;
    volatile StoreException problem;

    Connection(Request request) {
      this.request = request;
    }

    /** Waits for the end; null when the stream was closed. */
    End end() throws InterruptedException {
      try {
        return ended.get();
      } catch (ExecutionException e) {
        throw new IllegalStateException(e.getCause());
      }
    }

    void cancel() {
      ended.complete(null);
      WebSocket s = socket;
      if (s != null) s.cancel();
    }

    @Override
    public void onOpen(WebSocket ws, Response response) {
      opened = true;
    }

    @Override
    public void onMessage(WebSocket ws, String text) {
      if (ended.isDone()) return;
      JsonNode m;
      try {
        m = Json.parse(text);
      } catch (RuntimeException e) {
        return; // not a message of the API: nothing to pass on
      }
      if (m.path("type").asText().equals("problem") && m.get("problem") instanceof ObjectNode p) {
        problem = ProblemJson.decode(p.path("status").asInt(401), p);
      }
      if (take(m) && !listener.event(m, text)) close();
    }

    @Override
    public void onClosing(WebSocket ws, int code, String reason) {
      ws.cancel();
      if (code == CLOSE_UNAUTHORIZED) {
        StoreException p = problem;
        StoreException refusal =
            p != null
                ? p
                : new StoreException(
                    Problem.UNAUTHORIZED,
                    "the server ended the stream: the token was revoked or has expired");
        ended.complete(new End(true, reason, refusal, true, null));
      } else {
        ended.complete(
            End.closed(
                "the server closed the stream ("
                    + code
                    + (reason.isEmpty() ? "" : ": " + reason)
                    + ")"));
      }
    }

    @Override
    public void onClosed(WebSocket ws, int code, String reason) {
      ended.complete(End.closed("the server closed the stream (" + code + ")"));
    }

    @Override
    public void onFailure(WebSocket ws, Throwable t, Response response) {
      if (response != null && response.code() != 101) {
        ended.complete(refused(response));
        return;
      }
      IOException e = t instanceof IOException io ? io : new IOException(t.getMessage(), t);
      String why = "the connection broke" + (t.getMessage() == null ? "" : ": " + t.getMessage());
      ended.complete(new End(opened, why, null, false, e));
    }

    /**
     * An answer instead of the upgrade: a 4xx other than 408 and 429 is final (the config or the
     * token is no more); a server's 5xx, a proxy's error page or a rate limit passes.
     */
    private End refused(Response response) {
      StoreException refusal;
      try {
        Transport.Reply reply = transport.read(request, response);
        refusal = Transport.refusal(reply);
      } catch (IOException | StoreException e) {
        refusal =
            new StoreException(
                Problem.UNAVAILABLE, "GET " + request.url() + " failed: " + e.getMessage());
      }
      int s = response.code();
      boolean fin = s >= 400 && s < 500 && s != 408 && s != 429;
      return new End(false, "GET " + request.url() + " answered " + s, refusal, fin, null);
    }
  }
}
