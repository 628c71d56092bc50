package dev.cfgctl.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cfgctl.cli.file.Outputs;
import dev.cfgctl.cli.options.CommonOptions;
import dev.cfgctl.cli.options.FormatOption;
import dev.cfgctl.cli.options.Ref;
import dev.cfgctl.cli.options.Session;
import dev.cfgctl.cli.options.StoreOptions;
import dev.cfgctl.output.Printable;
import dev.cfgctl.output.Table;
import dev.cfgctl.patch.Json;
import dev.cfgctl.store.ConfigStore;
import dev.cfgctl.store.Durations;
import dev.cfgctl.store.Lock;
import dev.cfgctl.store.Problem;
import dev.cfgctl.store.StoreException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Model.CommandSpec;

/** {@code cfgctl lock acquire|extend|release|status|list|exec}: edit locks on stored configs. */
public final class LockCommand {
  private LockCommand() {}

  static CommandSpec model(Io io) {
    CommandSpec spec = CommandModel.command("lock", Group.class, s -> new Group(io, s))
        .header("Take, keep, release and inspect edit locks on configs.")
        .description("While someone holds a config's lock, writes without its id are refused (exit 4)."
            + " Locks expire by the server's clock unless extended (heartbeat). Support staff find"
            + " stale locks with 'lock list --stale 10m' and clear them with 'lock release --force'.")
        .examples(
            "Hold the lock while a script runs (heartbeat, release, exit code passed on)",
            "cfgctl lock exec acme/landing -- ./migrate-landing.sh",
            "Who holds what, and which holders went quiet?",
            "cfgctl lock list --tenant acme --stale 10m",
            "Clear a stale lock (admins)",
            "cfgctl lock release acme/landing --force --reason \"sarah's laptop died\"")
        .spec();
    spec.addSubcommand("acquire", LockAcquire.model(io));
    spec.addSubcommand("extend", extendModel(io));
    spec.addSubcommand("release", releaseModel(io));
    spec.addSubcommand("status", statusModel(io));
    spec.addSubcommand("list", listModel(io));
    spec.addSubcommand("exec", LockExec.model(io));
    return spec;
  }


  private static final Pattern DURATION = Pattern.compile("([0-9]{1,9})(ms|s|m|h)?");

  /** "30s", "5m", "1h", "300" (seconds) as seconds; a usage error names the option otherwise. */
  static long seconds(String text, String option) {
    Matcher m = DURATION.matcher(text == null ? "" : text.trim());
    if (!m.matches()) {
      throw CliException.usage(option + " takes a duration such as 30s, 5m or 1h, not \"" + text + "\"", null);
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    switch (unit) {
      case "ms": return Math.max(1, (n + 999) / 1000);
      case "m": return n * 60;
      case "h": return n * 3600;
      default: return n;
    }
  }

  /** The lock id of this command line: --lock-id, else CFGCTL_LOCK_ID. */
  static String lockId(Io io, String option) {
    String id = option != null ? option : io.env().get("CFGCTL_LOCK_ID");
    if (id == null || id.isBlank()) {
      throw CliException.usage("which lock? pass --lock-id ID (or set CFGCTL_LOCK_ID)",
          "the id is what 'cfgctl lock acquire' printed");
    }
    return id.trim();
  }

  static void printLock(Io io, CommonOptions common, boolean json, Lock l, String verb) {
    if (json) {
      Outputs.print(io, l.toJson(), common.pretty(io.stdoutTerminal()));
    } else {
      io.out().println(l.id());
      io.err().println(verb + " " + l.ref() + " (fence " + l.fence() + "); it expires in "
          + Durations.format(Duration.between(Instant.now(), l.expiresAt()))
          + " unless extended: cfgctl lock extend " + l.ref() + " --lock-id " + l.id());
    }
  }

  // ---------------------------------------------------------------- extend

  /** {@code lock extend REF --lock-id ID [--ttl D]}. */
  public static final class Extend implements Callable<Integer> {
    final Io io;
    final CommonOptions common = new CommonOptions();
    final FormatOption output = new FormatOption();
    final StoreOptions store = new StoreOptions();
    String ref;
    String lockId;
    String ttl;

    Extend(Io io) {
      this.io = io;
    }

    @Override
    public Integer call() {
      common.check();
      boolean json = output.json("text");
      String id = lockId(io, lockId);
      Long ttlSeconds = ttl == null ? null : seconds(ttl, "--ttl");
      try (Session s = store.open(io)) {
        Lock l = s.store().extend(s.who(), s.ref(ref).current("lock extend").config(), id, ttlSeconds);
        printLock(io, common, json, l, "extended the lock on");
        return ExitCode.OK;
      }
    }
  }

  private static CommandSpec extendModel(Io io) {
    CommandModel<Extend> m = CommandModel.command("extend", Extend.class, () -> new Extend(io))
        .header("Extend your lock (a heartbeat); exit 4 if it was lost.")
        .examples(
            "Keep your lock for another 10 minutes from now",
            "cfgctl lock extend acme/landing --lock-id \"$id\" --ttl 10m",
            "A heartbeat from a script that holds the lock, with its id in CFGCTL_LOCK_ID",
            "cfgctl lock extend acme/landing || echo \"lock lost\"");
    CommonOptions.addTo(m.mixin(c -> c.common));
    FormatOption.addTo(m.mixin(c -> c.output));
    StoreOptions.addTo(m.mixin(c -> c.store));
    m.operand("REF", "The config: [TENANT/]NAME.", (c, v) -> c.ref = v).completionCandidates(Candidates.REFS);
    m.option("--lock-id", "ID", "Your lock's id (env CFGCTL_LOCK_ID).", (c, v) -> c.lockId = v);
    m.option("--ttl", "DURATION", "New time to live from now (e.g. 5m). Default: the lock's own.",
        (c, v) -> c.ttl = v);
    return m.spec();
  }

  // ---------------------------------------------------------------- release

  /** {@code lock release REF --lock-id ID | --force --reason TEXT}. */
  public static final class Release implements Callable<Integer> {
    final Io io;
    final CommonOptions common = new CommonOptions();
    final StoreOptions store = new StoreOptions();
    String ref;
    String lockId;
    boolean force;
    String reason;

    Release(Io io) {
      this.io = io;
    }

    @Override
    public Integer call() {
      common.check();
      if (force && lockId != null) throw CliException.usage("--force and --lock-id exclude each other", null);
      if (force && (reason == null || reason.isBlank())) {
        throw CliException.usage("--force needs a --reason (the holder is told it, and the audit trail keeps it)", null);
      }
      if (!force && reason != null) throw CliException.usage("--reason goes with --force", null);
      String id = force ? null : lockId(io, lockId);
      try (Session s = store.open(io)) {
        Ref r = s.ref(ref).current("lock release");
        if (force) {
          Optional<Lock> held = s.store().lock(s.who(), r.config());
          s.store().forceRelease(s.who(), r.config(), reason);
          io.err().println(held.map(l -> "released " + Printable.of(l.holder().name()) + "'s lock on "
              + r.config()
              + " (held since " + dev.cfgctl.store.Times.format(l.acquiredAt()) + ")")
              .orElse(r.config() + " was not locked"));
        } else {
          s.store().release(s.who(), r.config(), id);
          io.err().println("released the lock on " + r.config());
        }
        return ExitCode.OK;
      }
    }
  }

  private static CommandSpec releaseModel(Io io) {
    CommandModel<Release> m = CommandModel.command("release", Release.class, () -> new Release(io))
        .header("Release your lock, or (admins) force-release whoever's lock it is.")
        .examples(
            "Release the lock you took with lock acquire",
            "cfgctl lock release acme/landing --lock-id \"$id\"",
            "Clear a stale lock (admins; the holder is told why)",
            "cfgctl lock release acme/landing --force --reason \"sarah's laptop died\"");
    CommonOptions.addTo(m.mixin(c -> c.common));
    StoreOptions.addTo(m.mixin(c -> c.store));
    m.operand("REF", "The config: [TENANT/]NAME.", (c, v) -> c.ref = v).completionCandidates(Candidates.REFS);
    m.option("--lock-id", "ID", "Your lock's id (env CFGCTL_LOCK_ID).", (c, v) -> c.lockId = v);
    m.flag("--force", "End whatever lock is live, without its id (admins only; audited).", (c, v) -> c.force = v);
    m.option("--reason", "TEXT", "Why (with --force): shown to the holder and kept in the audit trail.",
        (c, v) -> c.reason = v);
    return m.spec();
  }

  // ---------------------------------------------------------------- status

  /** {@code lock status REF}. */
  public static final class Status implements Callable<Integer> {
    final Io io;
    final CommonOptions common = new CommonOptions();
    final FormatOption output = new FormatOption();
    final StoreOptions store = new StoreOptions();
    String ref;

    Status(Io io) {
      this.io = io;
    }

    @Override
    public Integer call() {
      common.check();
      boolean json = output.json("text");
      try (Session s = store.open(io)) {
        Ref r = s.ref(ref).current("lock status");
        Optional<Lock> l = s.store().lock(s.who(), r.config());
        if (json) {
          ObjectNode o = Json.NODES.objectNode();
          o.put("locked", l.isPresent());
          l.ifPresent(lock -> o.set("lock", lock.publicJson()));
          Outputs.print(io, o, common.pretty(io.stdoutTerminal()));
        } else {
          io.out().println(l.map(lock -> Printable.of(lock.describe(Instant.now()) + " (fence "
              + lock.fence() + (lock.note() == null ? "" : ", note: " + lock.note()) + ")"))
              .orElse(r.config() + " is not locked"));
        }
        return ExitCode.OK;
      }
    }
  }

  private static CommandSpec statusModel(Io io) {
    CommandModel<Status> m = CommandModel.command("status", Status.class, () -> new Status(io))
        .header("Show who holds a config's lock, since when, until when.")
        .examples(
            "Who holds the landing page?",
            "cfgctl lock status acme/landing",
            "Is it locked? (true or false, for a script)",
            "cfgctl lock status acme/landing -o json | jq .locked");
    CommonOptions.addTo(m.mixin(c -> c.common));
    FormatOption.addTo(m.mixin(c -> c.output));
    StoreOptions.addTo(m.mixin(c -> c.store));
    m.operand("REF", "The config: [TENANT/]NAME.", (c, v) -> c.ref = v).completionCandidates(Candidates.REFS);
    return m.spec();
  }

  // ---------------------------------------------------------------- list

  /** {@code lock list [--tenant T] [--stale AGE]}: the support view. */
  public static final class ListLocks implements Callable<Integer> {
    final Io io;
    final CommonOptions common = new CommonOptions();
    final FormatOption output = new FormatOption();
    final StoreOptions store = new StoreOptions();
    String stale;

    ListLocks(Io io) {
      this.io = io;
    }

    @Override
    public Integer call() {
      common.check();
      boolean json = output.json("text");
      Long staleSeconds = stale == null ? null : seconds(stale, "--stale");
      try (Session s = store.open(io)) {
        if (s.tenant() == null) throw CliException.usage("which tenant? pass --tenant T", null);
        List<Lock> locks = s.store().locks(s.who(), s.tenant(), staleSeconds);
        Instant now = Instant.now();
        if (json) {
          ArrayNode a = Json.NODES.arrayNode();
          locks.forEach(l -> a.add(l.listJson(now)));
          Outputs.print(io, a, common.pretty(io.stdoutTerminal()));
          return ExitCode.OK;
        }
        if (locks.isEmpty()) { // a header over nothing reads like a failed command
          io.err().println(staleSeconds == null ? "no live locks in " + s.tenant()
              : "no locks in " + s.tenant() + " without a heartbeat for " + stale);
          return ExitCode.OK;
        }
        Table t = new Table("CONFIG", "HOLDER", "CLIENT", "HELD FOR", "LAST HEARTBEAT", "EXPIRES IN");
        for (Lock l : locks) {
          t.row(l.ref().toString(), l.holder().name() + " (" + l.holder().id() + ")",
              l.client() == null ? "-" : l.client(), Durations.format(Duration.between(l.acquiredAt(), now)),
              Durations.format(Duration.between(l.heartbeatAt(), now)) + " ago",
              Durations.format(Duration.between(now, l.expiresAt())));
        }
        t.print(io.out());
        return ExitCode.OK;
      }
    }
  }

  private static CommandSpec listModel(Io io) {
    CommandModel<ListLocks> m = CommandModel.command("list", ListLocks.class, () -> new ListLocks(io))
        .header("List a tenant's live locks: holder, client, age, last heartbeat, expiry.")
        .examples(
            "Every live lock in tenant acme",
            "cfgctl lock list --tenant acme",
            "Support: locks whose holder sent no heartbeat for 10 minutes",
            "cfgctl lock list --tenant acme --stale 10m");
    CommonOptions.addTo(m.mixin(c -> c.common));
    FormatOption.addTo(m.mixin(c -> c.output));
    StoreOptions.addTo(m.mixin(c -> c.store));
    m.option("--stale", "AGE", "Only locks not heartbeated for AGE (e.g. 10m).", (c, v) -> c.stale = v);
    return m.spec();
  }

  /** The lock request of acquire and exec. */
  static ConfigStore.LockRequest request(Io io, String ttl, String note, String client, boolean takeOver,
      String reason) {
    if (takeOver && (reason == null || reason.isBlank())) {
      throw CliException.usage("--take-over needs a --reason (the holder is told it)", null);
    }
    if (!takeOver && reason != null) throw CliException.usage("--reason goes with --take-over", null);
    return new ConfigStore.LockRequest(ttl == null ? null : seconds(ttl, "--ttl"), client != null ? client
        : defaultClient(io), note, takeOver, reason);
  }

  static String defaultClient(Io io) {
    String host = io.env().getOrDefault("HOSTNAME", "");
    if (host.isEmpty()) {
      try {
        host = java.net.InetAddress.getLocalHost().getHostName();
      } catch (java.io.IOException e) {
        host = "localhost";
      }
    }
    return "cli " + System.getProperty("user.name", "?") + "@" + host + " pid " + ProcessHandle.current().pid();
  }

  /** Acquires, polling until free when {@code waitSeconds} > 0 (saying so once on stderr). */
  static Lock acquire(Io io, Session s, Ref r, ConfigStore.LockRequest request, long waitSeconds) {
    long deadline = System.nanoTime() + waitSeconds * 1_000_000_000L;
    boolean waited = false;
    while (true) {
      try {
        return s.store().acquire(s.who(), r.config(), request);
      } catch (StoreException e) {
        if (e.problem() != Problem.LOCK_HELD || waitSeconds == 0) throw e;
        if (System.nanoTime() >= deadline) {
          throw new StoreException(Problem.LOCK_HELD, "still locked after waiting " + Durations.format(
              Duration.ofSeconds(waitSeconds)) + ": " + e.getMessage(), e.members());
        }
        if (!waited) {
          io.err().println("waiting for the lock on " + r.config() + ": "
              + Printable.of(e.getMessage()));
          waited = true;
        }
        try {
          Thread.sleep(500);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }
}
