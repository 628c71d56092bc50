package dev.cfgctl.cli.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cfgctl.cli.Candidates;
import dev.cfgctl.cli.CliException;
import dev.cfgctl.cli.CommandModel;
import dev.cfgctl.cli.ExitCode;
import dev.cfgctl.cli.Io;
import dev.cfgctl.cli.options.Ref;
import dev.cfgctl.cli.options.Session;
import dev.cfgctl.cli.options.StoredOptions;
import dev.cfgctl.patch.JsonPointer;
import dev.cfgctl.store.Document;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

/** {@code get REF[@VERSION] [--pointer P]}: a stored config's content. */
public final class GetCommand implements Callable<Integer> {
  public static CommandSpec model(Io io) {
    CommandModel<GetCommand> m =
        CommandModel.command("get", GetCommand.class, () -> new GetCommand(io))
            .header("Print a stored config, or one version of it.")
            .description(
                "Print the content of a stored config (the current version, or REF@N / --at"
                    + " N), or the part of it at --pointer. With -o json: the content with its version and who"
                    + " last changed it.")
            .examples(
                "The current landing page, into a file to edit",
                "cfgctl get acme/landing > landing.json",
                "Version 7's headline",
                "cfgctl get acme/landing@7 --pointer /pages/0/sections/0/content/headline",
                "The current version number, for a script",
                "cfgctl get acme/landing -o json | jq .version");
    StoredOptions.addTo(m.mixin(c -> c.opts));
    m.operand("REF", "The config: [TENANT/]NAME[@VERSION].", (c, v) -> c.ref = v)
        .completionCandidates(Candidates.REFS);
    m.option(
        "--pointer",
        "POINTER",
        "Print only the value at this JSON pointer.",
        (c, v) -> c.pointer = v);
    m.option("--at", Long.class, "N", "Print version N (same as REF@N).", (c, v) -> c.version = v);
    return m.spec();
  }

  final StoredOptions opts = new StoredOptions();
  String ref;
  String pointer;
  Long version;

  private final Io io;

  public GetCommand(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() {
    opts.check();
    if (pointer != null) {
      try {
        JsonPointer.parse(pointer);
      } catch (IllegalArgumentException e) {
        throw CliException.usage(
            "--pointer: " + e.getMessage(), "pointers look like /pages/0/title");
      }
    }
    try (Session s = opts.open(io)) {
      Ref r = s.ref(ref);
      if (r.version() != null && version != null && !r.version().equals(version)) {
        throw CliException.usage("two versions asked for: " + r + " and --at " + version, null);
      }
      Long v = r.version() != null ? r.version() : version;
      Document d =
          v == null ? s.store().get(s.who(), r.config()) : s.store().get(s.who(), r.config(), v);
      JsonNode content = d.content();
      if (pointer != null) {
        content = content.at(pointer);
        if (content.isMissingNode()) {
          throw new CliException(
              ExitCode.NOT_FOUND, d.ref() + "@" + d.version() + " has nothing at " + pointer, null);
        }
      }
      opts.printer(io).print(new Fetched(d, pointer, content));
      return ExitCode.OK;
    }
  }
}
