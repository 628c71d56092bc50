package dev.cfgctl.cli.lock;

import dev.cfgctl.app.LockHolder;
import dev.cfgctl.cli.CliException;
import dev.cfgctl.cli.CommandModel;
import dev.cfgctl.cli.Io;
import dev.cfgctl.cli.options.Session;
import dev.cfgctl.store.ConfigRef;
import dev.cfgctl.store.ConfigStore;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;

/** The options of a lock request, which {@code lock acquire} and {@code lock exec} share. */
final class LockRequestOptions {
  String ttl;
  String note;
  String client;
  boolean takeOver;
  String reason;
  String waitFor;

  static void addTo(CommandModel<LockRequestOptions> m) {
    m.option(
        "--ttl",
        "DURATION",
        "How long the lock lives without a heartbeat (e.g. 30s, 5m; the server's"
            + " default is 5m).",
        (o, v) -> o.ttl = v);
    m.option("--note", "TEXT", "What you are doing, for others to see.", (o, v) -> o.note = v);
    m.option(
        "--client",
        "TEXT",
        "Where the lock is held from (default: cli USER@HOST pid N).",
        (o, v) -> o.client = v);
    m.flag(
        "--take-over", "Take the lock from its holder (needs --reason).", (o, v) -> o.takeOver = v);
    m.option(
        "--reason", "TEXT", "Why you take it over: the holder is told.", (o, v) -> o.reason = v);
    m.option(
        "--wait",
        "DURATION",
        "If held, poll until free for up to this long (e.g. 30s).",
        (o, v) -> o.waitFor = v);
  }

  /** The request these options make, checked. */
  ConfigStore.LockRequest request(Io io) {
    if (takeOver && (reason == null || reason.isBlank())) {
      throw CliException.usage("--take-over needs a --reason (the holder is told it)", null);
    }
    if (!takeOver && reason != null) {
      throw CliException.usage("--reason goes with --take-over", null);
    }
    return new ConfigStore.LockRequest(
        ttl == null ? null : DurationText.seconds(ttl, "--ttl"),
        client != null ? client : defaultClient(io),
        note,
        takeOver,
        reason);
  }

  /** How long to wait for a held lock: --wait, else not at all. */
  Duration waitTime() {
    return Duration.ofSeconds(waitFor == null ? 0 : DurationText.seconds(waitFor, "--wait"));
  }

  /** A holder of locks on {@code config} in the session's store, its notices on stderr. */
  static LockHolder holder(Io io, Session s, ConfigRef config) {
    return new LockHolder(
        s.store(), s.who(), io.clock(), LockHolder.Sleeper.SYSTEM, new LockNotices(io, config));
  }

  private static String defaultClient(Io io) {
    String host = io.env().getOrDefault("HOSTNAME", "");
    if (host.isEmpty()) {
      try {
        host = InetAddress.getLocalHost().getHostName();
      } catch (IOException e) {
        host = "localhost";
      }
    }
    return "cli "
        + System.getProperty("user.name", "?")
        + "@"
        + host
        + " pid "
        + ProcessHandle.current().pid();
  }
}
