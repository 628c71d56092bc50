package dev.cfgctl.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cfgctl.app.ChangeFeed;
import dev.cfgctl.app.ConfigService;
import dev.cfgctl.patch.Json;
import dev.cfgctl.store.Principal;
import dev.cfgctl.store.Role;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;

/**
 * A real server on a random loopback port over a real store (over https when given a {@link
 * ServerTls}), and a small client for it.
 */
public final class TestServer implements AutoCloseable {
  public final ConfigService store;
  public final ConfigServer server;
  public final String base;
  public final String adminToken;
  public final ByteArrayOutputStream log = new ByteArrayOutputStream();
  private final HttpClient http;

  public TestServer(ConfigService store, Clock clock) {
    this(store, clock, UNLIMITED_RATES, null, null);
  }

  /** With change streams that ping, time out and check tokens as {@code stream} says. */
  public TestServer(ConfigService store, Clock clock, ChangeFeed.Settings stream) {
    this(store, clock, UNLIMITED_RATES, stream, null, null);
  }

  /** The server's defaults, but rates no test of throughput reaches. */
  public static final ConfigServer.Options UNLIMITED_RATES =
      new ConfigServer.Options(
          ConfigServer.Options.DEFAULT.maxBodyBytes(),
          ConfigServer.Options.DEFAULT.maxDepth(),
          ConfigServer.Options.DEFAULT.maxOps(),
          ConfigServer.Options.DEFAULT.timeBudget(),
          1e9,
          1e9);

  public TestServer(ConfigService store, Clock clock, ConfigServer.Options options) {
    this(store, clock, options, null, null);
  }

  /** Over https with {@code tls}; this class's own client trusts what {@code trust} trusts. */
  public TestServer(
      ConfigService store, Clock clock, ServerTls tls, javax.net.ssl.SSLContext trust) {
    this(store, clock, UNLIMITED_RATES, tls, trust);
  }

  private TestServer(
      ConfigService store,
      Clock clock,
      ConfigServer.Options options,
      ServerTls tls,
      javax.net.ssl.SSLContext trust) {
    this(store, clock, options, ChangeFeed.Settings.DEFAULT, tls, trust);
  }

  private TestServer(
      ConfigService store,
      Clock clock,
      ConfigServer.Options options,
      ChangeFeed.Settings stream,
      ServerTls tls,
      javax.net.ssl.SSLContext trust) {
    this.store = store;
    this.adminToken = store.bootstrapAdmin().map(t -> t.secret()).orElse(null); // null: restarted
    this.server =
        new ConfigServer(
                store,
                options,
                stream,
                clock,
                new PrintStream(log, true, StandardCharsets.UTF_8),
                "test")
            .start("127.0.0.1", 0, tls);
    this.base = (tls != null ? "https" : "http") + "://127.0.0.1:" + server.port();
    HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
    this.http = (trust != null ? b.sslContext(trust) : b).build();
  }

  /** A token for a new principal, made through the API. */
  public String token(String user, String tenant, Role role) {
    Response r =
        send(
            "POST",
            "/v1/tokens",
            adminToken,
            "application/json",
            "{\"user\":\""
                + user
                + "\",\"displayName\":\""
                + user
                + "\",\"tenant\":\""
                + tenant
                + "\",\"role\":\""
                + role.label()
                + "\"}");
    if (r.status != 201) throw new IllegalStateException(r.toString());
    return r.json().get("token").asText();
  }

  /** A token for {@code p} (same user, display name, tenant and role), made through the API. */
  public String token(Principal p) {
    com.fasterxml.jackson.databind.node.ObjectNode body = Json.NODES.objectNode();
    body.put("user", p.id());
    body.put("displayName", p.name());
    body.put("tenant", p.tenant());
    body.put("role", p.role().label());
    Response r = send("POST", "/v1/tokens", adminToken, "application/json", Json.compact(body));
    if (r.status != 201) throw new IllegalStateException(r.toString());
    return r.json().get("token").asText();
  }

  public record Response(int status, java.net.http.HttpHeaders headers, String body) {
    public JsonNode json() {
      return Json.parse(body);
    }

    public String header(String name) {
      return headers.firstValue(name).orElse(null);
    }

    /** The problem slug of an error response. */
    public String slug() {
      return json().get("type").asText().replace("/problems/", "");
    }

    /** The status and the start of the body: enough for a failing assertion's message. */
    @Override
    public String toString() {
      return status
          + " "
          + (body.length() > 600
              ? body.substring(0, 600) + "… (" + body.length() + " characters)"
              : body);
    }
  }

  public Response send(
      String method,
      String path,
      String token,
      String contentType,
      String body,
      String... headers) {
    return send(
        method,
        path,
        token,
        contentType,
        body == null ? null : body.getBytes(StandardCharsets.UTF_8),
        headers);
  }

  public Response send(
      String method,
      String path,
      String token,
      String contentType,
      byte[] body,
      String... headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    if (token != null) b.header("Authorization", "Bearer " + token);
    if (contentType != null) b.header("Content-Type", contentType);
    for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
    try {
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(r.statusCode(), r.headers(), r.body());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public static Principal admin() {
    return new Principal("admin", "admin", Principal.ALL_TENANTS, Role.ADMIN);
  }

  @Override
  public void close() {
    server.stop(5_000);
    store.close();
  }
}
