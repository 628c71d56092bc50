package dev.cfgctl.api;

import dev.cfgctl.store.Problem;

/** The HTTP status of each {@link Problem}, as API.md's table gives it, and back. Thread-safe. */
public final class ProblemStatus {
  private ProblemStatus() {}

  public static int of(Problem problem) {
    return switch (problem) {
      case INVALID_JSON, INVALID_PATCH, INVALID_NAME, INVALID_REQUEST, TOO_DEEP, TOO_MANY_OPS ->
          400;
      case UNAUTHORIZED -> 401;
      case FORBIDDEN -> 403;
      case NOT_FOUND, NO_LOCK -> 404;
      case METHOD_NOT_ALLOWED -> 405;
      case ALREADY_EXISTS,
          REBASE_CONFLICT,
          UNDO_CONFLICT,
          NOTHING_TO_UNDO,
          NOTHING_TO_REDO,
          LOCK_HELD ->
          409;
      case DELETED, LOCK_LOST -> 410;
      case VERSION_CONFLICT -> 412;
      case TOO_LARGE -> 413;
      case UNSUPPORTED_MEDIA_TYPE -> 415;
      case PATCH_FAILED,
          NOT_AN_OBJECT,
          RESULT_TOO_DEEP,
          RESULT_TOO_LARGE,
          TOO_MUCH_WORK,
          IDEMPOTENCY_KEY_REUSED ->
          422;
      case LOCKED -> 423;
      case PRECONDITION_REQUIRED -> 428;
      case RATE_LIMITED -> 429;
      case INTERNAL -> 500;
      case UNAVAILABLE -> 503;
    };
  }

  /**
   * The problem a status stands for when an answer does not name a problem this side knows: the
   * only one with that status, else {@link Problem#UNAVAILABLE} for a server error and {@link
   * Problem#INVALID_REQUEST} for any other.
   */
  public static Problem problemOf(int status) {
    Problem only = null;
    for (Problem p : Problem.values()) {
      if (of(p) != status) continue;
      if (only != null) return status >= 500 ? Problem.UNAVAILABLE : Problem.INVALID_REQUEST;
      only = p;
    }
    if (only != null) return only;
    return status >= 500 ? Problem.UNAVAILABLE : Problem.INVALID_REQUEST;
  }
}
