package dev.cfgctl.cli;

import dev.cfgctl.store.Problem;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The exit codes of every cfgctl command, local or remote: one table, shown in help and man pages.
 */
public final class ExitCode {
  public static final int OK = 0;
  public static final int NEGATIVE = 1;
  public static final int USAGE = 2;
  public static final int CONFLICT = 3;
  public static final int LOCKED = 4;
  public static final int DENIED = 5;
  public static final int NOT_FOUND = 6;
  public static final int UNAVAILABLE = 7;
  public static final int INTERNAL = 8;

  /**
   * Not in the table: stdout was a pipe whose reader went away ({@code cfgctl get … | head}). A
   * process that SIGPIPE ends reports 128 + 13 in the shell (git, cat, kubectl); the JVM ignores
   * SIGPIPE, so cfgctl exits with that code itself, and says nothing.
   */
  public static final int PIPE_CLOSED = 141;

  private ExitCode() {}

  /**
   * The exit code of a store's refusal, local or remote. Exhaustive: a new problem type does not
   * compile until it has its code here.
   */
  public static int of(Problem p) {
    return switch (p) {
      case INVALID_JSON,
          INVALID_PATCH,
          INVALID_NAME,
          INVALID_REQUEST,
          TOO_DEEP,
          TOO_MANY_OPS,
          TOO_LARGE,
          UNSUPPORTED_MEDIA_TYPE,
          PRECONDITION_REQUIRED,
          NOT_AN_OBJECT,
          IDEMPOTENCY_KEY_REUSED,
          METHOD_NOT_ALLOWED ->
          USAGE;
      case UNAUTHORIZED, FORBIDDEN -> DENIED;
      case NOT_FOUND, NO_LOCK, DELETED -> NOT_FOUND;
      case ALREADY_EXISTS, VERSION_CONFLICT, REBASE_CONFLICT, UNDO_CONFLICT -> CONFLICT;
      case NOTHING_TO_UNDO,
          NOTHING_TO_REDO,
          PATCH_FAILED,
          RESULT_TOO_DEEP,
          RESULT_TOO_LARGE,
          TOO_MUCH_WORK ->
          NEGATIVE;
      case LOCK_HELD, LOCKED, LOCK_LOST -> LOCKED;
      case RATE_LIMITED, UNAVAILABLE -> UNAVAILABLE;
      case INTERNAL -> INTERNAL;
    };
  }

  /** Code → description, in the form picocli's help and man pages print. */
  public static final Map<String, String> TABLE = Collections.unmodifiableMap(table());

  private static Map<String, String> table() {
    Map<String, String> t = new LinkedHashMap<>();
    t.put(" 0", "success (diff: the documents are equal)");
    t.put(
        " 1",
        "a negative answer: diff found differences; a patch did not apply or a test op failed;"
            + " validation failed");
    t.put(" 2", "usage error or malformed input (bad option, bad JSON, bad patch, bad ref)");
    t.put(" 3", "version conflict");
    t.put(" 4", "locked by someone else, or your lock was lost");
    t.put(" 5", "not authenticated or not allowed");
    t.put(" 6", "not found (a file or config that does not exist)");
    t.put(" 7", "server unreachable or unavailable after retries");
    t.put(" 8", "internal error (a bug: the message says so)");
    return t;
  }
}
