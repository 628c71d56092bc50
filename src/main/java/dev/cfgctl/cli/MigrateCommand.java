package dev.cfgctl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cfgctl.cli.config.ListCommand;
import dev.cfgctl.cli.file.Inputs;
import dev.cfgctl.cli.file.Outputs;
import dev.cfgctl.cli.options.CommonOptions;
import dev.cfgctl.cli.options.FormatOption;
import dev.cfgctl.cli.options.InputOptions;
import dev.cfgctl.cli.options.Session;
import dev.cfgctl.cli.options.StoreOptions;
import dev.cfgctl.cli.options.WriteOptions;
import dev.cfgctl.output.Printable;
import dev.cfgctl.output.Table;
import dev.cfgctl.patch.InvalidPatchException;
import dev.cfgctl.patch.Json;
import dev.cfgctl.patch.JsonPatch;
import dev.cfgctl.patch.Patch;
import dev.cfgctl.patch.PatchFailedException;
import dev.cfgctl.patch.PatchOp;
import dev.cfgctl.store.ConfigRef;
import dev.cfgctl.store.ConfigStore;
import dev.cfgctl.store.ConfigSummary;
import dev.cfgctl.store.Document;
import dev.cfgctl.store.Problem;
import dev.cfgctl.store.StoreException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import picocli.CommandLine.Model.CommandSpec;

public final class MigrateCommand implements Callable<Integer> {
  static CommandSpec model(Io io) {
    CommandModel<MigrateCommand> m = CommandModel.command("migrate", MigrateCommand.class, () -> new MigrateCommand(io))
        .header("Apply one patch to every matching config of a tenant, each with its own version check.")
        .description("Each config is patched with its own version check: the patch applies only to the"
            + " version that was current when its turn came (or is rebased over later changes with"
            + " --rebase); --dry-run tries it on each config's content instead. Guard the patch with test ops"
            + " and re-running is safe: configs that already look like the result count as already"
            + " applied. A progress bar shows on a terminal; the summary counts applied, already applied,"
            + " conflict, failed test op, locked and failed configs (with -o json and --report, per"
            + " config). Exits 0 only when every config is applied or already applied, 1 otherwise.")
        .examples(
            "Preview a migration of every landing page of tenant acme",
            "cfgctl migrate cta.patch.json --tenant acme --match 'landing*' --dry-run",
            "Run it in CI with a JUnit report",
            "cfgctl migrate cta.patch.json --tenant acme --match 'landing*' --report m.xml");
    CommonOptions.addTo(m.mixin(c -> c.common));
    FormatOption.addTo(m.mixin(c -> c.output));
    InputOptions.addTo(m.mixin(c -> c.input));
    StoreOptions.addTo(m.mixin(c -> c.store));
    WriteOptions.addTo(m.mixin(c -> c.write), true);
    m.operand("PATCH", "The JSON Patch to apply (- for stdin).", (c, v) -> c.patchFile = v);
    m.option("--match", "GLOB", "Config names to migrate: * any characters, ? one.", (c, v) -> c.match = v)
        .required(true);
    m.flag("--dry-run", "Try the patch on every config; write nothing.", (c, v) -> c.dryRun = v);
    m.option("--report", "FILE", "Write a JUnit XML report (one test case per config).", (c, v) -> c.report = v);
    m.option("--concurrency", int.class, "N", "Configs migrated at once. Default: ${DEFAULT-VALUE}.",
        (c, v) -> c.concurrency = v).defaultValue("8");
    return m.spec();
  }

  /** What happened to one config. */
  enum Outcome {
    APPLIED("applied"), ALREADY_APPLIED("already applied"), CONFLICT("conflict"),
    TEST_FAILED("failed test op"), LOCKED("locked"), FAILED("failed");

    final String label;

    Outcome(String label) {
      this.label = label;
    }

    boolean ok() {
      return this == APPLIED || this == ALREADY_APPLIED;
    }

    /** The label as a JSON and JUnit name: {@code failed-test-op}. */
    String slug() {
      return label.replace(' ', '-');
    }
  }

  record Result(ConfigRef ref, Outcome outcome, Long version, String detail, long nanos) {
    /** "locked: Sarah (web) has held …": the outcome, then the detail (which may start with it). */
    String message() {
      String prefix = outcome.label + ": ";
      return detail == null ? outcome.label : detail.startsWith(prefix) ? detail : prefix + detail;
    }
  }

  final CommonOptions common = new CommonOptions();
  final FormatOption output = new FormatOption();
  final InputOptions input = new InputOptions();
  final StoreOptions store = new StoreOptions();
  final WriteOptions write = new WriteOptions();
  String patchFile;
  String match;
  boolean dryRun;
  String report;
  int concurrency;

  private final Io io;

  public MigrateCommand(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() throws Exception {
    common.check();
    boolean json = output.json("text");
    if (concurrency < 1 || concurrency > 64) throw CliException.usage("--concurrency must be 1-64", null);
    Inputs.Document patchDoc = new Inputs(io).read(patchFile, input.limits());
    Patch patch;
    try {
      patch = Patch.fromJson(patchDoc.json());
    } catch (InvalidPatchException e) {
      throw CliException.usage(patchDoc.name() + ": " + e.getMessage(), null);
    }
    Pattern glob = glob(match);
    try (Session s = store.open(io)) {
      if (s.tenant() == null) throw CliException.usage("which tenant? pass --tenant T", null);
      List<ConfigRef> refs = new ArrayList<>();
      for (ConfigSummary c : ListCommand.all(s, literalPrefix(match))) {
        if (glob.matcher(c.name()).matches()) refs.add(new ConfigRef(s.tenant(), c.name()));
      }
      long t0 = System.nanoTime();
      List<Result> results = run(s, refs, patch);
      long wall = System.nanoTime() - t0;
      if (report != null) writeReport(Path.of(report), results, wall);
      print(results, json);
      return exitCode(results);
    }
  }

  private List<Result> run(Session s, List<ConfigRef> refs, Patch patch) throws Exception {
    Progress progress = new Progress(io, refs.size());
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(concurrency, Math.max(1, refs.size())));
    try {
      List<Future<Result>> futures = new ArrayList<>();
      for (ConfigRef ref : refs) {
        futures.add(pool.submit(() -> {
          Result r = migrate(s, ref, patch);
          progress.done(r.outcome);
          return r;
        }));
      }
      List<Result> results = new ArrayList<>();
      for (Future<Result> f : futures) results.add(f.get());
      return results;
    } finally {
      pool.shutdownNow();
      progress.finish();
    }
  }

  private Result migrate(Session s, ConfigRef ref, Patch patch) {
    long t0 = System.nanoTime();
    ConfigStore.Write w = write.write(io);
    try {
      if (dryRun) return tryOn(s, ref, patch, w, t0);
      // The store applies the patch, checked against the version of the latest revision: the
      // content travels only when a test op fails, to tell "already applied" from drift.
      long version = s.store().history(s.who(), ref, new ConfigStore.HistoryQuery(1, null, null, null, null))
          .items().get(0).version();
      try {
        Document written = s.store().patch(s.who(), ref, patch, version, w);
        return result(ref, written.version() == version ? Outcome.ALREADY_APPLIED : Outcome.APPLIED,
            written.version(), null, t0);
      } catch (StoreException e) {
        if (e.problem() != Problem.PATCH_FAILED || !"test".equals(e.members().path("op").asText())) throw e;
        Document d = s.store().get(s.who(), ref);
        if (alreadyApplied(d.content(), patch)) return result(ref, Outcome.ALREADY_APPLIED, d.version(), null, t0);
        throw e;
      }
    } catch (StoreException e) {
      Problem p = e.problem();
      Outcome o = p == Problem.VERSION_CONFLICT || p == Problem.REBASE_CONFLICT ? Outcome.CONFLICT
          : p == Problem.LOCKED ? Outcome.LOCKED
          : p == Problem.PATCH_FAILED && "test".equals(e.members().path("op").asText()) ? Outcome.TEST_FAILED
          : Outcome.FAILED;
      String detail = StoreErrors.translate(e, Instant.now()).getMessage();
      return result(ref, o, null, detail, t0);
    }
  }

  /** --dry-run: the patch tried on the content here; nothing written. */
  private Result tryOn(Session s, ConfigRef ref, Patch patch, ConfigStore.Write w, long t0) {
    Document d = s.store().get(s.who(), ref);
    try {
      JsonNode after = JsonPatch.apply(d.content(), patch).document();
      if (after.equals(d.content())) return result(ref, Outcome.ALREADY_APPLIED, d.version(), null, t0);
    } catch (PatchFailedException e) {
      if (e.isTestFailure() && alreadyApplied(d.content(), patch)) {
        return result(ref, Outcome.ALREADY_APPLIED, d.version(), null, t0);
      }
      return result(ref, e.isTestFailure() ? Outcome.TEST_FAILED : Outcome.FAILED, d.version(),
          e.getMessage(), t0);
    }
    var lock = s.store().lock(s.who(), ref);
    if (lock.isPresent() && w.lockId() == null) {
      return result(ref, Outcome.LOCKED, d.version(), lock.get().describe(Instant.now()), t0);
    }
    return result(ref, Outcome.APPLIED, d.version(), "dry run: would apply", t0);
  }

  /** Whether the patch's changes are already there: without its test ops it changes nothing. */
  private static boolean alreadyApplied(JsonNode content, Patch patch) {
    List<PatchOp> changes = new ArrayList<>();
    for (PatchOp op : patch) if (op.op() != PatchOp.Kind.TEST) changes.add(op);
    if (changes.isEmpty()) return false;
    try {
      return JsonPatch.apply(content, new Patch(changes)).document().equals(content);
    } catch (PatchFailedException e) {
      return false;
    }
  }

  private static Result result(ConfigRef ref, Outcome o, Long version, String detail, long t0) {
    return new Result(ref, o, version, detail, System.nanoTime() - t0);
  }

  static int exitCode(List<Result> results) {
    for (Result r : results) if (!r.outcome.ok()) return ExitCode.NEGATIVE;
    return ExitCode.OK;
  }

  private static Map<Outcome, Integer> counts(List<Result> results) {
    Map<Outcome, Integer> n = new EnumMap<>(Outcome.class);
    for (Outcome o : Outcome.values()) n.put(o, 0);
    for (Result r : results) n.merge(r.outcome, 1, Integer::sum);
    return n;
  }

  private void print(List<Result> results, boolean json) {
    Map<Outcome, Integer> n = counts(results);
    if (json) {
      ObjectNode o = Json.NODES.objectNode();
      o.put("dryRun", dryRun);
      ObjectNode summary = o.putObject("summary");
      n.forEach((k, v) -> summary.put(k.slug(), v));
      var items = o.putArray("configs");
      for (Result r : results) {
        ObjectNode i = items.addObject().put("tenant", r.ref.tenant()).put("name", r.ref.name())
            .put("outcome", r.outcome.slug());
        if (r.version != null) i.put("version", r.version);
        if (r.detail != null) i.put("detail", r.detail);
      }
      Outputs.print(io, o, common.pretty(io.stdoutTerminal()));
      return;
    }
    for (Result r : results) {
      if (!r.outcome.ok()) io.err().println(r.ref + ": " + Printable.of(r.message()));
    }
    Table t = new Table("OUTCOME", "CONFIGS");
    for (Outcome o : Outcome.values()) t.row(o.label + (dryRun && o == Outcome.APPLIED ? " (dry run)" : ""), n.get(o).toString());
    t.row("total", Integer.toString(results.size()));
    t.print(io.out());
  }

  /** The JUnit XML report; the suite's time is {@code wallNanos}, not the sum of the concurrent cases'. */
  void writeReport(Path file, List<Result> results, long wallNanos) {
    Map<Outcome, Integer> n = counts(results);
    int failures = results.size() - n.get(Outcome.APPLIED) - n.get(Outcome.ALREADY_APPLIED);
    try (OutputStream out = Files.newOutputStream(file)) {
      XMLStreamWriter x = XMLOutputFactory.newFactory().createXMLStreamWriter(out, "UTF-8");
      x.writeStartDocument("UTF-8", "1.0");
      x.writeCharacters("\n");
      x.writeStartElement("testsuite");
      x.writeAttribute("name", "cfgctl migrate " + patchFile + " --match " + match);
      x.writeAttribute("tests", Integer.toString(results.size()));
      x.writeAttribute("failures", Integer.toString(failures));
      x.writeAttribute("errors", "0");
      x.writeAttribute("skipped", "0");
      x.writeAttribute("time", String.format(Locale.ROOT, "%.3f", wallNanos / 1e9));
      for (Result r : results) {
        x.writeCharacters("\n  ");
        x.writeStartElement("testcase");
        x.writeAttribute("classname", "cfgctl.migrate." + r.ref.tenant());
        x.writeAttribute("name", r.ref.name());
        x.writeAttribute("time", String.format(Locale.ROOT, "%.3f", r.nanos / 1e9));
        if (!r.outcome.ok()) {
          x.writeStartElement("failure");
          x.writeAttribute("type", r.outcome.slug());
          x.writeAttribute("message", r.message());
          x.writeEndElement();
        } else {
          x.writeStartElement("system-out");
          x.writeCharacters(r.outcome.label + (r.version == null ? "" : " (version " + r.version + ")")
              + (dryRun && r.outcome == Outcome.APPLIED ? " (dry run)" : ""));
          x.writeEndElement();
        }
        x.writeEndElement();
      }
      x.writeCharacters("\n");
      x.writeEndElement();
      x.writeCharacters("\n");
      x.writeEndDocument();
      x.close();
    } catch (IOException | XMLStreamException e) {
      throw CliException.usage("cannot write the report " + file + ": " + e.getMessage(), null);
    }
  }

  /** A name glob as a regular expression: * any run of characters, ? one. */
  static Pattern glob(String glob) {
    StringBuilder re = new StringBuilder();
    for (char c : glob.toCharArray()) {
      if (c == '*') re.append(".*");
      else if (c == '?') re.append('.');
      else re.append(Pattern.quote(String.valueOf(c)));
    }
    return Pattern.compile(re.toString());
  }

  /** The part of the glob before its first wildcard: the server lists only names with it. */
  static String literalPrefix(String glob) {
    int i = 0;
    while (i < glob.length() && glob.charAt(i) != '*' && glob.charAt(i) != '?') i++;
    return i == 0 ? null : glob.substring(0, i);
  }

  /** A progress line on a terminal's stderr, redrawn at most ten times a second; silent otherwise. */
  private static final class Progress {
    private final Io io;
    private final int total;
    private final AtomicInteger done = new AtomicInteger();
    private final AtomicInteger bad = new AtomicInteger();
    private volatile long lastDraw;

    Progress(Io io, int total) {
      this.io = io;
      this.total = total;
    }

    void done(Outcome o) {
      int d = done.incrementAndGet();
      if (!o.ok()) bad.incrementAndGet();
      long now = System.nanoTime();
      if (!io.stderrTerminal() || (now - lastDraw < 100_000_000L && d < total)) return;
      lastDraw = now;
      int width = 30;
      int filled = total == 0 ? width : d * width / total;
      synchronized (this) {
        io.err().printf("\rmigrate [%s%s] %d/%d, %d not applied", "#".repeat(filled), ".".repeat(width - filled),
            d, total, bad.get());
        io.err().flush();
      }
    }

    void finish() {
      if (io.stderrTerminal() && total > 0) io.err().println();
    }
  }
}
