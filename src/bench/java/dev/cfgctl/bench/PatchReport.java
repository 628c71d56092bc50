package dev.cfgctl.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cfgctl.bench.LandingPageGenerator.Scenario;
import dev.cfgctl.bench.LandingPageGenerator.Size;
import dev.cfgctl.patch.DiffOptions;
import dev.cfgctl.patch.Json;
import dev.cfgctl.patch.JsonDiff;
import dev.cfgctl.patch.JsonPatch;
import dev.cfgctl.patch.Patch;
import dev.cfgctl.patch.PatchOp;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * What the timed benchmarks leave out, computed once per size × scenario: patch size (compact JSON
 * bytes, op count and kinds) for cfgctl and zjsonpatch, whether each patch really turns a into b
 * (and cfgctl's inverse turns it back), and heap: the live trees after a full GC and the peak heap
 * during each diff and apply. Run it with {@code -Xmx1g} (a scenario that needs more fails with
 * OutOfMemoryError) and a small fixed young generation ({@code -Xmn64m}), so the peak is the live
 * data plus at most that much garbage.
 *
 * <p>Also saves zjsonpatch's patches next to the pairs ({@code <scenario>.zjsonpatch.json}) for the
 * apply benchmark, and times one (cold, GC-inclusive) run of each diff as a fallback for a timing
 * the JMH run skipped.
 *
 * <p>Usage: {@code PatchReport OUT.json [SIZES]} with {@code -Dbench.pairs=DIR}.
 */
public final class PatchReport {
  private static final List<MemoryPoolMXBean> HEAP = new ArrayList<>();

  static {
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) HEAP.add(p);
    }
  }

  private PatchReport() {}

  public static void main(String[] args) throws IOException {
    Path out = Path.of(args[0]);
    List<Size> sizes = new ArrayList<>();
    if (args.length > 1) for (String s : args[1].split(",")) sizes.add(Size.of(s.trim()));
    else sizes.addAll(List.of(Size.values()));
    ObjectNode report = Json.NODES.objectNode();
    report.put("maxHeapMB", Runtime.getRuntime().maxMemory() / 1e6);
    report.put(
        "java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    ArrayNode rows = report.putArray("rows");
    DiffOptions slugKeyed = DiffOptions.DEFAULT.withArrayKeys(List.of("id", "slug"));
    for (Size size : sizes) {
      for (Scenario sc : Scenario.values()) {
        Inputs.Pair pair = Inputs.load(size, sc);
        JsonNode a = pair.a();
        JsonNode b = pair.b();
        ObjectNode row = rows.addObject();
        row.put("size", size.label);
        row.put("scenario", sc.label);
        row.put("docBytes", pair.aBytes());
        row.put("treesMB", usedAfterGc() / 1e6);

        long[] peak = new long[1];
        long t = System.nanoTime();
        Patch patch = measured(() -> JsonDiff.diff(a, b), peak);
        long cMs = (System.nanoTime() - t) / 1_000_000;
        ObjectNode c = row.putObject("cfgctl");
        describe(c, patch);
        c.put("singleRunDiffMs", cMs);
        c.put("diffPeakHeapMB", peak[0] / 1e6);
        JsonPatch.Applied applied = measured(() -> JsonPatch.apply(a, patch), peak);
        c.put("applyPeakHeapMB", peak[0] / 1e6);
        c.put("correct", applied.document().equals(b));
        c.put(
            "inverseCorrect",
            JsonPatch.apply(applied.document(), applied.inverse()).document().equals(a));
        applied = null;
        Patch keyed = JsonDiff.diff(a, b, slugKeyed);
        ObjectNode k = row.putObject("cfgctlSlugKeyed");
        describe(k, keyed);
        k.put("correct", JsonPatch.apply(a, keyed).document().equals(b));

        long t0 = System.nanoTime();
        JsonNode zp = measured(() -> com.flipkart.zjsonpatch.JsonDiff.asJson(a, b), peak);
        long zjMs = (System.nanoTime() - t0) / 1_000_000;
        // saved for PatchBench.zjsonpatchApply, whose setup would otherwise diff again (seconds at
        // 10 MB)
        Path pairs = Path.of(System.getProperty("bench.pairs"));
        Files.write(
            LandingPageGenerator.patchFile(pairs, size, sc, "zjsonpatch"),
            Json.compact(zp).getBytes(StandardCharsets.UTF_8));
        ObjectNode z = row.putObject("zjsonpatch");
        z.put("singleRunDiffMs", zjMs);
        z.put("ops", zp.size());
        z.put("bytes", Json.compact(zp).getBytes(StandardCharsets.UTF_8).length);
        Map<String, Integer> kinds = new TreeMap<>();
        for (JsonNode op : zp) kinds.merge(op.get("op").asText(), 1, Integer::sum);
        z.set("kinds", toJson(kinds));
        z.put("diffPeakHeapMB", peak[0] / 1e6);
        JsonNode zApplied = measured(() -> com.flipkart.zjsonpatch.JsonPatch.apply(zp, a), peak);
        z.put("applyPeakHeapMB", peak[0] / 1e6);
        z.put("correct", zApplied.equals(b));
        System.err.printf(
            Locale.ROOT,
            "%-5s %-14s cfgctl %6d ops %,11d B   zjsonpatch %6d ops %,11d B%n",
            size.label,
            sc.label,
            patch.size(),
            c.get("bytes").asInt(),
            zp.size(),
            z.get("bytes").asInt());
      }
    }
    Files.writeString(out, Json.write(report, true));
  }

  private static void describe(ObjectNode o, Patch patch) {
    o.put("ops", patch.size());
    o.put("bytes", Json.compact(patch.toJson()).getBytes(StandardCharsets.UTF_8).length);
    Map<PatchOp.Kind, Integer> kinds = new EnumMap<>(PatchOp.Kind.class);
    for (PatchOp op : patch) kinds.merge(op.op(), 1, Integer::sum);
    Map<String, Integer> named = new TreeMap<>();
    kinds.forEach((kind, n) -> named.put(kind.label(), n));
    o.set("kinds", toJson(named));
  }

  private static ObjectNode toJson(Map<String, Integer> m) {
    ObjectNode o = Json.NODES.objectNode();
    m.forEach(o::put);
    return o;
  }

  private static long usedAfterGc() {
    System.gc();
    System.gc();
    long used = 0;
    for (MemoryPoolMXBean p : HEAP) used += p.getUsage().getUsed();
    return used;
  }

  /** Runs {@code work} and stores the peak heap during it (sum of the heap pools' peaks). */
  private static <T> T measured(Supplier<T> work, long[] peak) {
    usedAfterGc();
    for (MemoryPoolMXBean p : HEAP) p.resetPeakUsage();
    T result = work.get();
    long sum = 0;
    for (MemoryPoolMXBean p : HEAP) sum += p.getPeakUsage().getUsed();
    peak[0] = sum;
    return result;
  }
}
