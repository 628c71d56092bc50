package dev.cfgctl.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cfgctl.patch.DiffOptions;
import dev.cfgctl.patch.Json;
import dev.cfgctl.patch.JsonDiff;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Wall and process CPU time per diff, on one thread and in parallel, alternating twice, over the
 * pairs {@link LandingPageGenerator} wrote (30 diffs of warm-up, then 40 timed, per mode):
 *
 * <pre>
 * java -Xms1g -Xmx1g -cp BENCH_CLASSPATH dev.cfgctl.bench.DiffCpu PAIRS/10MB one-field,1pct-leaves
 * </pre>
 */
public final class DiffCpu {
  private DiffCpu() {}

  public static void main(String[] args) throws Exception {
    var os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    JsonNode a = Json.parse(Files.readAllBytes(Path.of(args[0], "a.json")), Json.Limits.DEFAULT);
    for (String scenario : args[1].split(",")) {
      JsonNode b =
          Json.parse(Files.readAllBytes(Path.of(args[0], scenario + ".json")), Json.Limits.DEFAULT);
      StringBuilder out = new StringBuilder(String.format("%-14s", scenario));
      for (boolean parallel : new boolean[] {false, true, false, true}) {
        DiffOptions options = DiffOptions.DEFAULT.withParallel(parallel);
        for (int i = 0; i < 30; i++) JsonDiff.diff(a, b, options);
        int n = 40;
        long cpu = os.getProcessCpuTime();
        long wall = System.nanoTime();
        for (int i = 0; i < n; i++) JsonDiff.diff(a, b, options);
        out.append(String.format("  %s wall %.1f cpu %.1f ms", parallel ? "parallel" : "one thread",
            (System.nanoTime() - wall) / 1e6 / n, (os.getProcessCpuTime() - cpu) / 1e6 / n));
      }
      System.out.println(out);
    }
  }
}
