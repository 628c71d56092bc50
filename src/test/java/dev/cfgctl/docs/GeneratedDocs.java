package dev.cfgctl.docs;

import dev.cfgctl.Cfgctl;
import dev.cfgctl.cli.CompletionScript;
import dev.cfgctl.cli.Io;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.asciidoctor.Asciidoctor;
import org.asciidoctor.Attributes;
import org.asciidoctor.Options;
import org.asciidoctor.SafeMode;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.codegen.docgen.manpage.ManPageGenerator;

/**
 * Generates what {@code completions/} and {@code man/} hold from the picocli command model: the
 * bash and zsh completion scripts, and one roff man page per command, made by picocli's
 * ManPageGenerator (AsciiDoc) and rendered to roff by Asciidoctor.
 */
final class GeneratedDocs {
  private GeneratedDocs() {}

  /** Path relative to the repository root → content. */
  static Map<String, String> generate() {
    CommandLine root =
        Cfgctl.commandLine(
            new Io(
                new ByteArrayInputStream(new byte[0]),
                new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(new ByteArrayOutputStream()),
                false,
                false,
                Map.of()));
    Map<String, String> files = new LinkedHashMap<>();
    files.put("completions/cfgctl.bash", CompletionScript.bash(root.getCommandSpec()));
    files.put("completions/_cfgctl", CompletionScript.zsh(root.getCommandSpec()));
    try (Asciidoctor asciidoctor = Asciidoctor.Factory.create()) {
      addPages(asciidoctor, root, files);
    }
    return files;
  }

  private static void addPages(
      Asciidoctor asciidoctor, CommandLine cmd, Map<String, String> files) {
    CommandSpec spec = cmd.getCommandSpec();
    if (spec.usageMessage().hidden() || spec.helpCommand()) return;
    if (spec.usageMessage().description().length == 0) {
      spec.usageMessage().description(spec.usageMessage().header()); // not an empty DESCRIPTION
    }
    StringWriter adoc = new StringWriter();
    try (PrintWriter w = new PrintWriter(adoc)) {
      ManPageGenerator.writeSingleManPage(w, spec);
    }
    String roff =
        asciidoctor.convert(
            manSections(adoc.toString(), spec),
            Options.builder()
                .backend("manpage")
                .standalone(true)
                .safe(SafeMode.SAFE)
                // a fixed date, so the pages only change when the commands do
                .attributes(
                    Attributes.builder()
                        .attribute("docdate", "2026-01-01")
                        .attribute("revdate", "2026-01-01")
                        .attribute("reproducible", "")
                        .build())
                .build());
    files.put("man/" + spec.qualifiedName("-") + ".1", roff);
    for (CommandLine sub : cmd.getSubcommands().values()) addPages(asciidoctor, sub, files);
  }

  /**
   * The sections man(7) expects that picocli does not write: headings as man pages spell them (EXIT
   * STATUS, no colons), ENVIRONMENT and FILES before the examples, SEE ALSO last.
   */
  private static String manSections(String adoc, CommandSpec spec) {
    String page =
        adoc.replaceAll("(?m)^==\\s+(.*?):?\\s*$", "== $1")
            .replaceAll("(?im)^== Exit codes$", "== Exit status");
    String footer = "// tag::picocli-generated-man-section-footer[]";
    String end = "// end::picocli-generated-full-manpage[]";
    if (!page.contains(footer) || !page.contains(end)) {
      throw new IllegalStateException("picocli's man page has no footer or end tag any more");
    }
    return page.replace(footer, ENVIRONMENT_AND_FILES + footer).replace(end, seeAlso(spec) + end);
  }

  /**
   * Every variable and file cfgctl and its launcher read; GeneratedDocsTest checks none is missing.
   */
  static final String ENVIRONMENT_AND_FILES =
      """
      == Environment

      *CFGCTL_SERVER*::
      The config API to use, as *--server*.

      *CFGCTL_TOKEN*::
      The bearer token itself; *CFGCTL_TOKEN_FILE*, a file holding it, as *--token-file*.

      *CFGCTL_CA_FILE*::
      The CA certificates to trust for an https server, as *--ca-file*.

      *CFGCTL_TENANT*::
      The tenant of refs given without one, as *--tenant*.

      *CFGCTL_CONTEXT*::
      The context to use instead of the current one, as *--context*.

      *CFGCTL_LOCK_ID*::
      The edit lock to write under, as *--lock-id*.

      Options beat these variables, which beat the context.

      *XDG_CONFIG_HOME*, *XDG_DATA_HOME*, *XDG_CACHE_HOME*, *HOME*::
      Where the files below live (XDG base directory specification).

      *NO_COLOR*::
      When set and not empty, no colors. *TERM*=dumb does the same.

      *HOSTNAME*::
      The host named in a lock's default *--client*.

      *SHELL*::
      *cfgctl completion* without an operand prints the zsh script when this is a zsh, else bash's.

      *CFGCTL_JAVA_HOME*::
      The launcher runs this JDK (17 or newer) instead of the newest one it finds in *JAVA_HOME*, on
      the *PATH* and under */usr/lib/jvm*.

      *CFGCTL_JAVA_OPTS*::
      Extra JVM options for the launcher, split on whitespace.

      *CFGCTL_NO_CDS*::
      *1*: the launcher runs without its start-up archive.

      *CFGCTL_TRAIN*::
      *core*, *store* or *schema*: the launcher makes that start-up archive if it is missing, and exits
      (*scripts/install-cfgctl* uses it).

      *CFGCTL_BUILD_DIR*::
      Run from a source tree: the launcher's Maven build directory (default: *target*).

      == Files

      *$XDG_CONFIG_HOME/cfgctl/config.json*::
      The contexts and which is current (owner-only). Default: *~/.config/cfgctl/config.json*.

      *$XDG_DATA_HOME/cfgctl/cfgctl.db*::
      The embedded store (*--store* names another directory), and *admin.token* next to it, written by
      *cfgctl serve* on first start. Default: *~/.local/share/cfgctl/*.

      *$XDG_CACHE_HOME/cfgctl/*::
      The launcher's start-up archives and the JDK it chose. Default: *~/.cache/cfgctl/*.

      """;

  /** The parent's page, the subcommands' and, below the top level, the siblings'. */
  private static String seeAlso(CommandSpec spec) {
    List<String> pages = new ArrayList<>();
    if (spec.parent() != null) {
      pages.add(spec.root().qualifiedName("-"));
      if (spec.parent() != spec.root()) pages.add(spec.parent().qualifiedName("-"));
    }
    List<CommandSpec> related = new ArrayList<>();
    spec.subcommands().values().forEach(c -> related.add(c.getCommandSpec()));
    if (spec.parent() != null && spec.parent() != spec.root()) {
      spec.parent().subcommands().values().forEach(c -> related.add(c.getCommandSpec()));
    }
    for (CommandSpec c : related) {
      if (c != spec && !c.usageMessage().hidden() && !c.helpCommand())
        pages.add(c.qualifiedName("-"));
    }
    List<String> refs = new ArrayList<>();
    for (String p : pages) refs.add("*" + p + "*(1)");
    return "== See also\n\n" + String.join(", ", refs) + "\n\n";
  }
}
