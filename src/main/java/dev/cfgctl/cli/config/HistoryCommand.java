package dev.cfgctl.cli.config;

import dev.cfgctl.cli.Candidates;
import dev.cfgctl.cli.CliException;
import dev.cfgctl.cli.CommandModel;
import dev.cfgctl.cli.ExitCode;
import dev.cfgctl.cli.Io;
import dev.cfgctl.cli.options.Ref;
import dev.cfgctl.cli.options.Session;
import dev.cfgctl.cli.options.StoredOptions;
import dev.cfgctl.output.Format;
import dev.cfgctl.store.ConfigStore;
import dev.cfgctl.store.Page;
import dev.cfgctl.store.Revision;
import dev.cfgctl.store.StoreException;
import dev.cfgctl.store.Times;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

/** {@code history REF}: a config's revisions, a page at a time. */
public final class HistoryCommand implements Callable<Integer> {
  public static CommandSpec model(Io io) {
    CommandModel<HistoryCommand> m =
        CommandModel.command("history", HistoryCommand.class, () -> new HistoryCommand(io))
            .header("List the revisions of a config, newest first.")
            .description(
                "Who changed what and when: version, kind, author, age, the pointers touched and the"
                    + " message. Page back with --before VERSION.")
            .examples(
                "The last 20 changes",
                "cfgctl history acme/landing --limit 20",
                "What sarah changed today",
                "cfgctl history acme/landing --author sarah --since 2026-11-28T00:00:00Z");
    StoredOptions.addTo(m.mixin(c -> c.opts));
    m.operand("REF", "The config: [TENANT/]NAME.", (c, v) -> c.ref = v)
        .completionCandidates(Candidates.REFS);
    m.option(
            "--limit",
            int.class,
            "N",
            "At most N revisions (1-1000). Default: ${DEFAULT-VALUE}.",
            (c, v) -> c.limit = v)
        .defaultValue("50");
    m.option(
        "--before",
        Long.class,
        "VERSION",
        "Only revisions older than VERSION (the next page).",
        (c, v) -> c.before = v);
    m.option("--author", "USER", "Only changes by this user id.", (c, v) -> c.author = v);
    m.option(
        "--since", "TIME", "Only changes at or after this RFC 3339 time.", (c, v) -> c.since = v);
    m.option("--until", "TIME", "Only changes before this RFC 3339 time.", (c, v) -> c.until = v);
    return m.spec();
  }

  final StoredOptions opts = new StoredOptions();
  String ref;
  int limit;
  Long before;
  String author;
  String since;
  String until;

  private final Io io;

  public HistoryCommand(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() {
    opts.check();
    boolean text = opts.output.format(Format.TEXT) == Format.TEXT;
    if (limit < 1 || limit > 1000)
      throw CliException.usage("--limit must be between 1 and 1000", null);
    Instant from = time(since, "--since");
    Instant to = time(until, "--until");
    try (Session s = opts.open(io)) {
      Ref r = s.ref(ref).current("history");
      Page<Revision> page =
          s.store()
              .history(
                  s.who(),
                  r.config(),
                  new ConfigStore.HistoryQuery(limit, before, author, from, to));
      if (page.items().isEmpty() && text) { // as list and lock list: no header over nothing
        io.err()
            .println(
                "no revisions of "
                    + r.config()
                    + (author == null ? "" : " by " + author)
                    + (since == null ? "" : " since " + since)
                    + (until == null ? "" : " until " + until)
                    + (before == null ? "" : " before version " + before));
        return ExitCode.OK;
      }
      opts.printer(io).print(new HistoryPage(page, io.clock().instant()));
      if (page.next() != null && text) {
        io.err().println("older: cfgctl history " + r.config() + " --before " + page.next());
      }
      return ExitCode.OK;
    }
  }

  static Instant time(String text, String option) {
    if (text == null) return null;
    try {
      return Times.parse(text, option);
    } catch (StoreException e) {
      throw CliException.usage(e.getMessage(), null);
    }
  }
}
