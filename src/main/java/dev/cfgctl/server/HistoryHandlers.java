package dev.cfgctl.server;

import static dev.cfgctl.server.Requests.ref;
import static dev.cfgctl.server.Requests.who;

import dev.cfgctl.api.RevisionJson;
import dev.cfgctl.store.ConfigStore;
import dev.cfgctl.store.ConfigStore.HistoryQuery;
import io.javalin.http.Context;

/** A config's history, a page of revision summaries at a time, and one whole revision. */
final class HistoryHandlers {
  private final ConfigStore store;

  HistoryHandlers(ConfigStore store) {
    this.store = store;
  }

  void history(Context ctx) {
    Long limit = Requests.longParam(ctx, "limit", 1, 1000);
    HistoryQuery q =
        new HistoryQuery(
            limit == null ? 50 : limit.intValue(),
            Requests.longParam(ctx, "before", 1, Long.MAX_VALUE),
            Requests.textParam(ctx, "author"),
            Requests.timeParam(ctx, "since"),
            Requests.timeParam(ctx, "until"));
    Responses.json(ctx, 200, RevisionJson.encodeHistory(store.history(who(ctx), ref(ctx), q)));
  }

  void revision(Context ctx) {
    Responses.json(
        ctx,
        200,
        RevisionJson.encode(
            store.revision(who(ctx), ref(ctx), Requests.version(ctx.pathParam("version")))));
  }
}
