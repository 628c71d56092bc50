package dev.cfgctl.cli.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cfgctl.app.ConfigService;
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
import dev.cfgctl.client.EventStream;
import dev.cfgctl.client.HttpConfigStore;
import dev.cfgctl.output.Format;
import dev.cfgctl.output.Printable;
import dev.cfgctl.output.Printer;
import dev.cfgctl.patch.JsonPointer;
import dev.cfgctl.store.ConfigRef;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.TypeConversionException;

/** {@code watch REF}: a config's changes as they happen, a line each. */
public final class WatchCommand implements Callable<Integer> {
  /** The exit code of a watch interrupted in-process; Ctrl-C ends the JVM with it too. */
  static final int INTERRUPTED = 130;

  public static CommandSpec model(Io io) {
    CommandModel<WatchCommand> m =
        CommandModel.command("watch", WatchCommand.class, () -> new WatchCommand(io))
            .header("Print a config's changes as they happen, a line each.")
            .description(
                "Prints every revision, delete and undelete of the config, in version order, as it"
                    + " is made: first a snapshot of the current version (or, with --since N, the"
                    + " revisions after N), then each change. On a server it reconnects when the"
                    + " connection is lost or the server restarts, and resumes after the last version"
                    + " it printed, so no change is missed or printed twice; on the embedded store it"
                    + " sees the writes of other cfgctl processes on the same store too. Runs until"
                    + " Ctrl-C (exit 130) or SIGTERM (143), or the first event of an --exit-on type"
                    + " (exit 0).")
            .examples(
                "Follow a config",
                "cfgctl watch acme/landing",
                "Every change since version 12, as JSON Lines for a script",
                "cfgctl watch acme/landing --since 12 -o jsonl",
                "Only changes that touch the hero section",
                "cfgctl watch acme/landing --since 12 --pointer /pages/home/hero",
                "Wait for the next change, then rebuild",
                "cfgctl watch acme/landing --exit-on revision && ./rebuild.sh");
    CommonOptions.addTo(m.mixin(c -> c.common));
    StoreOptions.addTo(m.mixin(c -> c.store));
    m.option(
            "-o, --output",
            Format.class,
            "FORMAT",
            "Output format: text (a line per event, for people) or jsonl (each event's JSON on a"
                + " line, for scripts).",
            (c, v) -> c.format = v)
        .converters(WatchCommand::format)
        .completionCandidates(Candidates.of(List.of("text", "jsonl")));
    m.operand("REF", "The config: [TENANT/]NAME.", (c, v) -> c.ref = v)
        .completionCandidates(Candidates.REFS);
    m.option(
        "--since",
        Long.class,
        "VERSION",
        "Start after this version: print the revisions after it, not a snapshot (0: all the"
            + " history kept).",
        (c, v) -> c.since = v);
    m.option(
        "--pointer",
        "POINTER",
        "Print only the revisions that change what is at this JSON pointer (the ones that touch"
            + " it, something under it, or a parent of it); snapshots, deletes and undeletes"
            + " always.",
        (c, v) -> c.pointer = v);
    m.repeatable(
            "--exit-on",
            "TYPE",
            "Exit (0) after printing the first event of this type: revision, deleted, undeleted or"
                + " snapshot. May be repeated.",
            (c, v) -> c.exitOn = v)
        .completionCandidates(Candidates.of(WatchedEvent.TYPES));
    return m.spec();
  }

  final CommonOptions common = new CommonOptions();
  final StoreOptions store = new StoreOptions();
  Format format = Format.TEXT;
  String ref;
  Long since;
  String pointer;
  List<String> exitOn = List.of();

  private final Io io;

  public WatchCommand(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() throws Exception {
    common.check();
    if (since != null && since < 0) throw CliException.usage("--since must not be negative", null);
    JsonPointer under = pointer();
    for (String type : exitOn) {
      if (!WatchedEvent.TYPES.contains(type)) {
        throw CliException.usage(
            "--exit-on takes " + String.join(", ", WatchedEvent.TYPES) + ", not '" + type + "'",
            null);
      }
    }
    try (Session s = store.open(io)) {
      Ref r = s.ref(ref);
      if (r.version() != null) {
        throw CliException.usage(
            "watch follows the current version; drop @" + r.version(),
            "to start after version " + r.version() + ": --since " + r.version());
      }
      ConfigRef config = r.config();
      Printer printer = format.printer(io.out(), false);
      EventStream.Listener out =
          new EventStream.Listener() {
            @Override
            public boolean event(JsonNode m, String text) {
              WatchedEvent e = new WatchedEvent(config, m);
              if (!e.shown() || (under != null && !e.touches(under))) return true;
              printer.print(e);
              io.out().flush();
              return !exitOn.contains(e.type());
            }

            @Override
            public void reconnecting(String why, Long after) {
              io.err()
                  .println(
                      "cfgctl: lost the change stream of "
                          + config
                          + " ("
                          + Printable.of(why)
                          + "); reconnecting"
                          + (after == null ? "" : " to resume after version " + after));
            }
          };
      try {
        if (s.store() instanceof HttpConfigStore http) {
          try (EventStream stream = http.events(s.who(), config, since, out)) {
            stream.run();
          }
        } else if (s.store() instanceof ConfigService local) {
          try (LocalStream stream = new LocalStream(local, s.who(), config, since, out)) {
            stream.run();
          }
        } else {
          throw new CliException(ExitCode.INTERNAL, "this store has no change stream");
        }
      } catch (InterruptedException e) {
        return INTERRUPTED;
      }
      return ExitCode.OK;
    }
  }

  private JsonPointer pointer() {
    if (pointer == null) return null;
    try {
      return JsonPointer.parse(pointer);
    } catch (IllegalArgumentException e) {
      throw CliException.usage("--pointer: " + e.getMessage(), "e.g. --pointer /pages/0/title");
    }
  }

  private static Format format(String word) {
    Format f = FormatOption.parse(word);
    if (f == Format.JSON) {
      throw new TypeConversionException(
          "watch prints a stream: -o text or jsonl, not 'json' (jsonl is one JSON value per line)");
    }
    return f;
  }
}
