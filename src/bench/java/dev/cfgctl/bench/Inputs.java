package dev.cfgctl.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cfgctl.bench.LandingPageGenerator.Scenario;
import dev.cfgctl.bench.LandingPageGenerator.Size;
import dev.cfgctl.patch.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The benchmark inputs: the files under {@code -Dbench.pairs=DIR}, or generated in memory. */
final class Inputs {
  record Pair(JsonNode a, JsonNode b, int aBytes) {}

  private Inputs() {}

  /** The patch PatchReport saved for this pair, or null. */
  static JsonNode savedPatch(Size size, Scenario scenario, String library) throws IOException {
    String dir = System.getProperty("bench.pairs");
    if (dir == null || dir.isEmpty()) return null;
    Path f = LandingPageGenerator.patchFile(Path.of(dir), size, scenario, library);
    return Files.exists(f) ? Json.parse(Files.readAllBytes(f), Json.Limits.DEFAULT) : null;
  }

  static Pair load(Size size, Scenario scenario) throws IOException {
    String dir = System.getProperty("bench.pairs");
    byte[] a;
    byte[] b;
    if (dir != null && !dir.isEmpty()) {
      Path root = Path.of(dir);
      a = Files.readAllBytes(LandingPageGenerator.aFile(root, size));
      b = Files.readAllBytes(LandingPageGenerator.bFile(root, size, scenario));
    } else {
      ObjectNode doc = LandingPageGenerator.generate(size);
      a = Json.compact(doc).getBytes(StandardCharsets.UTF_8);
      b = Json.compact(LandingPageGenerator.mutate(doc, scenario)).getBytes(StandardCharsets.UTF_8);
    }
    // both libraries get the same trees, parsed the way cfgctl parses (exact numbers)
    return new Pair(
        Json.parse(a, Json.Limits.DEFAULT), Json.parse(b, Json.Limits.DEFAULT), a.length);
  }
}
