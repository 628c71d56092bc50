package dev.cfgctl.patch;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** PLACEHOLDER until the operational transform lands: refuses any rebase whose paths overlap. */
public final class Rebase {
  public record Conflict(String path, JsonNode theirs, JsonNode yours, int theirsIndex) {}

  public record Result(Patch patch, List<Conflict> conflicts) {
    public boolean ok() {
      return conflicts.isEmpty();
    }
  }

  private Rebase() {}

  public static Result rebase(Patch yours, List<Patch> theirs, JsonNode current) {
    List<Conflict> conflicts = new ArrayList<>();
    for (PatchOp op : yours) {
      for (int i = 0; i < theirs.size(); i++) {
        for (PatchOp t : theirs.get(i)) {
          if (overlaps(op.path(), t.path()) || (t.from() != null && overlaps(op.path(), t.from()))) {
            conflicts.add(new Conflict(op.path().toString(), null, op.value(), i));
          }
        }
      }
    }
    if (!conflicts.isEmpty()) return new Result(null, conflicts);
    return new Result(yours, List.of());
  }

  public static Result merge(JsonNode base, JsonNode yours, List<Patch> theirs, JsonNode current) {
    return rebase(JsonDiff.diff(base, yours), theirs, current);
  }

  private static boolean overlaps(JsonPointer a, JsonPointer b) {
    String x = a.toString();
    String y = b.toString();
    return x.equals(y) || x.startsWith(y + "/") || y.startsWith(x + "/") || x.isEmpty() || y.isEmpty();
  }
}
