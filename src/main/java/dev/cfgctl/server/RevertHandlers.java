package dev.cfgctl.server;

import static dev.cfgctl.server.Requests.ref;
import static dev.cfgctl.server.Requests.who;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cfgctl.api.RevisionJson;
import dev.cfgctl.store.ConfigStore;
import dev.cfgctl.store.Problem;
import dev.cfgctl.store.Revision;
import dev.cfgctl.store.StoreException;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.List;

/** Undo, redo and rollback of a config: each makes new versions and answers their revisions. */
final class RevertHandlers {
  private final ConfigStore store;
  private final Requests.Limits limits;
  private final Duration timeBudget;

  RevertHandlers(ConfigStore store, Requests.Limits limits, Duration timeBudget) {
    this.store = store;
    this.limits = limits;
    this.timeBudget = timeBudget;
  }

  void undo(Context ctx) {
    revert(ctx, true);
  }

  void redo(Context ctx) {
    revert(ctx, false);
  }

  private void revert(Context ctx, boolean undo) {
    JsonNode body = Requests.object(ctx, limits, true);
    Long steps = Requests.longMember(body, "steps");
    String scope = Requests.textMember(body, "scope", 10);
    if (scope != null && !scope.equals("mine") && !scope.equals("any")) {
      throw new StoreException(Problem.INVALID_REQUEST, "scope is \"mine\" or \"any\"");
    }
    if (!undo && scope != null) {
      throw new StoreException(
          Problem.INVALID_REQUEST, "redo has no scope: it redoes your own" + " undo");
    }
    int n = steps == null ? 1 : (int) Math.max(0, Math.min(steps, 1001));
    List<Revision> made =
        undo
            ? store.undo(
                who(ctx),
                ref(ctx),
                "any".equals(scope),
                n,
                Requests.ifMatch(ctx),
                Requests.write(ctx, timeBudget))
            : store.redo(
                who(ctx), ref(ctx), n, Requests.ifMatch(ctx), Requests.write(ctx, timeBudget));
    Responses.newVersion(ctx, made.get(made.size() - 1).version());
    Responses.json(ctx, 200, RevisionJson.encodeList(made));
  }

  void rollback(Context ctx) {
    JsonNode body = Requests.object(ctx, limits, false);
    Long to = Requests.longMember(body, "toVersion");
    if (to == null) {
      throw new StoreException(Problem.INVALID_REQUEST, "the body needs \"toVersion\"");
    }
    Long match = Requests.ifMatch(ctx);
    if (match == null) throw Requests.preconditionRequired(ctx, "rolling back");
    Revision r = store.rollback(who(ctx), ref(ctx), to, match, Requests.write(ctx, timeBudget));
    Responses.newVersion(ctx, r.version());
    Responses.json(ctx, 200, RevisionJson.encode(r));
  }
}
