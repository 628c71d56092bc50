package dev.cfgctl.server;

import static io.javalin.http.HandlerType.DELETE;
import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.PATCH;
import static io.javalin.http.HandlerType.POST;
import static io.javalin.http.HandlerType.PUT;
import static io.javalin.http.HandlerType.WEBSOCKET_BEFORE_UPGRADE;

import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.util.List;

/** The config API's route table (API.md, openapi.yaml): method and path to each handler. */
final class Routes {
  /** The one route that needs no token. */
  static final String HEALTH = "/v1/health";

  private static final String TENANT = "/v1/tenants/{tenant}";
  private static final String CONFIG = TENANT + "/configs/{name}";

  /** A config's change stream: a WebSocket, or Server-Sent Events (see {@link EventHandlers}). */
  static final String EVENTS = CONFIG + "/events";

  /** A tenant's change stream: every config's new revisions, summed up. */
  static final String TENANT_EVENTS = TENANT + "/events";

  /** One route: requests for {@code method} on {@code path} go to {@code handler}. */
  record Route(HandlerType method, String path, Handler handler) {}

  private Routes() {}

  static List<Route> of(
      HealthHandler health,
      ConfigHandlers configs,
      HistoryHandlers history,
      RevertHandlers reverts,
      LockHandlers locks,
      TokenHandlers tokens,
      EventHandlers events) {
    return List.of(
        new Route(GET, HEALTH, health::get),
        new Route(GET, TENANT + "/configs", configs::list),
        new Route(GET, CONFIG, configs::get),
        new Route(PUT, CONFIG, configs::put),
        new Route(PATCH, CONFIG, configs::patch),
        new Route(DELETE, CONFIG, configs::delete),
        new Route(GET, CONFIG + "/history", history::history),
        new Route(GET, EVENTS, events::serverSentEvents),
        new Route(WEBSOCKET_BEFORE_UPGRADE, EVENTS, events::beforeUpgrade),
        new Route(GET, TENANT_EVENTS, events::tenantServerSentEvents),
        new Route(GET, CONFIG + "/sessions", events::sessions),
        new Route(WEBSOCKET_BEFORE_UPGRADE, TENANT_EVENTS, events::beforeTenantUpgrade),
        new Route(GET, CONFIG + "/revisions/{version}", history::revision),
        new Route(POST, CONFIG + "/undo", reverts::undo),
        new Route(POST, CONFIG + "/redo", reverts::redo),
        new Route(POST, CONFIG + "/rollback", reverts::rollback),
        new Route(GET, CONFIG + "/lock", locks::get),
        new Route(POST, CONFIG + "/lock", locks::acquire),
        new Route(PUT, CONFIG + "/lock/{id}", locks::extend),
        new Route(DELETE, CONFIG + "/lock/{id}", locks::release),
        new Route(DELETE, CONFIG + "/lock", locks::forceRelease),
        new Route(GET, TENANT + "/locks", locks::list),
        new Route(POST, "/v1/tokens", tokens::create),
        new Route(GET, "/v1/tokens", tokens::list),
        new Route(DELETE, "/v1/tokens/{id}", tokens::revoke));
  }
}
