package dev.cfgctl.server;

import dev.cfgctl.app.ChangeFeed;
import dev.cfgctl.app.ConfigService;
import dev.cfgctl.store.ConfigStore;
import dev.cfgctl.store.Problem;
import dev.cfgctl.store.StoreException;
import io.javalin.Javalin;
import io.javalin.config.RoutesConfig;
import io.javalin.websocket.WsHandlerType;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.websocket.core.server.WebSocketServerComponents;

/**
 * The config API of API.md over a {@link ConfigStore}, and its lifecycle: start, graceful stop. The
 * requests go through {@link AuthFilter}, then the handler {@link Routes} names; every failure
 * becomes problem+json in {@link ExceptionMapper}. The store decides everything else, so the server
 * and the embedded store behave the same. Thread-safe.
 */
public final class ConfigServer implements AutoCloseable {
  private static final String COUNTED = "cfgctl.counted";

  /**
   * What the server takes and how fast: the limits of a request, the time budget of a write (one
   * that has not finished by then is abandoned, unchanged, with a 503), and per-principal rates of
   * requests and of writes (429 beyond; bursts of two seconds' worth are let through).
   */
  public record Options(
      long maxBodyBytes,
      int maxDepth,
      int maxOps,
      Duration timeBudget,
      double requestsPerSecond,
      double writesPerSecond) {
    public static final Options DEFAULT =
        new Options(5L * 1024 * 1024, 200, 10_000, Duration.ofSeconds(10), 1000, 500);

    public Options {
      if (maxBodyBytes < 1
          || maxDepth < 1
          || maxOps < 1
          || timeBudget.isNegative()
          || timeBudget.isZero()
          || requestsPerSecond <= 0
          || writesPerSecond <= 0) {
        throw new IllegalArgumentException("server options must be positive");
      }
    }
  }

  private final Requests.Limits limits;
  private final List<Routes.Route> routeTable;
  private final AuthFilter auth;
  private final BodyRoom bodies;
  private final ExceptionMapper exceptions;
  private final ChangeFeed feed;
  private final EventHandlers events;
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile boolean draining;
  private Javalin app;

  public ConfigServer(
      ConfigService store,
      long maxBodyBytes,
      int maxDepth,
      int maxOps,
      Clock clock,
      PrintStream log,
      String version) {
    this(
        store,
        new Options(
            maxBodyBytes,
            maxDepth,
            maxOps,
            Options.DEFAULT.timeBudget(),
            Options.DEFAULT.requestsPerSecond(),
            Options.DEFAULT.writesPerSecond()),
        clock,
        log,
        version);
  }

  public ConfigServer(
      ConfigService store, Options options, Clock clock, PrintStream log, String version) {
    this(store, options, ChangeFeed.Settings.DEFAULT, clock, log, version);
  }

  public ConfigServer(
      ConfigService store,
      Options options,
      ChangeFeed.Settings stream,
      Clock clock,
      PrintStream log,
      String version) {
    this.feed = store.changeFeed(stream);
    this.limits = new Requests.Limits(options.maxBodyBytes(), options.maxDepth(), options.maxOps());
    this.bodies = new BodyRoom(options.maxBodyBytes(), options.timeBudget());
    this.auth =
        new AuthFilter(store, options.requestsPerSecond(), options.writesPerSecond(), bodies);
    this.exceptions = new ExceptionMapper(() -> draining, log);
    this.events = new EventHandlers(store, feed, auth, limits, options.timeBudget());
    Duration budget = options.timeBudget();
    this.routeTable =
        Routes.of(
            new HealthHandler(version),
            new ConfigHandlers(store, limits, budget),
            new HistoryHandlers(store),
            new RevertHandlers(store, limits, budget),
            new LockHandlers(store, limits, clock),
            new TokenHandlers(store, limits),
            events);
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
    app =
        Javalin.create(
            config -> {
              if (tls != null) {
                config.jetty.addConnector(
                    (server, http) -> {
                      // the only connector: requests learn they came over TLS (ctx.scheme() is
                      // https)
                      http.addCustomizer(new SecureRequestCustomizer());
                      ServerConnector connector =
                          new ServerConnector(
                              server,
                              new SslConnectionFactory(
                                  tls.factory(), HttpVersion.HTTP_1_1.asString()),
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
              // encoded slashes and dot segments reach the router, which refuses them as invalid
              // names
              config.jetty.modifyHttpConfiguration(
                  h -> {
                    h.setUriCompliance(UriCompliance.LEGACY);
                    // Jetty caches header lines per connection; a case-insensitive cache hands the
                    // handler the
                    // value of an earlier line that differs only in case (a token or lock id that
                    // is not ours)
                    h.setHeaderCacheCaseSensitive(true);
                  });
              config.jetty.modifyServer(server -> server.setErrorHandler(new JettyErrors()));
              // no permessage-deflate: zlib's state costs ~200 KB of native memory per socket and
              // half the fan-out's CPU, for messages that are mostly small (docs/benchmarks.md)
              config.jetty.modifyServletContextHandler(
                  h ->
                      h.addEventListener(
                          new org.eclipse.jetty.util.component.LifeCycle.Listener() {
                            @Override
                            public void lifeCycleStarting(
                                org.eclipse.jetty.util.component.LifeCycle event) {
                              WebSocketServerComponents.ensureWebSocketComponents(h.getServer(), h)
                                  .getExtensionRegistry()
                                  .unregister("permessage-deflate");
                            }
                          }));
              install(config.routes);
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
    java.util.Set<String> routes = new java.util.TreeSet<>();
    app.unsafe.internalRouter.allHttpHandlers().stream()
        .map(e -> e.endpoint)
        .filter(e -> e.method.isHttpMethod())
        .forEach(e -> routes.add(e.method.name() + " " + e.path));
    app.unsafe.internalRouter.allWsHandlers().stream()
        .filter(e -> e.getType() == WsHandlerType.WEBSOCKET)
        .forEach(e -> routes.add("GET " + e.getPath()));
    return List.copyOf(routes);
  }

  /**
   * Graceful stop: new requests get 503, requests in flight (writes included) finish, up to {@code
   * waitMillis}; then the listener closes. The store is the caller's to close.
   */
  public void stop(long waitMillis) {
    draining = true;
    feed.close(); // the streams end first: their clients reconnect to another server
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

  private void install(RoutesConfig r) {
    r.before(
        ctx -> {
          // counted before the check, so that stop() either waits for this request or it is
          // refused;
          // checked first, a request could slip past stop() and write while the store closes
          inFlight.incrementAndGet();
          if (draining) {
            inFlight.decrementAndGet();
            ctx.header("Connection", "close");
            throw new StoreException(Problem.UNAVAILABLE, "the server is shutting down");
          }
          ctx.attribute(COUNTED, Boolean.TRUE);
          Requests.start(ctx);
        });
    r.after(
        ctx -> {
          if (ctx.attribute(COUNTED) != null) inFlight.decrementAndGet();
          bodies.release(ctx);
        });
    r.beforeMatched(auth);
    routeTable.forEach(route -> r.addHttpHandler(route.method(), route.path(), route.handler()));
    r.addWsHandler(WsHandlerType.WEBSOCKET, Routes.EVENTS, events::webSocket);
    r.addWsHandler(WsHandlerType.WEBSOCKET, Routes.TENANT_EVENTS, events::tenantWebSocket);
    exceptions.install(r);
  }
}
