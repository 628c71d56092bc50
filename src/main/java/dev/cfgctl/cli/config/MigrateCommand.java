package dev.cfgctl.cli.config;

import dev.cfgctl.app.Migration;
import dev.cfgctl.app.MigrationReport;
import dev.cfgctl.app.MigrationReport.ConfigResult;
import dev.cfgctl.cli.CliException;
import dev.cfgctl.cli.CommandModel;
import dev.cfgctl.cli.ExitCode;
import dev.cfgctl.cli.Io;
import dev.cfgctl.cli.ProgressBar;
import dev.cfgctl.cli.StoreErrors;
import dev.cfgctl.cli.file.Inputs;
import dev.cfgctl.cli.options.InputOptions;
import dev.cfgctl.cli.options.Session;
import dev.cfgctl.cli.options.StoredOptions;
import dev.cfgctl.output.Format;
import dev.cfgctl.output.JunitReportWriter;
import dev.cfgctl.output.Printable;
import dev.cfgctl.patch.InvalidPatchException;
import dev.cfgctl.patch.Patch;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

/** {@code migrate PATCH --match GLOB}: one patch, every matching config of a tenant. */
public final class MigrateCommand implements Callable<Integer> {
  public static CommandSpec model(Io io) {
    CommandModel<MigrateCommand> m =
        CommandModel.command("migrate", MigrateCommand.class, () -> new MigrateCommand(io))
            .header(
                "Apply one patch to every matching config of a tenant, each with its own version"
                    + " check.")
            .description(
                "Each config is patched with its own version check: the patch applies only to the"
                    + " version that was current when its turn came (or is rebased over later"
                    + " changes with --rebase); --dry-run tries it on each config's content"
                    + " instead. Guard the patch with test ops and re-running is safe: configs that"
                    + " already look like the result count as already applied. A progress bar shows"
                    + " on a terminal; the summary counts applied, already applied, conflict,"
                    + " failed test op, locked and failed configs (with -o json and --report, per"
                    + " config). Exits 0 only when every config is applied or already applied, 1"
                    + " otherwise.")
            .examples(
                "Preview a migration of every landing page of tenant acme",
                "cfgctl migrate cta.patch.json --tenant acme --match 'landing*' --dry-run",
                "Run it in CI with a JUnit report",
                "cfgctl migrate cta.patch.json --tenant acme --match 'landing*' --report m.xml");
    StoredOptions.addWriteTo(m.mixin(c -> c.opts), true);
    InputOptions.addTo(m.mixin(c -> c.input));
    m.operand("PATCH", "The JSON Patch to apply (- for stdin).", (c, v) -> c.patchFile = v);
    m.option(
            "--match",
            "GLOB",
            "Config names to migrate: * any characters, ? one.",
            (c, v) -> c.match = v)
        .required(true);
    m.flag("--dry-run", "Try the patch on every config; write nothing.", (c, v) -> c.dryRun = v);
    m.option(
        "--report",
        "FILE",
        "Write a JUnit XML report (one test case per config).",
        (c, v) -> c.report = v);
    m.option(
            "--concurrency",
            int.class,
            "N",
            "Configs migrated at once. Default: ${DEFAULT-VALUE}.",
            (c, v) -> c.concurrency = v)
        .defaultValue("8");
    return m.spec();
  }

  final StoredOptions opts = new StoredOptions();
  final InputOptions input = new InputOptions();
  String patchFile;
  String match;
  boolean dryRun;
  String report;
  int concurrency;

  private final Io io;

  MigrateCommand(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() throws Exception {
    opts.check();
    if (concurrency < 1 || concurrency > 64) {
      throw CliException.usage("--concurrency must be 1-64", null);
    }
    Inputs.Document patchDoc = new Inputs(io).read(patchFile, input.limits());
    Patch patch;
    try {
      patch = Patch.fromJson(patchDoc.json());
    } catch (InvalidPatchException e) {
      throw CliException.usage(patchDoc.name() + ": " + e.getMessage(), null);
    }
    try (Session s = opts.open(io)) {
      if (s.tenant() == null) throw CliException.usage("which tenant? pass --tenant T", null);
      Migration migration =
          new Migration(
              s.store(),
              s.who(),
              io.clock(),
              e -> StoreErrors.translate(e, io.clock().instant()).getMessage());
      MigrationReport result =
          migration.run(
              s.tenant(),
              match,
              patch,
              new Migration.Options(dryRun, concurrency, opts.write(io)),
              new Progress(io));
      if (report != null) writeReport(result);
      if (opts.output.format(Format.TEXT) == Format.TEXT) {
        for (ConfigResult r : result.configs()) {
          if (!r.outcome().ok()) io.err().println(r.ref() + ": " + Printable.of(r.message()));
        }
      }
      opts.printer(io).print(new Migrated(result));
      return result.succeeded() ? ExitCode.OK : ExitCode.NEGATIVE;
    }
  }

  private void writeReport(MigrationReport result) {
    Path file = Path.of(report);
    try {
      JunitReportWriter.write(result, "cfgctl migrate " + patchFile + " --match " + match, file);
    } catch (IOException e) {
      throw CliException.usage("cannot write the report " + file + ": " + e.getMessage(), null);
    }
  }

  /** The progress bar on a terminal: {@code migrate [####......] 12/40, 1 not applied}. */
  private static final class Progress implements Migration.Progress {
    private final ProgressBar bar;
    private int notApplied;

    Progress(Io io) {
      this.bar = new ProgressBar(io);
    }

    @Override
    public void started(int configs) {
      bar.start("migrate", configs);
    }

    @Override
    public synchronized void migrated(ConfigResult result) {
      if (!result.outcome().ok()) notApplied++;
      bar.step(", " + notApplied + " not applied");
    }

    @Override
    public void finished() {
      bar.finish();
    }
  }
}
