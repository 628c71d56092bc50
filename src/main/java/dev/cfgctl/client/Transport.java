package dev.cfgctl.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cfgctl.api.MediaTypes;
import dev.cfgctl.api.ProblemJson;
import dev.cfgctl.patch.Json;
import dev.cfgctl.store.Principal;
import dev.cfgctl.store.Problem;
import dev.cfgctl.store.StoreException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;
import javax.net.ssl.SSLException;
import okhttp3.Call;
import okhttp3.EventListener;
import okhttp3.Headers;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSource;

/**
 * Sends the requests of {@link HttpConfigStore} over one shared {@link OkHttpClient}: adds the
 * caller's bearer token, retries what is safe to retry, reads bodies within a size limit, and turns
 * every failure into a {@link StoreException}. Thread-safe.
 *
 * <p>OkHttp's own retry on connection failure is off: it resends a request whose connection broke
 * after it was written, which for a write means applying it twice. This class retries instead, and
 * a write only when the server cannot have applied it: the connection failed before the request was
 * written, or the server answered with its own 503 problem (every store failure changes nothing).
 */
final class Transport implements AutoCloseable {
  /** What the transport needs of the store's options (HttpConfigStore.Options has them all). */
  interface Settings {
    Duration connectTimeout();

    Duration readTimeout();

    Duration callTimeout();

    int attempts();

    Duration firstBackoff();

    Duration maxBackoff();

    long maxResponseBytes();

    Path caFile();
  }

  /** How safe a request is to send again. */
  enum Retry {
    /** A read: any failure may be retried. */
    READ,
    /** Repeating it does no harm (a lock heartbeat): retried like a read. */
    IDEMPOTENT,
    /** Retried only when the server cannot have applied it. */
    WRITE,
    /**
     * A write with an idempotency key: the server makes it once, however often it is sent, so it is
     * retried like a read.
     */
    KEYED
  }

  static final MediaType JSON = MediaType.get(MediaTypes.JSON);

  /** Deeper than any server limit: the client reads what the server chose to store. */
  private static final Json.Limits READ_LIMITS = Json.Limits.DEFAULT.withMaxDepth(1000);

  private final OkHttpClient client;
  private final Settings options;
  private final String base;

  Transport(String base, Function<Principal, String> tokens, Settings options) {
    this.base = base;
    this.options = options;
    OkHttpClient.Builder builder = new OkHttpClient.Builder();
    // only then: a plain-HTTP command loads no certificate or trust-store classes of its own
    if (options.caFile() != null && base.startsWith("https:")) {
      CaTrust.trust(builder, options.caFile());
    }
    this.client =
        builder
            .connectTimeout(options.connectTimeout())
            .readTimeout(options.readTimeout())
            .writeTimeout(options.readTimeout())
            .callTimeout(options.callTimeout())
            .retryOnConnectionFailure(false)
            .followRedirects(false)
            .addInterceptor(new BearerToken(tokens))
            .eventListener(new SendTracker())
            .build();
  }

  /** The server's address, for messages. */
  String base() {
    return base;
  }

  /**
   * The client for long-lived streams: the same pool, token and trust, no read or call timeout, and
   * WebSocket pings that find a connection gone dead.
   */
  OkHttpClient streaming() {
    return client
        .newBuilder()
        .readTimeout(Duration.ZERO)
        .callTimeout(Duration.ZERO)
        .pingInterval(STREAM_PING)
        .build();
  }

  private static final Duration STREAM_PING = Duration.ofSeconds(15);

  /** How many times a call is tried before its failure is final. */
  int attempts() {
    return options.attempts();
  }

  /** Whether any byte of the request may have left for the server; set by {@link SendTracker}. */
  private static final class Progress {
    volatile boolean sending;
  }

  private static final class SendTracker extends EventListener {
    @Override
    public void requestHeadersStart(Call call) {
      Progress p = call.request().tag(Progress.class);
      if (p != null) p.sending = true;
    }
  }

  /** A token that no header can carry; refused before anything is sent. */
  private static final class UnsendableToken extends IOException {
    UnsendableToken(String message) {
      super(message);
    }
  }

  /** Authorization: Bearer, with the token the store's function gives for the call's principal. */
  private record BearerToken(Function<Principal, String> tokens) implements Interceptor {
    @Override
    public Response intercept(Chain chain) throws IOException {
      Request r = chain.request();
      Principal who = r.tag(Principal.class);
      String token = who == null ? null : tokens.apply(who);
      if (token == null || token.isEmpty()) return chain.proceed(r);
      for (int i = 0; i < token.length(); i++) {
        char c = token.charAt(i);
        if (c <= 0x20 || c >= 0x7f) {
          throw new UnsendableToken(
              "the token for "
                  + who.id()
                  + " has a character an HTTP"
                  + " header cannot carry (at position "
                  + (i + 1)
                  + "); is the token file right?");
        }
      }
      return chain.proceed(r.newBuilder().header("Authorization", "Bearer " + token).build());
    }
  }

  /** A whole response: status, headers and the body, read within the size limit. */
  record Reply(
      Request request, int status, String reason, Headers headers, MediaType type, byte[] body) {
    String header(String name) {
      return headers.get(name);
    }

    boolean isProblem() {
      return type != null && (type.type() + "/" + type.subtype()).equals(MediaTypes.PROBLEM_JSON);
    }

    boolean isJson() {
      return type != null
          && type.type().equals("application")
          && (type.subtype().equals("json") || type.subtype().endsWith("+json"));
    }

    /** "PATCH http://host:8080/v1/tenants/acme/configs/landing" for messages. */
    String call() {
      return request.method() + " " + request.url();
    }
  }

  /**
   * Sends {@code request} as {@code who}, retrying as {@code retry} allows; the reply when the
   * status is 2xx, else the refusal the reply stands for.
   */
  Reply send(Principal who, Request request, Retry retry) {
    for (int attempt = 1; ; attempt++) {
      Progress progress = new Progress();
      Request r =
          request.newBuilder().tag(Principal.class, who).tag(Progress.class, progress).build();
      Reply reply;
      try (Response response = client.newCall(r).execute()) {
        reply = read(r, response);
      } catch (UnsendableToken e) {
        throw new StoreException(Problem.UNAUTHORIZED, e.getMessage());
      } catch (IOException e) {
        boolean mayHaveArrived = progress.sending;
        boolean again =
            (retry != Retry.WRITE || !mayHaveArrived)
                && !(e instanceof UnknownHostException)
                && !(e instanceof SSLException);
        if (!again || attempt >= options.attempts()) {
          throw unreachable(
              r, e, mayHaveArrived, retry == Retry.WRITE || retry == Retry.KEYED, attempt);
        }
        pause(r, attempt);
        continue;
      }
      if (reply.status() >= 200 && reply.status() < 300) return reply;
      if (reply.status() == 429 && attempt < options.attempts()) {
        // refused unread, so safe to send again once the server says it may be
        long wait = retryAfter(reply);
        if (wait <= MAX_RETRY_AFTER_SECONDS) {
          sleep(r, wait * 1000);
          continue;
        }
      }
      if (worthRetrying(reply, retry) && attempt < options.attempts()) {
        pause(r, attempt);
        continue;
      }
      throw refusal(reply);
    }
  }

  /** The longest a call waits for a rate limit before giving up with the 429. */
  private static final long MAX_RETRY_AFTER_SECONDS = 10;

  /** Retry-After in seconds (RFC 9110: a number of seconds here), 1 when absent or unreadable. */
  private static long retryAfter(Reply reply) {
    try {
      return Math.max(0, Long.parseLong(reply.header("Retry-After").trim()));
    } catch (RuntimeException e) {
      return 1;
    }
  }

  /**
   * A 503 problem of the server is a refusal before any change; a gateway's 502, 503 or 504 says
   * nothing about whether the server behind it applied a write, so only reads try again.
   */
  private static boolean worthRetrying(Reply reply, Retry retry) {
    int s = reply.status();
    if (s == 503 && reply.isProblem()) return true;
    return retry != Retry.WRITE && (s == 502 || s == 503 || s == 504);
  }

  Reply read(Request request, Response response) throws IOException {
    ResponseBody body = response.body();
    long limit = options.maxResponseBytes();
    BufferedSource source = body.source();
    if (body.contentLength() > limit || source.request(limit + 1)) {
      throw new StoreException(
              Problem.TOO_LARGE,
              request.method()
                  + " "
                  + request.url()
                  + " answered with more than the client's limit of "
                  + limit
                  + " bytes")
          .with("limit", limit);
    }
    return new Reply(
        request,
        response.code(),
        response.message(),
        response.headers(),
        body.contentType(),
        source.readByteArray());
  }

  private void pause(Request request, int attempt) {
    sleep(
        request,
        Math.min(
            options.firstBackoff().toMillis() * (1L << (2 * (attempt - 1))),
            options.maxBackoff().toMillis()));
  }

  private static void sleep(Request request, long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException(
          Problem.UNAVAILABLE,
          "interrupted while waiting to retry " + request.method() + " " + request.url());
    }
  }

  // ---------------------------------------------------------------- failures as problems

  /** {@code r} found no server, after {@code attempts} tries; nothing was written. */
  StoreException unreachable(Request r, IOException e, int attempts) {
    return unreachable(r, e, false, false, attempts);
  }

  private StoreException unreachable(
      Request r, IOException e, boolean sent, boolean write, int attempts) {
    String call = r.method() + " " + r.url();
    String tries = attempts > 1 ? " (" + attempts + " attempts)" : "";
    if (sent && write) {
      return new UnreachableException(
          "lost the connection to "
              + base
              + " during "
              + call
              + " after sending it ("
              + cause(e, true)
              + "); the change may or may not have been"
              + " applied: check the config's history before trying again",
          base,
          "lost");
    }
    if (e instanceof SSLException ssl) {
      // deterministic, never retried; the kind lets the command line say what to do about it
      TlsFailure f = TlsFailure.of(ssl, r.url().host(), options.caFile());
      return new UnreachableException(
              "cannot reach " + base + " for " + call + ": " + f.message(), base, "tls")
          .with("tls", f.kind());
    }
    // a TLS server closes a connection that starts in plain text, without a word
    String kind =
        e instanceof ConnectException
            ? "refused"
            : e instanceof UnknownHostException
                ? "unknown-host"
                : e instanceof InterruptedIOException
                    ? "timeout" // SocketTimeoutException is one too
                    : base.startsWith("http:")
                            && String.valueOf(e.getMessage()).startsWith("unexpected end of")
                        ? "closed"
                        : "broken";
    return new UnreachableException(
        "cannot reach " + base + " for " + call + ": " + cause(e, sent) + tries, base, kind);
  }

  private String cause(IOException e, boolean sent) {
    if (e instanceof ConnectException) return "connection refused";
    if (e instanceof UnknownHostException) return "unknown host " + e.getMessage();
    if (e instanceof SSLException ssl) return TlsFailure.of(ssl, "", options.caFile()).message();
    if (e instanceof SocketTimeoutException && sent) {
      return "no answer within " + options.readTimeout().toMillis() + " ms (read timeout)";
    }
    if (e instanceof SocketTimeoutException) {
      return "no connection within "
          + options.connectTimeout().toMillis()
          + " ms (connect timeout)";
    }
    if (e instanceof InterruptedIOException) {
      return "the call took longer than " + options.callTimeout().toMillis() + " ms (call timeout)";
    }
    String m = e.getMessage();
    return "the connection broke" + (m == null || m.isBlank() ? "" : ": " + m);
  }

  /** The refusal a non-2xx reply stands for: its problem, or what kind of stranger answered. */
  static StoreException refusal(Reply reply) {
    if (reply.isProblem()) {
      JsonNode p = parse(reply.body());
      if (p instanceof ObjectNode o) return ProblemJson.decode(reply.status(), o);
    }
    Problem problem =
        switch (reply.status()) {
          case 401 -> Problem.UNAUTHORIZED;
          case 403 -> Problem.FORBIDDEN;
          case 413 -> Problem.TOO_LARGE;
          case 429 -> Problem.RATE_LIMITED;
          default -> Problem.UNAVAILABLE;
        };
    String hint =
        reply.status() >= 500
            ? " — is a proxy in front of a server that is down?"
            : " — is this the address of `cfgctl serve`?";
    return new StoreException(
        problem,
        reply.call()
            + " answered "
            + reply.status()
            + " "
            + reply.reason()
            + " with "
            + shown(reply)
            + ", not the config API's problem+json"
            + hint);
  }

  /** The JSON body of a 2xx reply, or the refusal of a reply that is not what the API sends. */
  static JsonNode json(Reply reply) {
    JsonNode body = reply.isJson() ? parse(reply.body()) : null;
    if (body == null) throw notTheApi(reply, shown(reply) + " instead of JSON");
    return body;
  }

  /**
   * Reads a 2xx reply's body or headers as {@code what}; any inconsistency is {@link #notTheApi}.
   */
  static <T> T decode(Reply reply, String what, Function<Reply, T> decoder) {
    try {
      return decoder.apply(reply);
    } catch (RuntimeException e) {
      if (e instanceof StoreException s && s.problem() == Problem.UNAVAILABLE) throw s;
      throw notTheApi(reply, "an answer that is not " + what + " (" + e.getMessage() + ")");
    }
  }

  static StoreException notTheApi(Reply reply, String what) {
    boolean write = !reply.request().method().equals("GET");
    return new StoreException(
        Problem.UNAVAILABLE,
        reply.call()
            + " answered "
            + reply.status()
            + " with "
            + what
            + ", not what the config API sends"
            + (write ? "; the change was probably applied: check the config's history" : ""));
  }

  private static JsonNode parse(byte[] body) {
    try {
      return Json.parse(body, READ_LIMITS);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** The body's type and start, printable, for a message: {@code text/html "<html><head>…"}. */
  private static String shown(Reply reply) {
    String type = reply.type() == null ? "no content type" : reply.type().toString();
    if (reply.body().length == 0) return type + " and no body";
    String text =
        new String(reply.body(), 0, Math.min(reply.body().length, 60), StandardCharsets.UTF_8)
            .replaceAll("[\\p{Cntrl}\\uFFFD]", " ")
            .strip();
    return type + " \"" + text + (reply.body().length > 60 ? "…" : "") + "\"";
  }

  @Override
  public void close() {
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }
}
