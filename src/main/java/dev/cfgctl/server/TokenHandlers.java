package dev.cfgctl.server;

import static dev.cfgctl.server.Requests.who;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cfgctl.api.TokenJson;
import dev.cfgctl.store.ConfigStore;
import dev.cfgctl.store.Principal;
import dev.cfgctl.store.Problem;
import dev.cfgctl.store.Role;
import dev.cfgctl.store.StoreException;
import dev.cfgctl.store.Token;
import io.javalin.http.Context;

/** Bearer tokens, for admins: create one (its secret shown once), list them, revoke one. */
final class TokenHandlers {
  private final ConfigStore store;
  private final Requests.Limits limits;

  TokenHandlers(ConfigStore store, Requests.Limits limits) {
    this.store = store;
    this.limits = limits;
  }

  void create(Context ctx) {
    if (ctx.header("Idempotency-Key") != null) {
      throw new StoreException(
          Problem.INVALID_REQUEST,
          "a token cannot be created with an"
              + " Idempotency-Key: its secret is shown once and cannot be sent again; if an answer was"
              + " lost, revoke the token it made (GET /v1/tokens) and create another");
    }
    JsonNode body = Requests.object(ctx, limits, false);
    String tenant = Requests.textMember(body, "tenant", 63);
    String role = Requests.textMember(body, "role", 10);
    if (tenant == null || role == null) {
      throw new StoreException(
          Problem.INVALID_REQUEST, "a token needs \"user\", \"tenant\" and" + " \"role\"");
    }
    Long days = Requests.longMember(body, "expiresInDays");
    Token.Issued t =
        store.createToken(
            who(ctx),
            new Principal(
                Requests.textMember(body, "user", 200),
                Requests.textMember(body, "displayName", 200),
                tenant,
                Role.parse(role)),
            days == null
                ? null
                : (int) Math.max(Integer.MIN_VALUE, Math.min(days, Integer.MAX_VALUE)));
    Responses.json(ctx, 201, TokenJson.encodeIssued(t));
  }

  void list(Context ctx) {
    Responses.json(ctx, 200, TokenJson.encodeList(store.tokens(who(ctx))));
  }

  void revoke(Context ctx) {
    store.revokeToken(who(ctx), ctx.pathParam("id"));
    ctx.status(204);
  }
}
