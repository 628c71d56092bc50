package dev.cfgctl.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cfgctl.api.ConfigSummaryJson;
import dev.cfgctl.api.DocumentHeaders;
import dev.cfgctl.api.HeaderText;
import dev.cfgctl.api.LockJson;
import dev.cfgctl.api.MediaTypes;
import dev.cfgctl.api.RevisionJson;
import dev.cfgctl.api.TokenJson;
import dev.cfgctl.client.Transport.Reply;
import dev.cfgctl.client.Transport.Retry;
import dev.cfgctl.patch.Json;
import dev.cfgctl.patch.Patch;
import dev.cfgctl.store.ConfigRef;
import dev.cfgctl.store.ConfigStore;
import dev.cfgctl.store.ConfigStore.Idempotency;
import dev.cfgctl.store.ConfigSummary;
import dev.cfgctl.store.Document;
import dev.cfgctl.store.Lock;
import dev.cfgctl.store.Page;
import dev.cfgctl.store.Presence;
import dev.cfgctl.store.Principal;
import dev.cfgctl.store.Problem;
import dev.cfgctl.store.Revision;
import dev.cfgctl.store.StoreException;
import dev.cfgctl.store.Times;
import dev.cfgctl.store.Token;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * The {@link ConfigStore} of a {@code cfgctl serve} process, through its config API (API.md): the
 * exact inverse of {@code ConfigServer}. Each call is sent with the bearer token that the function
 * given at construction returns for the call's principal; the server decides, from the token, who
 * the caller is. Failures are the server's problems as {@link StoreException}s, and everything else
 * that can go wrong on the way (no server, a proxy's error page, a dropped connection) is a {@link
 * Problem#UNAVAILABLE} that names the URL. Thread-safe: one instance serves any number of threads
 * over one shared connection pool.
 */
public final class HttpConfigStore implements ConfigStore {
  /**
   * Timeouts, retries, limits and trust. A call is tried up to {@code attempts} times, waiting
   * {@code firstBackoff}, then four times as long each time, at most {@code maxBackoff}. An https
   * server's certificate must be signed by a CA in the PEM file {@code caFile}, or, when it is
   * null, by one the JDK trusts.
   */
  public record Options(
      Duration connectTimeout,
      Duration readTimeout,
      Duration callTimeout,
      int attempts,
      Duration firstBackoff,
      Duration maxBackoff,
      long maxResponseBytes,
      Path caFile)
      implements Transport.Settings {
    public static final Options DEFAULT =
        new Options(
            Duration.ofSeconds(5),
            Duration.ofSeconds(30),
            Duration.ofSeconds(60),
            3,
            Duration.ofMillis(100),
            Duration.ofMillis(400),
            64L << 20,
            null);

    public Options {
      if (attempts < 1
          || maxResponseBytes < 1
          || firstBackoff.isNegative()
          || maxBackoff.compareTo(firstBackoff) < 0) {
        throw new IllegalArgumentException("inconsistent HTTP client options");
      }
    }

    /**
     * These options, trusting only the CA certificates in the PEM file {@code caFile} (null: the
     * JDK's), as curl's --cacert and kubectl's certificate-authority do.
     */
    public Options withCaFile(Path caFile) {
      return new Options(
          connectTimeout,
          readTimeout,
          callTimeout,
          attempts,
          firstBackoff,
          maxBackoff,
          maxResponseBytes,
          caFile);
    }
  }

  private static final MediaType JSON_PATCH = MediaType.get(MediaTypes.JSON_PATCH);
  private static final MediaType MERGE_PATCH = MediaType.get(MediaTypes.MERGE_PATCH);

  private final HttpUrl base;
  private final Transport transport;

  /**
   * A store at {@code baseUrl} (e.g. {@code https://cfg.example.com}) that sends one token always.
   */
  public HttpConfigStore(String baseUrl, String token) {
    this(baseUrl, who -> token, Options.DEFAULT);
  }

  /** A store at {@code baseUrl} that sends, for a call made as {@code who}, {@code tokens(who)}. */
  public HttpConfigStore(String baseUrl, Function<Principal, String> tokens) {
    this(baseUrl, tokens, Options.DEFAULT);
  }

  /** A store at {@code baseUrl} that sends one token always, with these options. */
  public HttpConfigStore(String baseUrl, String token, Options options) {
    this(baseUrl, who -> token, options);
  }

  /**
   * A store at {@code baseUrl} that sends, for a call made as {@code who}, {@code tokens(who)}.
   * Throws {@link Problem#INVALID_REQUEST} for an address that is not an http(s) URL, or a CA file
   * (for an https one) that holds no usable certificate.
   */
  public HttpConfigStore(String baseUrl, Function<Principal, String> tokens, Options options) {
    HttpUrl url = baseUrl == null ? null : HttpUrl.parse(baseUrl);
    if (url == null) {
      throw new StoreException(
          Problem.INVALID_REQUEST,
          "the server address must be an http:// or"
              + " https:// URL, not "
              + (baseUrl == null ? "nothing" : "\"" + baseUrl + "\""));
    }
    this.base = url;
    String shown = url.toString();
    this.transport =
        new Transport(
            shown.endsWith("/") ? shown.substring(0, shown.length() - 1) : shown, tokens, options);
  }

  // ---------------------------------------------------------------- documents

  @Override
  public Document get(Principal who, ConfigRef ref) {
    return document(ref, transport.send(who, get(config(ref).build()), Retry.READ));
  }

  @Override
  public Document get(Principal who, ConfigRef ref, long version) {
    HttpUrl url = config(ref).addQueryParameter("version", Long.toString(version)).build();
    return document(ref, transport.send(who, get(url), Retry.READ));
  }

  @Override
  public Page<ConfigSummary> list(
      Principal who, String tenant, String prefix, int limit, String after) {
    HttpUrl.Builder url =
        tenant(tenant)
            .addPathSegment("configs")
            .addQueryParameter("limit", Integer.toString(Math.max(1, Math.min(limit, 1000))));
    if (prefix != null && !prefix.isEmpty()) url.addQueryParameter("prefix", prefix);
    if (after != null) url.addQueryParameter("after", after);
    Reply r = transport.send(who, get(url.build()), Retry.READ);
    return Transport.decode(
        r, "a page of configs", x -> ConfigSummaryJson.decode(Transport.json(x)));
  }

  @Override
  public Document create(Principal who, ConfigRef ref, JsonNode content, Write write) {
    return written(
        who, ref, write, write(config(ref), write).header("If-None-Match", "*").put(json(content)));
  }

  @Override
  public Document save(
      Principal who, ConfigRef ref, JsonNode content, Long expectedVersion, Write write) {
    return written(
        who, ref, write, ifMatch(write(config(ref), write), expectedVersion).put(json(content)));
  }

  @Override
  public Document patch(
      Principal who, ConfigRef ref, Patch patch, Long expectedVersion, Write write) {
    return written(
        who,
        ref,
        write,
        ifMatch(write(config(ref), write), expectedVersion)
            .patch(body(patch.toJson(), JSON_PATCH)));
  }

  @Override
  public Document mergePatch(
      Principal who, ConfigRef ref, JsonNode mergePatch, Long expectedVersion, Write write) {
    return written(
        who,
        ref,
        write,
        ifMatch(write(config(ref), write), expectedVersion).patch(body(mergePatch, MERGE_PATCH)));
  }

  /** Sends a content write, asking for the new content back (a Document carries it). */
  private Document written(Principal who, ConfigRef ref, Write write, Request.Builder request) {
    Request r =
        request
            .header("Prefer", write.minimal() ? "return=minimal" : "return=representation")
            .build();
    return document(ref, transport.send(who, r, Retry.KEYED), write.minimal());
  }

  @Override
  public long delete(Principal who, ConfigRef ref, long expectedVersion, Write write) {
    Request r = ifMatch(write(config(ref), write), expectedVersion).delete().build();
    Reply reply = transport.send(who, r, Retry.KEYED);
    return Transport.decode(reply, "a new version", x -> DocumentHeaders.readVersion(x::header));
  }

  // ---------------------------------------------------------------- history

  @Override
  public Page<Revision> history(Principal who, ConfigRef ref, HistoryQuery q) {
    HttpUrl.Builder url =
        config(ref)
            .addPathSegment("history")
            .addQueryParameter("limit", Integer.toString(Math.max(1, Math.min(q.limit(), 1000))));
    if (q.before() != null) url.addQueryParameter("before", Long.toString(q.before()));
    if (q.author() != null) url.addQueryParameter("author", q.author());
    if (q.since() != null) url.addQueryParameter("since", Times.format(q.since()));
    if (q.until() != null) url.addQueryParameter("until", Times.format(q.until()));
    Reply r = transport.send(who, get(url.build()), Retry.READ);
    return Transport.decode(
        r, "a page of revisions", x -> RevisionJson.decodeHistory(ref, Transport.json(x)));
  }

  @Override
  public Revision revision(Principal who, ConfigRef ref, long version) {
    HttpUrl url =
        config(ref).addPathSegment("revisions").addPathSegment(Long.toString(version)).build();
    Reply r = transport.send(who, get(url), Retry.READ);
    return Transport.decode(r, "a revision", x -> RevisionJson.decode(ref, Transport.json(x)));
  }

  @Override
  public List<Revision> undo(
      Principal who, ConfigRef ref, boolean any, int steps, Long expectedVersion, Write write) {
    ObjectNode body = Json.NODES.objectNode();
    body.put("scope", any ? "any" : "mine");
    body.put("steps", steps);
    return revert(who, ref, "undo", body, expectedVersion, write);
  }

  @Override
  public List<Revision> redo(
      Principal who, ConfigRef ref, int steps, Long expectedVersion, Write write) {
    ObjectNode body = Json.NODES.objectNode();
    body.put("steps", steps);
    return revert(who, ref, "redo", body, expectedVersion, write);
  }

  private List<Revision> revert(
      Principal who,
      ConfigRef ref,
      String action,
      ObjectNode body,
      Long expectedVersion,
      Write write) {
    Request r =
        ifMatch(write(config(ref).addPathSegment(action), write), expectedVersion)
            .post(json(body))
            .build();
    Reply reply = transport.send(who, r, Retry.KEYED);
    return Transport.decode(
        reply, "a list of revisions", x -> RevisionJson.decodeList(ref, Transport.json(x)));
  }

  @Override
  public Revision rollback(
      Principal who, ConfigRef ref, long toVersion, long expectedVersion, Write write) {
    ObjectNode body = Json.NODES.objectNode();
    body.put("toVersion", toVersion);
    Request r =
        ifMatch(write(config(ref).addPathSegment("rollback"), write), expectedVersion)
            .post(json(body))
            .build();
    Reply reply = transport.send(who, r, Retry.KEYED);
    return Transport.decode(reply, "a revision", x -> RevisionJson.decode(ref, Transport.json(x)));
  }

  // ---------------------------------------------------------------- locks

  @Override
  public Lock acquire(Principal who, ConfigRef ref, LockRequest req) {
    ObjectNode body = Json.NODES.objectNode();
    if (req.ttlSeconds() != null) body.put("ttlSeconds", req.ttlSeconds());
    if (req.client() != null) body.put("client", req.client());
    if (req.note() != null) body.put("note", req.note());
    body.put("takeOver", req.takeOver());
    if (req.reason() != null) body.put("reason", req.reason());
    Request r =
        new Request.Builder()
            .url(config(ref).addPathSegment("lock").build())
            .header("Idempotency-Key", idempotencyKey(req.idempotency()))
            .post(json(body))
            .build();
    return lock(transport.send(who, r, Retry.KEYED));
  }

  @Override
  public Lock extend(Principal who, ConfigRef ref, String lockId, Long ttlSeconds) {
    ObjectNode body = Json.NODES.objectNode();
    if (ttlSeconds != null) body.put("ttlSeconds", ttlSeconds);
    Request r = new Request.Builder().url(lockUrl(ref, lockId)).put(json(body)).build();
    return lock(transport.send(who, r, Retry.IDEMPOTENT));
  }

  @Override
  public void release(Principal who, ConfigRef ref, String lockId) {
    transport.send(
        who, new Request.Builder().url(lockUrl(ref, lockId)).delete().build(), Retry.WRITE);
  }

  @Override
  public void forceRelease(Principal who, ConfigRef ref, String reason) {
    HttpUrl.Builder url = config(ref).addPathSegment("lock").addQueryParameter("force", "true");
    if (reason != null) url.addQueryParameter("reason", reason);
    transport.send(who, new Request.Builder().url(url.build()).delete().build(), Retry.WRITE);
  }

  @Override
  public Optional<Lock> lock(Principal who, ConfigRef ref) {
    try {
      return Optional.of(
          lock(transport.send(who, get(config(ref).addPathSegment("lock").build()), Retry.READ)));
    } catch (StoreException e) {
      if (e.problem() == Problem.NO_LOCK) return Optional.empty();
      throw e;
    }
  }

  @Override
  public List<Presence> sessions(Principal who, ConfigRef ref) {
    Reply r = transport.send(who, get(config(ref).addPathSegment("sessions").build()), Retry.READ);
    return Transport.decode(
        r,
        "a list of sessions",
        x -> {
          List<Presence> sessions = new java.util.ArrayList<>();
          Transport.json(x).path("items").forEach(p -> sessions.add(Presence.fromJson(ref, p)));
          return sessions;
        });
  }

  @Override
  public List<Lock> locks(Principal who, String tenant, Long staleAfterSeconds) {
    HttpUrl.Builder url = tenant(tenant).addPathSegment("locks");
    if (staleAfterSeconds != null)
      url.addQueryParameter("staleAfter", staleAfterSeconds.toString());
    Reply r = transport.send(who, get(url.build()), Retry.READ);
    return Transport.decode(r, "a list of locks", x -> LockJson.decodeList(Transport.json(x)));
  }

  private static Lock lock(Reply reply) {
    return Transport.decode(reply, "a lock", x -> LockJson.decode(Transport.json(x)));
  }

  /** A lock's URL; ids that would not stay one path segment are no lock's, as the server says. */
  private HttpUrl lockUrl(ConfigRef ref, String lockId) {
    if (lockId == null || lockId.isEmpty() || lockId.equals(".") || lockId.equals("..")) {
      throw new StoreException(Problem.LOCK_LOST, "lock " + lockId + " is not a lock of " + ref)
          .with("reason", "unknown");
    }
    return config(ref).addPathSegment("lock").addPathSegment(lockId).build();
  }

  // ---------------------------------------------------------------- tokens

  @Override
  public Token.Issued createToken(Principal who, Principal subject, Integer expiresInDays) {
    ObjectNode body = Json.NODES.objectNode();
    body.put("user", subject.id());
    body.put("displayName", subject.name());
    body.put("tenant", subject.tenant());
    body.put("role", subject.role().label());
    if (expiresInDays != null) body.put("expiresInDays", expiresInDays);
    Request r = new Request.Builder().url(tokensUrl().build()).post(json(body)).build();
    Reply reply = transport.send(who, r, Retry.WRITE);
    return Transport.decode(reply, "a new token", x -> TokenJson.decodeIssued(Transport.json(x)));
  }

  @Override
  public List<Token> tokens(Principal who) {
    Reply r = transport.send(who, get(tokensUrl().build()), Retry.READ);
    return Transport.decode(r, "a list of tokens", x -> TokenJson.decodeList(Transport.json(x)));
  }

  @Override
  public void revokeToken(Principal who, String id) {
    if (id == null || id.isEmpty() || id.equals(".") || id.equals("..")) {
      throw new StoreException(Problem.NOT_FOUND, "no token " + id);
    }
    Request r = new Request.Builder().url(tokensUrl().addPathSegment(id).build()).delete().build();
    transport.send(who, r, Retry.WRITE);
  }

  /**
   * Not available over HTTP: the config API has no route that tells who a token stands for (the
   * server authenticates every request itself). Always refuses.
   */
  @Override
  public Principal authenticate(String secret) {
    throw new StoreException(
        Problem.INVALID_REQUEST,
        "the config API of "
            + transport.base()
            + " has no route that tells who a token stands for; a token is checked by using it");
  }

  /**
   * The change stream of {@code ref} after {@code since} (null: a snapshot first), as {@code who},
   * to {@code listener}; it starts with {@link EventStream#run}.
   */
  public EventStream events(
      Principal who, ConfigRef ref, Long since, EventStream.Listener listener) {
    return new EventStream(
        transport, who, config(ref).addPathSegment("events").build(), since, listener);
  }

  @Override
  public void close() {
    transport.close();
  }

  // ---------------------------------------------------------------- requests and replies

  private HttpUrl.Builder tenant(String tenant) {
    return base.newBuilder()
        .addPathSegment("v1")
        .addPathSegment("tenants")
        .addPathSegment(ConfigRef.checkName(tenant));
  }

  private HttpUrl.Builder config(ConfigRef ref) {
    return tenant(ref.tenant()).addPathSegment("configs").addPathSegment(ref.name());
  }

  private HttpUrl.Builder tokensUrl() {
    return base.newBuilder().addPathSegment("v1").addPathSegment("tokens");
  }

  private static Request get(HttpUrl url) {
    return new Request.Builder().url(url).get().build();
  }

  /**
   * A write's request, with its lock id, change message and idempotency key: the caller's, or a new
   * one, so that the write can be sent again after a lost answer and is still made once.
   */
  private static Request.Builder write(HttpUrl.Builder url, Write w) {
    if (w.rebase()) url.addQueryParameter("rebase", "true");
    Request.Builder b = new Request.Builder().url(url.build());
    Headers.Builder h = new Headers.Builder();
    h.add("Idempotency-Key", idempotencyKey(w.idempotency()));
    if (w.lockId() != null) {
      if (!printable(w.lockId())) {
        throw new StoreException(Problem.INVALID_REQUEST, "Lock-Id is not a lock id");
      }
      h.add("Lock-Id", w.lockId());
    }
    if (w.message() != null) {
      if (w.message().chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
        throw new StoreException(
            Problem.INVALID_REQUEST,
            "a change message sent to a server is one"
                + " line: no line breaks or control characters (it travels as the Change-Message"
                + " header)");
      }
      h.add("Change-Message", HeaderText.encode(w.message())); // API.md: percent-encoded UTF-8
    }
    return b.headers(h.build());
  }

  /** The key as the draft spells it, a structured-field string; a random one if none is given. */
  private static String idempotencyKey(Idempotency key) {
    String k = key != null ? key.key() : java.util.UUID.randomUUID().toString();
    if (!printable(k) || k.contains("\"") || k.length() > 255) {
      throw new StoreException(
          Problem.INVALID_REQUEST,
          "an idempotency key is 1 to 255 visible" + " ASCII characters without quotes");
    }
    return "\"" + k + "\"";
  }

  private static boolean printable(String s) {
    return s.chars().allMatch(c -> c > 0x20 && c < 0x7f);
  }

  private static Request.Builder ifMatch(Request.Builder b, Long expectedVersion) {
    if (expectedVersion == null) return b;
    return b.header(
        "If-Match", expectedVersion == FORCE ? "*" : DocumentHeaders.etag(expectedVersion));
  }

  private static RequestBody json(JsonNode body) {
    return body(body, Transport.JSON);
  }

  private static RequestBody body(JsonNode body, MediaType type) {
    return RequestBody.create(Json.compact(body).getBytes(StandardCharsets.UTF_8), type);
  }

  /** A document from a reply's headers (version, author, time) and body (the content). */
  private static Document document(ConfigRef ref, Reply reply) {
    return document(ref, reply, false);
  }

  /** The document of a response; without content when the write asked for a minimal answer. */
  private static Document document(ConfigRef ref, Reply reply, boolean minimal) {
    return Transport.decode(
        reply,
        "a config",
        r -> DocumentHeaders.read(ref, r::header, minimal ? null : Transport.json(r)));
  }
}
