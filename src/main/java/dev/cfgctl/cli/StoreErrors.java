package dev.cfgctl.cli;

import dev.cfgctl.app.LockHolder;
import dev.cfgctl.client.UnreachableException;
import dev.cfgctl.store.Durations;
import dev.cfgctl.store.Lock;
import dev.cfgctl.store.LockedException;
import dev.cfgctl.store.Problem;
import dev.cfgctl.store.Refusals;
import dev.cfgctl.store.Revision;
import dev.cfgctl.store.StoreException;
import dev.cfgctl.store.VersionConflict;
import dev.cfgctl.store.VersionConflictException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;

/**
 * A refused store operation as a person reads it: who changed what since your version, who holds
 * the lock and until when, and the command that gets you further.
 */
public final class StoreErrors {
  private StoreErrors() {}

  public static CliException translate(StoreException e, Instant now) {
    return translate(e, now, true);
  }

  /**
   * The same, for a command that takes --rebase or not (then a stale write is not told to use it).
   */
  static CliException translate(StoreException e, Instant now, boolean canRebase) {
    Problem p = e.problem();
    String hint = null;
    String message = e.getMessage();
    switch (p) {
      case VERSION_CONFLICT:
        VersionConflict conflict =
            e instanceof VersionConflictException v ? v.conflict().orElse(null) : null;
        if (conflict != null && !conflict.since().isEmpty()) {
          StringBuilder b = new StringBuilder(Refusals.conflictHead(conflict));
          String sep = Refusals.SINCE_THEN;
          for (Revision r : conflict.since()) {
            b.append(sep).append(revision(r, now));
            sep = "; ";
          }
          message = b.toString();
        }
        String current =
            conflict != null ? Long.toString(conflict.currentVersion()) : "the current one";
        hint =
            canRebase
                ? "apply your change on top of theirs with --rebase (refused if it touches the"
                    + " same places), or start again from version "
                    + current
                : "look at what changed since (cfgctl history), and if you still mean it, run it again with"
                    + " --expect-version "
                    + current;
        break;
      case REBASE_CONFLICT:
      case UNDO_CONFLICT:
        hint =
            "someone changed the same places; look at them with: cfgctl history REF, then retry"
                + " against the current version";
        break;
      case LOCKED:
        Lock lock = e instanceof LockedException l ? l.lock().orElse(null) : null;
        if (lock != null) message = "locked: " + lock.describe(now);
        String locked = lock != null ? lock.ref().toString() : "REF";
        hint =
            "write under the lock with --lock-id (or CFGCTL_LOCK_ID), wait for it, or take it over:"
                + " cfgctl lock acquire "
                + locked
                + " --take-over --reason TEXT (admins: cfgctl lock release "
                + locked
                + " --force --reason TEXT)";
        break;
      case LOCK_HELD:
        Lock held = e instanceof LockedException l ? l.lock().orElse(null) : null;
        String ref = held != null ? held.ref().toString() : "REF";
        // after waiting, the detail says how long; without, the lock's own description is fresher
        if (held != null && !(e instanceof LockHolder.StillLocked)) message = held.describe(now);
        hint =
            "wait with --wait 30s, take it over with: cfgctl lock acquire "
                + ref
                + " --take-over --reason"
                + " TEXT, or (admins) clear it: cfgctl lock release "
                + ref
                + " --force --reason TEXT";
        break;
      case LOCK_LOST:
        hint = "acquire the lock again and redo the change against the current version";
        break;
      case UNAUTHORIZED:
        hint =
            "check the token (--token-file, CFGCTL_TOKEN or the context's): it may be mistyped,"
                + " expired or revoked";
        break;
      case PRECONDITION_REQUIRED:
        hint =
            "say which version your content is based on with --expect-version N, or overwrite"
                + " whatever is there with --force";
        break;
      case UNAVAILABLE:
        if (e instanceof UnreachableException u) hint = unreachable(u);
        break;
      default:
        break;
    }
    return new CliException(ExitCode.of(p), message, hint);
  }

  /** What to do when no server answered at all: the message already says what failed. */
  private static String unreachable(UnreachableException e) {
    URI server = URI.create(e.server());
    String where = "check --server (or CFGCTL_SERVER, or the current context: cfgctl context list)";
    return switch (e.kind()) {
      case "refused" ->
          "nothing listens on port "
              + port(server)
              + " of "
              + server.getHost()
              + ": start a server there (cfgctl serve --listen "
              + server.getHost()
              + ":"
              + port(server)
              + "), or "
              + where;
      case "unknown-host" -> "no such host name: " + where;
      case "timeout" ->
          "the network or a firewall may drop the connection, or the server is"
              + " overloaded: try again, or "
              + where;
      case "closed" -> "if the server speaks TLS, use https://" + server.getRawAuthority();
      case "tls" ->
          switch (e.tls()) {
            case "untrusted" ->
                "pass the certificate of the CA that signed it with --ca-file FILE"
                    + " (or CFGCTL_CA_FILE, or in a context: cfgctl context set NAME --ca-file FILE)";
            case "hostname" ->
                "use a host name the certificate names in --server, or have the"
                    + " certificate issued for the one you use";
            case "expired" ->
                "renew the server's certificate (cfgctl serve reads it again on"
                    + " SIGHUP), or check this machine's clock";
            case "not-tls" ->
                "use an http:// URL, or start the server with --tls-cert and --tls-key";
            case "handshake" ->
                "see what the server offers: openssl s_client -connect "
                    + server.getHost()
                    + ":"
                    + port(server);
            default -> null;
          };
      default -> null; // lost: the message says to check the history first; broken: nothing to add
    };
  }

  private static int port(URI server) {
    if (server.getPort() >= 0) return server.getPort();
    return "https".equals(server.getScheme()) ? 443 : 80;
  }

  /** "v8 patch by Sarah 2m ago: /pages/0/title (message)". */
  static String revision(Revision r, Instant now) {
    StringBuilder b =
        new StringBuilder("v")
            .append(r.version())
            .append(' ')
            .append(r.kind().label())
            .append(" by ")
            .append(r.author().name())
            .append(' ')
            .append(Durations.format(Duration.between(r.at(), now)))
            .append(" ago");
    if (!r.paths().isEmpty()) {
      b.append(':');
      for (String path : r.paths()) {
        b.append(' ').append(path.isEmpty() ? "(whole document)" : path);
      }
    }
    if (r.message() != null) b.append(" (").append(r.message()).append(')');
    return b.toString();
  }
}
