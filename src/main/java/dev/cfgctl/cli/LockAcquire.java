package dev.cfgctl.cli;

import dev.cfgctl.cli.options.CommonOptions;
import dev.cfgctl.cli.options.FormatOption;
import dev.cfgctl.cli.options.Ref;
import dev.cfgctl.cli.options.Session;
import dev.cfgctl.cli.options.StoreOptions;
import dev.cfgctl.store.Lock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

/** {@code lock acquire REF}: prints the lock id, the secret that writes and heartbeats need. */
public final class LockAcquire implements Callable<Integer> {
  static CommandSpec model(Io io) {
    CommandModel<LockAcquire> m = CommandModel.command("acquire", LockAcquire.class, () -> new LockAcquire(io))
        .header("Take a config's edit lock; prints its id.")
        .description("Held by someone else: exit 4 with who holds it, from which client, since when and"
            + " until when; --wait polls until it is free, --take-over takes it (editors; the holder's next"
            + " heartbeat or write fails, and the take-over is audited).")
        .examples("Lock, write under the lock, release",
            "id=$(cfgctl lock acquire acme/landing --ttl 10m --note \"spring sale\")\n"
                + "  cfgctl patch -c acme/landing sale.json --lock-id \"$id\"\n"
                + "  cfgctl lock release acme/landing --lock-id \"$id\"");
    CommonOptions.addTo(m.mixin(c -> c.common));
    FormatOption.addTo(m.mixin(c -> c.output));
    StoreOptions.addTo(m.mixin(c -> c.store));
    m.operand("REF", "The config: [TENANT/]NAME.", (c, v) -> c.ref = v).completionCandidates(Candidates.REFS);
    addRequestOptions(m.mixin(c -> c.request));
    return m.spec();
  }

  /** Options shared with {@code lock exec}. */
  static void addRequestOptions(CommandModel<Options> m) {
    m.option("--ttl", "DURATION", "How long the lock lives without a heartbeat (e.g. 30s, 5m; the server's"
        + " default is 5m).", (o, v) -> o.ttl = v);
    m.option("--note", "TEXT", "What you are doing, for others to see.", (o, v) -> o.note = v);
    m.option("--client", "TEXT", "Where the lock is held from (default: cli USER@HOST pid N).",
        (o, v) -> o.client = v);
    m.flag("--take-over", "Take the lock from its holder (needs --reason).", (o, v) -> o.takeOver = v);
    m.option("--reason", "TEXT", "Why you take it over: the holder is told.", (o, v) -> o.reason = v);
    m.option("--wait", "DURATION", "If held, poll until free for up to this long (e.g. 30s).",
        (o, v) -> o.waitFor = v);
  }

  /** The request options, kept where both commands find them. */
  static final class Options {
    String ttl;
    String note;
    String client;
    boolean takeOver;
    String reason;
    String waitFor;
  }

  final CommonOptions common = new CommonOptions();
  final FormatOption output = new FormatOption();
  final StoreOptions store = new StoreOptions();
  final Options request = new Options();
  String ref;

  private final Io io;

  public LockAcquire(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() {
    common.check();
    boolean json = output.json("text");
    var req = LockCommand.request(io, request.ttl, request.note, request.client, request.takeOver, request.reason);
    long wait = request.waitFor == null ? 0 : LockCommand.seconds(request.waitFor, "--wait");
    try (Session s = store.open(io)) {
      Ref r = s.ref(ref).current("lock acquire");
      Lock l = LockCommand.acquire(io, s, r, req, wait);
      LockCommand.printLock(io, common, json, l, request.takeOver ? "took over the lock on" : "locked");
      return ExitCode.OK;
    }
  }
}
