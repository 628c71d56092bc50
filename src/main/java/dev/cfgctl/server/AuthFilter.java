package dev.cfgctl.server;

import dev.cfgctl.store.ConfigStore;
import dev.cfgctl.store.Principal;
import dev.cfgctl.store.Problem;
import dev.cfgctl.store.Role;
import dev.cfgctl.store.StoreException;
import io.javalin.http.Context;
import io.javalin.http.Handler;

/**
 * Runs before every matched request but the health check: authenticates the bearer token and puts
 * its principal on the context ({@link Requests#who}), applies the per-principal rates, refuses a
 * viewer's change before its body is read, and reserves room for a change's body. Thread-safe.
 */
final class AuthFilter implements Handler {
  /** Requests with a bad token per client address and second; beyond, 429 instead of 401. */
  private static final double BAD_TOKENS_PER_SECOND = 20;

  private final ConfigStore store;
  private final RateLimiter requests;
  private final RateLimiter writes;
  private final RateLimiter badTokens =
      new RateLimiter(BAD_TOKENS_PER_SECOND, 10 * BAD_TOKENS_PER_SECOND);
  private final BodyRoom bodies;

  /** Rates per principal and second; bursts of two seconds' worth are let through. */
  AuthFilter(ConfigStore store, double requestsPerSecond, double writesPerSecond, BodyRoom bodies) {
    this.store = store;
    this.requests = new RateLimiter(requestsPerSecond, 2 * requestsPerSecond);
    this.writes = new RateLimiter(writesPerSecond, 2 * writesPerSecond);
    this.bodies = bodies;
  }

  @Override
  public void handle(Context ctx) {
    if (ctx.path().equals(Routes.HEALTH)) return;
    Principal who;
    try {
      who = authenticate(ctx);
    } catch (StoreException e) {
      // a client that keeps sending bad tokens is told to slow down, not just told again
      String address = ctx.ip();
      limit(ctx, badTokens.take(address), "too many requests with a bad token from " + address);
      throw e;
    }
    String key = who.tenant() + "/" + who.id();
    limit(ctx, requests.take(key), "more than " + requests.perSecond() + " requests a second");
    if (!ctx.method().name().equals("GET") && !ctx.method().name().equals("HEAD")) {
      // a viewer may change nothing: refused before its body is read, so that slow bodies
      // cannot hold the server's threads with a token that may only read
      if (!who.role().atLeast(Role.EDITOR)) {
        String tenant = ctx.pathParamMap().get("tenant");
        if (tenant != null && !who.sees(tenant)) { // as the store would: 404, not 403
          throw new StoreException(
              Problem.NOT_FOUND,
              "config "
                  + tenant
                  + "/"
                  + ctx.pathParamMap().getOrDefault("name", "")
                  + " not found");
        }
        throw forbidden(ctx.path().startsWith("/v1/tokens") ? Role.ADMIN : Role.EDITOR);
      }
      limit(ctx, writes.take(key), "more than " + writes.perSecond() + " writes a second");
      bodies.reserve(ctx);
    }
    Requests.authenticated(ctx, who);
  }

  /** A write made outside an HTTP request (a patch over a change stream): refused when too fast. */
  void takeWrite(Principal who) {
    String key = who.tenant() + "/" + who.id();
    long wait = writes.take(key);
    if (wait > 0) {
      throw new StoreException(
              Problem.RATE_LIMITED,
              "rate limited: more than "
                  + writes.perSecond()
                  + " writes a second for one principal; try again in "
                  + wait
                  + " s")
          .with("retryAfterSeconds", wait);
    }
  }

  private Principal authenticate(Context ctx) {
    String h = ctx.header("Authorization");
    if (h == null || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
      ctx.header("WWW-Authenticate", "Bearer");
      throw new StoreException(
          Problem.UNAUTHORIZED, "this needs a bearer token:" + " Authorization: Bearer TOKEN");
    }
    try {
      return store.authenticate(h.substring(7).trim());
    } catch (StoreException e) {
      ctx.header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
      throw e;
    }
  }

  private static StoreException forbidden(Role role) {
    return new StoreException(Problem.FORBIDDEN, "this needs the " + role.label() + " role")
        .with("requiredRole", role.label());
  }

  /** Refuses the request with 429 when {@code waitSeconds} is more than 0. */
  private static void limit(Context ctx, long waitSeconds, String what) {
    if (waitSeconds <= 0) return;
    ctx.header("Retry-After", Long.toString(waitSeconds));
    throw new StoreException(
            Problem.RATE_LIMITED,
            "rate limited: " + what + " for one principal;" + " try again in " + waitSeconds + " s")
        .with("retryAfterSeconds", waitSeconds);
  }
}
