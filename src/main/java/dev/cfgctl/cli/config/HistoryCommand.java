package dev.cfgctl.cli.config;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cfgctl.cli.Candidates;
import dev.cfgctl.cli.CliException;
import dev.cfgctl.cli.CommandModel;
import dev.cfgctl.cli.ExitCode;
import dev.cfgctl.cli.Io;
import dev.cfgctl.cli.options.CommonOptions;
import dev.cfgctl.cli.options.FormatOption;
import dev.cfgctl.cli.options.Ref;
import dev.cfgctl.cli.options.Session;
import dev.cfgctl.cli.options.StoreOptions;
import dev.cfgctl.output.Format;
import dev.cfgctl.output.Result;
import dev.cfgctl.output.Table;
import dev.cfgctl.patch.Json;
import dev.cfgctl.store.ConfigStore;
import dev.cfgctl.store.Durations;
import dev.cfgctl.store.Page;
import dev.cfgctl.store.Revision;
import dev.cfgctl.store.StoreException;
import dev.cfgctl.store.Times;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

public final class HistoryCommand implements Callable<Integer> {
  public static CommandSpec model(Io io) {
    CommandModel<HistoryCommand> m = CommandModel.command("history", HistoryCommand.class, () -> new HistoryCommand(io))
        .header("List the revisions of a config, newest first.")
        .description("Who changed what and when: version, kind, author, age, the pointers touched and the"
            + " message. Page back with --before VERSION.")
        .examples(
            "The last 20 changes",
            "cfgctl history acme/landing --limit 20",
            "What sarah changed today",
            "cfgctl history acme/landing --author sarah --since 2026-11-28T00:00:00Z");
    CommonOptions.addTo(m.mixin(c -> c.common));
    FormatOption.addTo(m.mixin(c -> c.output));
    StoreOptions.addTo(m.mixin(c -> c.store));
    m.operand("REF", "The config: [TENANT/]NAME.", (c, v) -> c.ref = v).completionCandidates(Candidates.REFS);
    m.option("--limit", int.class, "N", "At most N revisions (1-1000). Default: ${DEFAULT-VALUE}.",
        (c, v) -> c.limit = v).defaultValue("50");
    m.option("--before", Long.class, "VERSION", "Only revisions older than VERSION (the next page).",
        (c, v) -> c.before = v);
    m.option("--author", "USER", "Only changes by this user id.", (c, v) -> c.author = v);
    m.option("--since", "TIME", "Only changes at or after this RFC 3339 time.", (c, v) -> c.since = v);
    m.option("--until", "TIME", "Only changes before this RFC 3339 time.", (c, v) -> c.until = v);
    return m.spec();
  }

  final CommonOptions common = new CommonOptions();
  final FormatOption output = new FormatOption();
  final StoreOptions store = new StoreOptions();
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
    common.check();
    boolean json = output.json("text");
    if (limit < 1 || limit > 1000) throw CliException.usage("--limit must be between 1 and 1000", null);
    Instant from = time(since, "--since");
    Instant to = time(until, "--until");
    try (Session s = store.open(io)) {
      Ref r = s.ref(ref).current("history");
      Page<Revision> page = s.store().history(s.who(), r.config(),
          new ConfigStore.HistoryQuery(limit, before, author, from, to));
      if (json) {
        ObjectNode o = Json.NODES.objectNode();
        ArrayNode items = o.putArray("items");
        page.items().forEach(rev -> items.add(rev.summaryJson()));
        if (page.next() == null) o.putNull("next"); else o.put("next", page.next());
        output.printer(io, common, Format.TEXT).print(Result.list(o, items));
        return ExitCode.OK;
      }
      if (page.items().isEmpty()) { // as list and lock list: no header over nothing
        io.err().println("no revisions of " + r.config() + (author == null ? "" : " by " + author)
            + (since == null ? "" : " since " + since) + (until == null ? "" : " until " + until)
            + (before == null ? "" : " before version " + before));
        return ExitCode.OK;
      }
      Instant now = io.clock().instant();
      Table t = new Table("VERSION", "KIND", "AUTHOR", "AGE", "CHANGED", "MESSAGE");
      for (Revision rev : page.items()) {
        String kind = rev.kind().label() + (rev.undoes() != null ? " " + rev.undoes() : "")
            + (rev.forced() ? " (forced)" : "") + (rev.rebasedFrom() != null ? " (rebased)" : "");
        t.row(Long.toString(rev.version()), kind, rev.author().name(),
            Durations.format(Duration.between(rev.at(), now)) + " ago",
            rev.paths().isEmpty() ? "-" : String.join(" ", rev.paths()).replace("  ", " "),
            rev.message() == null ? "" : rev.message());
      }
      t.print(io.out());
      if (page.next() != null) {
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
