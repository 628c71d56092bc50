package dev.cfgctl.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cfgctl.patch.Json;
import io.javalin.http.Context;

/** {@code GET /v1/health}: whether the server answers, and its version; no token needed. */
final class HealthHandler {
  private final String version;

  HealthHandler(String version) {
    this.version = version;
  }

  void get(Context ctx) {
    ObjectNode o = Json.NODES.objectNode();
    o.put("status", "ok");
    o.put("version", version);
    Responses.json(ctx, 200, o);
  }
}
