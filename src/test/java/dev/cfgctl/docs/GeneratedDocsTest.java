package dev.cfgctl.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Fails when the committed completion script or man pages differ from what the command model
 * generates. {@code scripts/gen-docs} (this test with -Dcfgctl.updateDocs=true) rewrites them.
 */
class GeneratedDocsTest {
  private static final Path ROOT = Path.of("").toAbsolutePath();

  @Test
  void committedCompletionsAndManPagesMatchTheCommandModel() throws IOException {
    Map<String, String> generated = GeneratedDocs.generate();
    if (Boolean.getBoolean("cfgctl.updateDocs")) write(generated);

    List<String> stale = new ArrayList<>();
    for (Map.Entry<String, String> e : generated.entrySet()) {
      Path p = ROOT.resolve(e.getKey());
      if (!Files.exists(p) || !Files.readString(p, StandardCharsets.UTF_8).equals(e.getValue())) {
        stale.add(e.getKey());
      }
    }
    for (Path p : committed()) {
      if (!generated.containsKey(ROOT.relativize(p).toString())) stale.add(ROOT.relativize(p) + " (no such command)");
    }
    assertThat(stale)
        .as("generated files out of date; run scripts/gen-docs and commit the result")
        .isEmpty();
  }

  @Test
  void everyCommandHasAManPageWithItsExitCodes() {
    Map<String, String> generated = GeneratedDocs.generate();
    assertThat(generated).containsKeys("man/cfgctl.1", "man/cfgctl-diff.1", "man/cfgctl-patch.1",
        "man/cfgctl-validate.1", "completions/cfgctl.bash", "completions/_cfgctl");
    assertThat(generated.get("man/cfgctl-patch.1")).startsWith("'\\\" t").contains(".SH \"EXIT CODES")
        .contains("version conflict");
  }

  private static void write(Map<String, String> generated) throws IOException {
    for (Path p : committed()) Files.delete(p);
    for (Map.Entry<String, String> e : generated.entrySet()) {
      Path p = ROOT.resolve(e.getKey());
      Files.createDirectories(p.getParent());
      Files.writeString(p, e.getValue(), StandardCharsets.UTF_8);
    }
  }

  private static List<Path> committed() throws IOException {
    List<Path> files = new ArrayList<>();
    for (String dir : List.of("man", "completions")) {
      Path d = ROOT.resolve(dir);
      if (!Files.isDirectory(d)) continue;
      try (Stream<Path> s = Files.list(d)) {
        s.filter(Files::isRegularFile).forEach(files::add);
      }
    }
    return files;
  }
}
