package dev.cfgctl.store;

/**
 * Every way a store operation can be refused, with its slug and title, so local and remote work
 * fail the same way. The HTTP status of each is the wire format's business ({@code
 * api.ProblemStatus}), the command line's exit code the CLI's ({@code cli.ExitCode#of}).
 */
public enum Problem {
  INVALID_JSON("invalid-json", "Malformed JSON"),
  INVALID_PATCH("invalid-patch", "Malformed patch"),
  INVALID_NAME("invalid-name", "Invalid name"),
  INVALID_REQUEST("invalid-request", "Invalid request"),
  TOO_DEEP("too-deep", "Document nested too deeply"),
  TOO_MANY_OPS("too-many-ops", "Too many patch operations"),
  TOO_LARGE("too-large", "Request body too large"),
  UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", "Unsupported content type"),
  UNAUTHORIZED("unauthorized", "Not authenticated"),
  FORBIDDEN("forbidden", "Not allowed"),
  NOT_FOUND("not-found", "Not found"),
  NO_LOCK("no-lock", "No live lock"),
  DELETED("deleted", "Config deleted"),
  ALREADY_EXISTS("already-exists", "Config already exists"),
  VERSION_CONFLICT("version-conflict", "Version conflict"),
  PRECONDITION_REQUIRED("precondition-required", "Precondition required"),
  REBASE_CONFLICT("rebase-conflict", "Rebase conflict"),
  UNDO_CONFLICT("undo-conflict", "Undo conflict"),
  NOTHING_TO_UNDO("nothing-to-undo", "Nothing to undo"),
  NOTHING_TO_REDO("nothing-to-redo", "Nothing to redo"),
  PATCH_FAILED("patch-failed", "Patch failed"),
  NOT_AN_OBJECT("not-an-object", "A config is a JSON object"),
  RESULT_TOO_DEEP("result-too-deep", "Result nested too deeply"),
  RESULT_TOO_LARGE("result-too-large", "Result too large"),
  TOO_MUCH_WORK("too-much-work", "Too much work for one change"),
  IDEMPOTENCY_KEY_REUSED("idempotency-key-reused", "Idempotency key used for another request"),
  LOCK_HELD("lock-held", "Lock held"),
  LOCKED("locked", "Config locked"),
  LOCK_LOST("lock-lost", "Lock lost"),
  RATE_LIMITED("rate-limited", "Rate limited"),
  METHOD_NOT_ALLOWED("method-not-allowed", "Method not allowed"),
  UNAVAILABLE("unavailable", "Service unavailable"),
  INTERNAL("internal", "Internal error");

  private final String slug;
  private final String title;

  Problem(String slug, String title) {
    this.slug = slug;
    this.title = title;
  }

  public String slug() {
    return slug;
  }

  /** The problem's {@code type} member: {@code /problems/<slug>}. */
  public String type() {
    return "/problems/" + slug;
  }

  public String title() {
    return title;
  }

  public static Problem ofSlug(String slug) {
    for (Problem p : values()) if (p.slug.equals(slug)) return p;
    return null;
  }
}
