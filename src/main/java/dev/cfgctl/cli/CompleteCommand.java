package dev.cfgctl.cli;

import dev.cfgctl.cli.context.Contexts;
import dev.cfgctl.cli.options.Session;
import dev.cfgctl.cli.options.StoreOptions;
import dev.cfgctl.store.ConfigSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@code cfgctl __complete KIND -- WORD...}, hidden: what the completion scripts ask for the values
 * they cannot know, one a line, starting with the last WORD (the one being completed); the WORDs
 * before it are the command line so far, whose store options ({@code --server}, {@code --store},
 * {@code --context}, {@code --tenant}, ...) say where to look. KIND is {@code contexts} (from the
 * contexts file), {@code tenants} (those of the contexts) or {@code refs} (config names in the
 * store the line names, or in TENANT/ when the word starts with one). Never an error, never a new
 * store: nothing is printed when anything fails or takes over 3 seconds.
 */
public final class CompleteCommand implements Callable<Integer> {
  static CommandSpec model(Io io) {
    CommandModel<CompleteCommand> m =
        CommandModel.command("__complete", CompleteCommand.class, () -> new CompleteCommand(io))
            .header("Print completion candidates (for the completion scripts).")
            .examples(
                "What TAB offers after `cfgctl get --tenant acme land`",
                "cfgctl __complete refs -- get --tenant acme land");
    m.operand("KIND", "contexts, tenants or refs.", (c, v) -> c.kind = v);
    m.operands(
        "WORD",
        "The command line so far; the last word is being completed.",
        (c, v) -> c.words = v);
    CommandSpec spec = m.spec();
    spec.usageMessage().hidden(true);
    return spec;
  }

  String kind;
  List<String> words = List.of();
  private final Io io;

  public CompleteCommand(Io io) {
    this.io = io;
  }

  @Override
  public Integer call() {
    String cur = words.isEmpty() ? "" : words.get(words.size() - 1);
    List<String> line = words.isEmpty() ? List.of() : words.subList(0, words.size() - 1);
    FutureTask<List<String>> lookup = new FutureTask<>(() -> lookup(line, cur));
    Thread t = new Thread(lookup, "cfgctl-complete");
    t.setDaemon(true); // a server that does not answer must not keep the shell waiting
    t.start();
    try {
      for (String c : lookup.get(3, TimeUnit.SECONDS)) {
        if (c.startsWith(cur) && !c.contains("\n")) io.out().println(c);
      }
    } catch (Exception e) {
      // completion offers nothing rather than an error in the middle of the user's command line
    }
    return ExitCode.OK;
  }

  private List<String> lookup(List<String> line, String cur) {
    switch (kind) {
      case "contexts":
        return new ArrayList<>(Contexts.load(io).all.keySet());
      case "tenants":
        TreeSet<String> tenants = new TreeSet<>();
        Contexts.load(io)
            .all
            .values()
            .forEach(
                c -> {
                  if (c.tenant() != null) tenants.add(c.tenant());
                });
        return new ArrayList<>(tenants);
      case "refs":
        return refs(storeOptions(line), cur);
      default:
        return List.of();
    }
  }

  private List<String> refs(StoreOptions options, String cur) {
    options.existingOnly = true;
    try (Session s = options.open(io)) {
      int slash = cur.indexOf('/');
      String tenant = slash < 0 ? s.tenant() : cur.substring(0, slash);
      if (tenant == null) return List.of();
      String prefix = cur.substring(slash + 1);
      List<String> refs = new ArrayList<>();
      for (ConfigSummary c :
          s.store().list(s.who(), tenant, prefix.isEmpty() ? null : prefix, 1000, null).items()) {
        refs.add(slash < 0 ? c.name() : tenant + "/" + c.name());
      }
      return refs;
    }
  }

  /** The store options given on the command line so far, parsed as the commands parse them. */
  static StoreOptions storeOptions(List<String> line) {
    StoreOptions options = new StoreOptions();
    CommandModel<StoreOptions> m = CommandModel.command("line", StoreOptions.class, () -> options);
    StoreOptions.addTo(m);
    CommandSpec spec = m.spec();
    List<String> given = new ArrayList<>();
    for (int i = 0; i < line.size() && !line.get(i).equals("--"); i++) {
      String w = line.get(i);
      int eq = w.indexOf('=');
      OptionSpec o = w.startsWith("--") ? spec.findOption(eq < 0 ? w : w.substring(0, eq)) : null;
      if (o == null) continue;
      given.add(w);
      if (eq < 0 && i + 1 < line.size()) given.add(line.get(++i));
    }
    new CommandLine(spec).parseArgs(given.toArray(new String[0]));
    return options;
  }
}
