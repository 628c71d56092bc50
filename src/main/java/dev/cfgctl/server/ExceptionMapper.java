package dev.cfgctl.server;

import dev.cfgctl.api.MediaTypes;
import dev.cfgctl.patch.InvalidPatchException;
import dev.cfgctl.store.Problem;
import dev.cfgctl.store.StoreException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.PrintStream;
import java.util.function.BooleanSupplier;

/**
 * The one place where a failed request becomes problem+json: typed refusals as they are, a
 * malformed patch with the index of its bad operation, a bug as a 500 (logged with its stack
 * trace), and the router's own 404 and 405. Thread-safe.
 */
final class ExceptionMapper {
  private final BooleanSupplier draining;
  private final PrintStream log;

  /** {@code draining}: whether the server is stopping, when a 503 is expected and not logged. */
  ExceptionMapper(BooleanSupplier draining, PrintStream log) {
    this.draining = draining;
    this.log = log;
  }

  void install(RoutesConfig routes) {
    routes.exception(StoreException.class, this::refused);
    routes.exception(
        InvalidPatchException.class, (e, ctx) -> Responses.problem(ctx, invalidPatch(e)));
    routes.exception(Exception.class, this::internal);
    routes.error(
        404,
        ctx -> {
          if (!MediaTypes.PROBLEM_JSON.equals(ctx.res().getContentType())) {
            Responses.problem(
                ctx, new StoreException(Problem.NOT_FOUND, "no such resource: " + ctx.path()));
          }
        });
    routes.error(
        405,
        ctx ->
            Responses.problem(
                ctx,
                new StoreException(
                    Problem.METHOD_NOT_ALLOWED,
                    ctx.method() + " is not allowed on " + ctx.path())));
  }

  private void refused(StoreException e, Context ctx) {
    if (e.problem() == Problem.UNAVAILABLE && !draining.getAsBoolean()) {
      log.println(
          "cfgctl serve: 503 for "
              + ctx.method()
              + " "
              + ctx.path()
              + " after "
              + (System.nanoTime() - Requests.started(ctx)) / 1_000_000
              + " ms: "
              + e.getMessage());
    }
    Responses.problem(ctx, e);
  }

  private void internal(Exception e, Context ctx) {
    log.println("cfgctl serve: internal error on " + ctx.method() + " " + ctx.path() + ": " + e);
    e.printStackTrace(log);
    Responses.problem(
        ctx,
        new StoreException(
            Problem.INTERNAL, "internal error (a bug); the server" + " log has the details"));
  }

  static StoreException invalidPatch(InvalidPatchException e) {
    StoreException p = new StoreException(Problem.INVALID_PATCH, e.getMessage());
    if (e.opIndex() != null) p.with("opIndex", e.opIndex());
    else p.members().putNull("opIndex");
    p.with("reason", e.getMessage());
    return p;
  }
}
