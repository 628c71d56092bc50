package dev.cfgctl.cli.store;

import dev.cfgctl.cli.CliException;
import dev.cfgctl.cli.CommandModel;
import dev.cfgctl.cli.ExitCode;
import dev.cfgctl.cli.Io;
import dev.cfgctl.cli.ProgressBar;
import dev.cfgctl.cli.options.CommonOptions;
import dev.cfgctl.cli.options.FormatOption;
import dev.cfgctl.output.Format;
import dev.cfgctl.output.TextPrinter;
import dev.cfgctl.store.ConfigRef;
import dev.cfgctl.store.StoreException;
import dev.cfgctl.store.jdbc.JdbcConfigRepository;
import dev.cfgctl.store.jdbc.Secrets;
import dev.cfgctl.store.jdbc.StoreCopy;
import dev.cfgctl.store.jdbc.StoreCopy.Outcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

/** {@code cfgctl store copy --from STORE --to STORE}: every config with its history, verified. */
public final class StoreCopyCommand implements Callable<Integer> {
  static CommandSpec model(Io io) {
    CommandModel<StoreCopyCommand> m =
        CommandModel.command("copy", StoreCopyCommand.class, () -> new StoreCopyCommand(io))
            .header("Copy every config with its whole history to another store, verified.")
            .description(
                "Copies every tenant's configs with every retained revision (patches,"
                    + " inverses, snapshots, authors, times: history, old versions and undo work on the"
                    + " target), the audit trail and the lock fence numbers, from one store to another:"
                    + " SQLite to PostgreSQL or back. Locks are not copied; tokens only with --tokens. Each"
                    + " config is copied in one transaction, so an interrupted copy is finished by running"
                    + " it again: configs already there are skipped, and configs written on the source"
                    + " since get their new revisions. A config the target holds with another history is"
                    + " refused (exit 3) unless --overwrite. Then every config is read back and compared"
                    + " (latest version, revision rows, SHA-256 of the content): exit 1 on any difference."
                    + " A server may keep running on the source; stop it and copy again to pick up its last"
                    + " writes.")
            .examples(
                "Move the store in ./data to PostgreSQL, tokens included",
                "cfgctl store copy --from ./data --to jdbc:postgresql://db/cfgctl --tokens",
                "Stop the server on ./data, then copy what it wrote since, and switch",
                "cfgctl store copy --from ./data --to jdbc:postgresql://db/cfgctl --tokens",
                "What would a copy back to SQLite do?",
                "cfgctl store copy --from jdbc:postgresql://db/cfgctl --to ./back --dry-run");
    CommonOptions.addTo(m.mixin(c -> c.common));
    FormatOption.addTo(m.mixin(c -> c.output));
    m.option(
            "--from",
            "STORE",
            "The store to copy: a store directory, a SQLite file,"
                + " jdbc:sqlite:FILE or jdbc:postgresql://….",
            (c, v) -> c.from = v)
        .required(true);
    m.option(
            "--to",
            "STORE",
            "The store to copy into (created when it is a new SQLite file).",
            (c, v) -> c.to = v)
        .required(true);
    m.flag(
        "--tokens",
        "Copy the bearer tokens too: they work on the target as they did.",
        (c, v) -> c.tokens = v);
    m.flag(
        "--overwrite",
        "Replace configs the target holds with another history (losing it).",
        (c, v) -> c.overwrite = v);
    m.flag(
        "--dry-run",
        "Say what would be copied; write nothing (but an existing target's schema).",
        (c, v) -> c.dryRun = v);
    m.option(
            "--concurrency",
            int.class,
            "N",
            "Configs copied at once. Default: ${DEFAULT-VALUE}.",
            (c, v) -> c.concurrency = v)
        .defaultValue("4");
    return m.spec();
  }

  final CommonOptions common = new CommonOptions();
  final FormatOption output = new FormatOption();
  String from;
  String to;
  boolean tokens;
  boolean overwrite;
  boolean dryRun;
  int concurrency;

  private final Io io;

  StoreCopyCommand(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() {
    common.check();
    boolean json = output.json("text");
    if (concurrency < 1 || concurrency > 64) {
      throw CliException.usage("--concurrency must be 1-64", null);
    }
    StoreLocation source = StoreLocation.parse(from, true, "--from");
    StoreLocation target = StoreLocation.parse(to, false, "--to");
    if (source.sameAs(target)) {
      throw CliException.usage("--from and --to name the same store: " + source.shown(), null);
    }
    // a dry run writes nothing: a target that does not exist yet is an empty store in a scratch
    // directory
    Path scratch = null;
    StoreLocation opened = target;
    if (dryRun && target.file() != null && !Files.exists(target.file())) {
      try {
        scratch = Files.createTempDirectory("cfgctl-dry-run");
      } catch (IOException e) {
        throw new CliException(
            ExitCode.UNAVAILABLE, "cannot make a scratch directory: " + e.getMessage());
      }
      opened = StoreLocation.parse(scratch.toString(), false, "--to");
    }
    StoreCopy.Report r;
    ProgressBar bar = new ProgressBar(io);
    try (JdbcConfigRepository a = source.open(io);
        JdbcConfigRepository b = opened.open(io)) {
      StoreCopy copy =
          new StoreCopy(
              a,
              b,
              new StoreCopy.Options(tokens, overwrite, dryRun, concurrency),
              new StoreCopy.Listener() {
                @Override
                public void phase(String name, int total) {
                  bar.start(name, total);
                }

                @Override
                public void done(ConfigRef ref, Outcome outcome) {
                  bar.step();
                }
              });
      r = copy.run();
    } catch (StoreException e) {
      throw new CliException(ExitCode.of(e.problem()), Secrets.redact(e.getMessage()));
    } finally {
      bar.finish();
      if (scratch != null) deleteTree(scratch);
    }
    CliException failure = failure(r);
    StoreCopied copied = new StoreCopied(r, source.shown(), target.shown(), tokens);
    if (!json) {
      // for people watching: on stderr, as stdout carries data only
      new TextPrinter(io.err(), false).print(copied);
    } else if (failure == null || failure.exitCode() == ExitCode.NEGATIVE) {
      // stdout carries data only when the command did not fail (a difference found is an answer);
      // the report says it all, a difference found included (exit 1): nothing on stderr
      output.printer(io, common, Format.TEXT).print(copied);
      return failure == null ? ExitCode.OK : failure.exitCode();
    }
    if (failure != null) throw failure;
    return ExitCode.OK;
  }

  /** What went wrong, worst first; null when the copy is complete and verified. */
  private static CliException failure(StoreCopy.Report r) {
    if (!r.failed().isEmpty()) {
      return new CliException(
          ExitCode.UNAVAILABLE,
          "the copy stopped: " + Secrets.redact(r.failed().get(0)),
          "fix the cause and run the same command again: it goes on where it stopped");
    }
    if (!r.refused().isEmpty()) {
      return new CliException(
          ExitCode.CONFLICT,
          r.refused().size()
              + " configs or tokens not"
              + " copied: the target holds them with another history",
          "copy to an empty store, or"
              + " replace them there with --overwrite (their history on the target is lost)");
    }
    if (!r.mismatches().isEmpty()) {
      return new CliException(
          ExitCode.NEGATIVE,
          "verification failed: " + r.mismatches().size() + " differences between the stores",
          "something wrote to the target during the copy,"
              + " or changed its rows; copy again with --overwrite to replace them");
    }
    return null;
  }

  private static void deleteTree(Path dir) {
    try (var files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    } catch (IOException e) {
      // a scratch directory left in the system's temporary directory harms nothing
    }
  }
}
