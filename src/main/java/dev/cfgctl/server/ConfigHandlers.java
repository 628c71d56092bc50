package dev.cfgctl.server;

import static dev.cfgctl.server.Requests.ref;
import static dev.cfgctl.server.Requests.who;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cfgctl.api.ConfigSummaryJson;
import dev.cfgctl.api.MediaTypes;
import dev.cfgctl.patch.Patch;
import dev.cfgctl.store.ConfigStore;
import dev.cfgctl.store.ConfigStore.Write;
import dev.cfgctl.store.Document;
import dev.cfgctl.store.Problem;
import dev.cfgctl.store.StoreException;
import io.javalin.http.Context;
import java.time.Duration;

/**
 * Configs: list a tenant's, and read, create, replace, patch and delete one, with ETags and
 * preconditions. Thread-safe.
 */
final class ConfigHandlers {
  private final ConfigStore store;
  private final Requests.Limits limits;
  private final Duration timeBudget;

  ConfigHandlers(ConfigStore store, Requests.Limits limits, Duration timeBudget) {
    this.store = store;
    this.limits = limits;
    this.timeBudget = timeBudget;
  }

  void list(Context ctx) {
    Long limit = Requests.longParam(ctx, "limit", 1, 1000);
    Responses.json(
        ctx,
        200,
        ConfigSummaryJson.encode(
            store.list(
                who(ctx),
                ctx.pathParam("tenant"),
                Requests.textParam(ctx, "prefix"),
                limit == null ? 100 : limit.intValue(),
                Requests.textParam(ctx, "after"))));
  }

  void get(Context ctx) {
    Long version = Requests.longParam(ctx, "version", 1, Long.MAX_VALUE);
    Document d =
        version == null ? store.get(who(ctx), ref(ctx)) : store.get(who(ctx), ref(ctx), version);
    Responses.document(ctx, d);
    Long none = Requests.ifNoneMatch(ctx);
    if (none != null && none == d.version()) {
      ctx.status(304);
      return;
    }
    Responses.json(ctx, 200, d.content());
  }

  void put(Context ctx) {
    Requests.requireType(ctx, MediaTypes.JSON);
    JsonNode content = Requests.json(ctx, limits);
    Write w = Requests.write(ctx, timeBudget);
    String none = ctx.header("If-None-Match");
    Long match = Requests.ifMatch(ctx);
    if (none != null) {
      if (!none.trim().equals("*") || match != null) {
        throw new StoreException(
            Problem.INVALID_REQUEST,
            "create with If-None-Match: * alone;"
                + " replace with If-Match: \"N\" (or * to force)");
      }
      Responses.written(ctx, 201, store.create(who(ctx), ref(ctx), content, w));
      return;
    }
    Responses.written(ctx, 200, store.save(who(ctx), ref(ctx), content, match, w));
  }

  void patch(Context ctx) {
    String type = Requests.mediaType(ctx);
    Document d;
    if (type.equals(MediaTypes.JSON_PATCH)) {
      JsonNode body = Requests.json(ctx, limits);
      if (body.isArray() && body.size() > limits.maxOps()) {
        throw new StoreException(
                Problem.TOO_MANY_OPS,
                "the patch has " + body.size() + " operations; the limit is " + limits.maxOps())
            .with("limit", limits.maxOps());
      }
      d =
          store.patch(
              who(ctx),
              ref(ctx),
              Patch.fromJson(body),
              Requests.ifMatch(ctx),
              Requests.write(ctx, timeBudget));
    } else if (type.equals(MediaTypes.MERGE_PATCH)) {
      JsonNode body = Requests.json(ctx, limits);
      d =
          store.mergePatch(
              who(ctx), ref(ctx), body, Requests.ifMatch(ctx), Requests.write(ctx, timeBudget));
    } else {
      throw new StoreException(
          Problem.UNSUPPORTED_MEDIA_TYPE,
          "PATCH takes Content-Type"
              + " application/json-patch+json (RFC 6902) or application/merge-patch+json (RFC 7396),"
              + " not "
              + (type.isEmpty() ? "none" : type));
    }
    Responses.written(ctx, 200, d);
  }

  void delete(Context ctx) {
    Long match = Requests.ifMatch(ctx);
    if (match == null) throw Requests.preconditionRequired(ctx, "deleting");
    long v = store.delete(who(ctx), ref(ctx), match, Requests.write(ctx, timeBudget));
    Responses.newVersion(ctx, v);
    ctx.status(204);
  }
}
