package dev.cfgctl.server;

import static dev.cfgctl.server.Requests.ref;
import static dev.cfgctl.server.Requests.who;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cfgctl.api.LockJson;
import dev.cfgctl.store.ConfigStore;
import dev.cfgctl.store.ConfigStore.LockRequest;
import dev.cfgctl.store.Lock;
import dev.cfgctl.store.Problem;
import dev.cfgctl.store.StoreException;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;

/**
 * Edit locks: a config's live lock, acquiring, heartbeating and releasing it (or forcing it
 * released), and a tenant's locks for support. Thread-safe.
 */
final class LockHandlers {
  private final ConfigStore store;
  private final Requests.Limits limits;
  private final Clock clock;

  LockHandlers(ConfigStore store, Requests.Limits limits, Clock clock) {
    this.store = store;
    this.limits = limits;
    this.clock = clock;
  }

  void get(Context ctx) {
    Lock l =
        store
            .lock(who(ctx), ref(ctx))
            .orElseThrow(() -> new StoreException(Problem.NO_LOCK, ref(ctx) + " has no live lock"));
    Responses.json(ctx, 200, LockJson.encodePublic(l));
  }

  void acquire(Context ctx) {
    JsonNode body = Requests.object(ctx, limits, true);
    JsonNode takeOver = body.get("takeOver");
    if (takeOver != null && !takeOver.isBoolean() && !takeOver.isNull()) {
      throw new StoreException(Problem.INVALID_REQUEST, "\"takeOver\" must be true or false");
    }
    Lock l =
        store.acquire(
            who(ctx),
            ref(ctx),
            new LockRequest(
                Requests.longMember(body, "ttlSeconds"), Requests.textMember(body, "client", 200),
                Requests.textMember(body, "note", 500), takeOver != null && takeOver.asBoolean(),
                Requests.textMember(body, "reason", 500), Requests.idempotency(ctx)));
    Responses.markReplayed(ctx);
    Responses.json(ctx, 201, LockJson.encode(l));
  }

  void extend(Context ctx) {
    JsonNode body = Requests.object(ctx, limits, true);
    Lock l =
        store.extend(
            who(ctx), ref(ctx), ctx.pathParam("id"), Requests.longMember(body, "ttlSeconds"));
    Responses.json(ctx, 200, LockJson.encode(l));
  }

  void release(Context ctx) {
    store.release(who(ctx), ref(ctx), ctx.pathParam("id"));
    ctx.status(204);
  }

  void forceRelease(Context ctx) {
    if (!"true".equals(ctx.queryParam("force"))) {
      throw new StoreException(
          Problem.INVALID_REQUEST,
          "releasing a lock without its id needs"
              + " ?force=true (admins only); the holder releases with DELETE …/lock/{id}");
    }
    store.forceRelease(who(ctx), ref(ctx), Requests.textParam(ctx, "reason"));
    ctx.status(204);
  }

  void list(Context ctx) {
    Instant now = clock.instant();
    Responses.json(
        ctx,
        200,
        LockJson.encodeList(
            store.locks(
                who(ctx),
                ctx.pathParam("tenant"),
                Requests.longParam(ctx, "staleAfter", 0, 10L * 365 * 86400)),
            now));
  }
}
