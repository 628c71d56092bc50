package dev.cfgctl.docs;

import dev.cfgctl.Cfgctl;
import dev.cfgctl.cli.CompletionScript;
import dev.cfgctl.cli.Io;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.asciidoctor.Asciidoctor;
import org.asciidoctor.Attributes;
import org.asciidoctor.Options;
import org.asciidoctor.SafeMode;
import picocli.CommandLine;
import picocli.codegen.docgen.manpage.ManPageGenerator;

/**
 * Generates what {@code completions/} and {@code man/} hold from the picocli command model: the bash
 * and zsh completion scripts, and one roff man page per command, made by picocli's
 * ManPageGenerator (AsciiDoc) and rendered to roff by Asciidoctor.
 */
final class GeneratedDocs {
  private GeneratedDocs() {}

  /** Path relative to the repository root → content. */
  static Map<String, String> generate() {
    CommandLine root = Cfgctl.commandLine(new Io(new ByteArrayInputStream(new byte[0]),
        new PrintStream(new ByteArrayOutputStream()), new PrintStream(new ByteArrayOutputStream()),
        false, false, Map.of()));
    Map<String, String> files = new LinkedHashMap<>();
    files.put("completions/cfgctl.bash", CompletionScript.bash(root.getCommandSpec()));
    files.put("completions/_cfgctl", CompletionScript.zsh(root.getCommandSpec()));
    try (Asciidoctor asciidoctor = Asciidoctor.Factory.create()) {
      addPages(asciidoctor, root, files);
    }
    return files;
  }

  private static void addPages(Asciidoctor asciidoctor, CommandLine cmd, Map<String, String> files) {
    CommandLine.Model.CommandSpec spec = cmd.getCommandSpec();
    if (spec.usageMessage().hidden() || spec.helpCommand()) return;
    StringWriter adoc = new StringWriter();
    try (PrintWriter w = new PrintWriter(adoc)) {
      ManPageGenerator.writeSingleManPage(w, spec);
    }
    String roff = asciidoctor.convert(adoc.toString(), Options.builder()
        .backend("manpage")
        .standalone(true)
        .safe(SafeMode.SAFE)
        // a fixed date, so the pages only change when the commands do
        .attributes(Attributes.builder().attribute("docdate", "2026-01-01")
            .attribute("revdate", "2026-01-01").attribute("reproducible", "").build())
        .build());
    files.put("man/" + spec.qualifiedName("-") + ".1", roff);
    for (CommandLine sub : cmd.getSubcommands().values()) addPages(asciidoctor, sub, files);
  }
}
