package dev.cfgctl.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cfgctl.bench.LandingPageGenerator.Scenario;
import dev.cfgctl.bench.LandingPageGenerator.Size;
import dev.cfgctl.patch.JsonDiff;
import dev.cfgctl.patch.JsonPatch;
import dev.cfgctl.patch.Patch;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * cfgctl's diff and apply against zjsonpatch's on the same parsed trees ({@code Json.parse} of the
 * files {@link LandingPageGenerator} wrote to {@code -Dbench.pairs=DIR}; generated in memory when
 * unset). Patch sizes, correctness and heap peaks are measured once, outside the timed code, by
 * {@link PatchReport}. Run through {@code scripts/bench-patch}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Benchmark)
public class PatchBench {
  @Param({"50KB", "1MB", "10MB"})
  public String size;

  @Param({"one-field", "1pct-leaves", "front-insert", "move-to-front", "delete-10pct"})
  public String scenario;

  JsonNode a; // read by FreshCopy
  private JsonNode b;
  private Patch cfgctlPatch;
  private JsonNode zjsonpatchPatch;

  @Setup
  public void setup(BenchmarkParams params) throws IOException {
    Inputs.Pair p = Inputs.load(Size.of(size), Scenario.of(scenario));
    a = p.a();
    b = p.b();
    // only the patch the apply benchmark needs: zjsonpatch's diff of 10 MB can take a second
    String method = params.getBenchmark();
    if (method.endsWith(".cfgctlApply") || method.endsWith(".cfgctlApplyInPlace")) {
      cfgctlPatch = JsonDiff.diff(a, b);
    }
    if (method.endsWith(".zjsonpatchApply")) {
      zjsonpatchPatch = Inputs.savedPatch(Size.of(size), Scenario.of(scenario), "zjsonpatch");
      if (zjsonpatchPatch == null) zjsonpatchPatch = com.flipkart.zjsonpatch.JsonDiff.asJson(a, b);
    }
  }

  /** Parsed trees in, patch out. */
  @Benchmark
  public Patch cfgctlDiff() {
    return JsonDiff.diff(a, b);
  }

  @Benchmark
  public JsonNode zjsonpatchDiff() {
    return com.flipkart.zjsonpatch.JsonDiff.asJson(a, b);
  }

  /** Copying apply (the input stays untouched), with the inverse patch cfgctl always derives. */
  @Benchmark
  public JsonNode cfgctlApply() {
    return JsonPatch.apply(a, cfgctlPatch).document();
  }

  /** zjsonpatch's copying apply. */
  @Benchmark
  public JsonNode zjsonpatchApply() {
    return com.flipkart.zjsonpatch.JsonPatch.apply(zjsonpatchPatch, a);
  }

  /**
   * cfgctl's in-place apply (with its inverse) on a fresh copy of a made outside the timed code:
   * the cost of the operations themselves, without the deep copy of the document that dominates
   * {@link #cfgctlApply} on large documents. (Not "apply, then apply the inverse to restore a":
   * cfgctl's inverse of an {@code add} to an object member is wrong, see PatchReport's inverse
   * check.) gc.alloc.rate.norm of this benchmark includes the per-invocation copy; use
   * cfgctlApply's.
   */
  @Benchmark
  public JsonNode cfgctlApplyInPlace(FreshCopy fresh) {
    return JsonPatch.applyInPlace(fresh.doc, cfgctlPatch).document();
  }

  /** A deep copy of a, new for every invocation. */
  @State(Scope.Thread)
  public static class FreshCopy {
    JsonNode doc;

    @Setup(Level.Invocation)
    public void copy(PatchBench bench) {
      doc = bench.a.deepCopy();
    }
  }
}
