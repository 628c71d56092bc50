package dev.cfgctl.store;

/**
 * Every way a store operation can be refused: the API's problem slug and its HTTP status, one table
 * so local and remote work fail the same way. The command line's exit code for each is the CLI's
 * business: {@code cli.ExitCode#of}.
 */
public enum Problem {
  INVALID_JSON("invalid-json", 400, "Malformed JSON"),
  INVALID_PATCH("invalid-patch", 400, "Malformed patch"),
  INVALID_NAME("invalid-name", 400, "Invalid name"),
  INVALID_REQUEST("invalid-request", 400, "Invalid request"),
  TOO_DEEP("too-deep", 400, "Document nested too deeply"),
  TOO_MANY_OPS("too-many-ops", 400, "Too many patch operations"),
  TOO_LARGE("too-large", 413, "Request body too large"),
  UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", 415, "Unsupported content type"),
  UNAUTHORIZED("unauthorized", 401, "Not authenticated"),
  FORBIDDEN("forbidden", 403, "Not allowed"),
  NOT_FOUND("not-found", 404, "Not found"),
  NO_LOCK("no-lock", 404, "No live lock"),
  DELETED("deleted", 410, "Config deleted"),
  ALREADY_EXISTS("already-exists", 409, "Config already exists"),
  VERSION_CONFLICT("version-conflict", 412, "Version conflict"),
  PRECONDITION_REQUIRED("precondition-required", 428, "Precondition required"),
  REBASE_CONFLICT("rebase-conflict", 409, "Rebase conflict"),
  UNDO_CONFLICT("undo-conflict", 409, "Undo conflict"),
  NOTHING_TO_UNDO("nothing-to-undo", 409, "Nothing to undo"),
  NOTHING_TO_REDO("nothing-to-redo", 409, "Nothing to redo"),
  PATCH_FAILED("patch-failed", 422, "Patch failed"),
  NOT_AN_OBJECT("not-an-object", 422, "A config is a JSON object"),
  RESULT_TOO_DEEP("result-too-deep", 422, "Result nested too deeply"),
  RESULT_TOO_LARGE("result-too-large", 422, "Result too large"),
  TOO_MUCH_WORK("too-much-work", 422, "Too much work for one change"),
  IDEMPOTENCY_KEY_REUSED("idempotency-key-reused", 422, "Idempotency key used for another request"),
  LOCK_HELD("lock-held", 409, "Lock held"),
  LOCKED("locked", 423, "Config locked"),
  LOCK_LOST("lock-lost", 410, "Lock lost"),
  RATE_LIMITED("rate-limited", 429, "Rate limited"),
  METHOD_NOT_ALLOWED("method-not-allowed", 405, "Method not allowed"),
  UNAVAILABLE("unavailable", 503, "Service unavailable"),
  INTERNAL("internal", 500, "Internal error");

  private final String slug;
  private final int status;
  private final String title;

  Problem(String slug, int status, String title) {
    this.slug = slug;
    this.status = status;
    this.title = title;
  }

  public String slug() {
    return slug;
  }

  /** The problem's {@code type} member: {@code /problems/<slug>}. */
  public String type() {
    return "/problems/" + slug;
  }

  public int status() {
    return status;
  }

  public String title() {
    return title;
  }

  public static Problem ofSlug(String slug) {
    for (Problem p : values()) if (p.slug.equals(slug)) return p;
    return null;
  }
}
