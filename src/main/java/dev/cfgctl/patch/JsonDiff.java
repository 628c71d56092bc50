package dev.cfgctl.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Computes a small RFC 6902 patch between two documents, such that applying it to the first yields
 * the second. Objects are compared member by member. Arrays are matched element by element — by
 * identity member ({@code id}) when every element has a unique one, otherwise by a bounded shortest
 * edit script over element signatures (see {@link StructuralHash#signature}) — and the longest run
 * of matched elements that kept their order stays put; the other matched elements become {@code
 * move}s, unmatched ones {@code remove}s and {@code add}s, and matched or leftover elements are
 * diffed in place. Per array, time is O((n + m) log(n + m)) plus at most a fixed budget of edit
 * script steps ({@link ShortestEdit}); never quadratic. Equality is exact: numbers compare by their
 * text.
 *
 * <p>Not thread-safe as an instance; {@link #diff} is thread-safe.
 */
public final class JsonDiff {
  private final DiffOptions options;
  private final boolean ignoring;
  private final List<PatchOp> ops = new ArrayList<>();
  private final Path path = new Path();

  private JsonDiff(DiffOptions options) {
    this.options = options;
    this.ignoring = !options.ignore().isEmpty();
  }

  public static Patch diff(JsonNode a, JsonNode b) {
    return diff(a, b, DiffOptions.DEFAULT);
  }

  public static Patch diff(JsonNode a, JsonNode b, DiffOptions options) {
    JsonDiff d = new JsonDiff(options);
    d.node(a, b);
    return new Patch(d.ops);
  }

  /** Diffs the values at the current path. */
  private void node(JsonNode a, JsonNode b) {
    if (a == b || ignored()) return;
    if (a instanceof ObjectNode && b instanceof ObjectNode) {
      object(a, b);
    } else if (a instanceof ArrayNode && b instanceof ArrayNode) {
      array(a, b);
    } else if (!a.equals(b)) {
      JsonPointer p = path.pointer();
      if (options.withTests()) ops.add(PatchOp.test(p, a));
      ops.add(PatchOp.replace(p, b));
    }
  }

  private void member(String name, JsonNode a, JsonNode b) {
    if (same(a, b)) return;
    path.push(name);
    node(a, b);
    path.pop();
  }

  private void element(int index, JsonNode a, JsonNode b) {
    if (same(a, b)) return;
    path.push(index);
    node(a, b);
    path.pop();
  }

  /**
   * The cheap answers first: the same node, or equal scalars where nothing is ignored. (instanceof
   * rather than isValueNode(), which costs a virtual call per leaf on the diff's hottest path.)
   */
  private boolean same(JsonNode a, JsonNode b) {
    return a == b || (!(a instanceof ContainerNode) && !ignoring && a.equals(b));
  }

  /**
   * Diffs the members both objects have, in a's order, then emits what was moved, removed and
   * added.
   */
  private void object(JsonNode a, JsonNode b) {
    List<String> removed = List.of();
    int common = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = a.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode other = b.get(e.getKey());
      if (other == null) {
        if (ignored(e.getKey())) continue;
        if (removed.isEmpty()) removed = new ArrayList<>();
        removed.add(e.getKey());
      } else {
        common++;
        member(e.getKey(), e.getValue(), other);
      }
    }
    if (!removed.isEmpty() || common < b.size()) membersChanged(a, b, removed, common);
  }

  /** Emits the moves, removes and adds of members (in the diff's hot path only as a call). */
  private void membersChanged(JsonNode a, JsonNode b, List<String> removed, int common) {
    List<String> added = new ArrayList<>();
    if (common < b.size()) {
      for (Iterator<String> it = b.fieldNames(); it.hasNext(); ) {
        String k = it.next();
        if (!a.has(k) && !ignored(k)) added.add(k);
      }
    }
    if (options.moves() && !removed.isEmpty() && !added.isEmpty()) {
      Map<Long, List<String>> byValue = new HashMap<>();
      for (String k : removed) {
        byValue.computeIfAbsent(StructuralHash.of(a.get(k)), v -> new ArrayList<>(1)).add(k);
      }
      Set<String> movedFrom = new HashSet<>();
      for (Iterator<String> it = added.iterator(); it.hasNext(); ) {
        String k = it.next();
        List<String> candidates = byValue.get(StructuralHash.of(b.get(k)));
        String f = null;
        // from the end, so many removed members with one value cost O(1) each
        for (int c = candidates == null ? -1 : candidates.size() - 1; c >= 0 && f == null; c--) {
          if (a.get(candidates.get(c)).equals(b.get(k))) f = candidates.remove(c);
        }
        if (f == null) continue;
        movedFrom.add(f);
        it.remove();
        JsonPointer fp = path.pointerTo(f);
        if (options.withTests()) ops.add(PatchOp.test(fp, a.get(f)));
        ops.add(PatchOp.move(fp, path.pointerTo(k)));
      }
      removed.removeAll(movedFrom);
    }
    for (String k : removed) {
      JsonPointer p = path.pointerTo(k);
      if (options.withTests()) ops.add(PatchOp.test(p, a.get(k)));
      ops.add(PatchOp.remove(p));
    }
    for (String k : added) ops.add(PatchOp.add(path.pointerTo(k), b.get(k)));
  }

  private void array(JsonNode a, JsonNode b) {
    int n = a.size();
    int m = b.size();
    // Equal elements at the front stay where they are whatever the matching (equal elements have
    // equal ids), so they are compared once, by equals, which is cheaper than diffing them.
    int p = equalPrefix(a, b);
    if (p == n && p == m) return;
    int[] match = new int[m]; // b index -> matched a index, or -1
    Arrays.fill(match, -1);
    boolean[] kept = new boolean[n]; // a index is matched
    boolean[] differs = new boolean[m]; // matched pair whose content may differ
    boolean byIdentity = ArrayMatching.matchByIdentity(options.arrayKeys(), a, b, match, kept);
    if (byIdentity) {
      for (int j = p; j < m; j++) differs[j] = match[j] >= 0;
    } else {
      ArrayMatching.matchByValue(a, b, p, match, kept, differs);
    }
    boolean[] stable = ArrayMatching.longestIncreasing(match);
    if (!byIdentity) ArrayMatching.pairLeftovers(match, kept, stable, differs);
    if (!options.moves()) {
      for (int j = 0; j < m; j++) {
        if (match[j] >= 0 && !stable[j]) {
          kept[match[j]] = false;
          match[j] = -1;
          differs[j] = false;
        }
      }
    }
    for (int i = n - 1; i >= 0; i--) {
      if (!kept[i]) {
        JsonPointer at = path.pointerTo(i);
        if (options.withTests()) ops.add(PatchOp.test(at, a.get(i)));
        ops.add(PatchOp.remove(at));
      }
    }
    placeElements(a, b, match, kept, stable);
    for (int j = 0; j < m; j++) {
      if (differs[j]) element(j, a.get(match[j]), b.get(j));
    }
  }

  private static int equalPrefix(JsonNode a, JsonNode b) {
    int p = 0;
    while (p < a.size() && p < b.size() && a.get(p).equals(b.get(p))) p++;
    return p;
  }

  /**
   * Emits the adds and moves that turn the kept elements (in a's order) into b's order. Elements
   * are placed in ascending b order, each right after b's previous element; the stable ones never
   * move. Where an element currently sits is counted with a Fenwick tree over the positions
   * elements can occupy: an a element stays in its slot, a placed one goes into the slot after the
   * last stable element before it.
   */
  private void placeElements(
      JsonNode a, JsonNode b, int[] match, boolean[] kept, boolean[] stable) {
    int n = a.size();
    int m = b.size();
    boolean anyMove = false;
    for (int j = 0; j < m; j++) anyMove |= match[j] >= 0 && !stable[j];
    if (!anyMove) {
      // only inserts: after the removals the array is b's stable elements in order, so b[j] goes at
      // j
      for (int j = 0; j < m; j++) {
        if (match[j] < 0) ops.add(PatchOp.add(path.pointerTo(j), b.get(j)));
      }
      return;
    }
    long[] slots = new long[n + m];
    int count = 0;
    for (int i = 0; i < n; i++) if (kept[i]) slots[count++] = slot(i, false, 0, m);
    int anchor = -1;
    for (int j = 0; j < m; j++) {
      if (stable[j]) anchor = match[j];
      else slots[count++] = slot(anchor, true, j, m);
    }
    long[] sorted = Arrays.copyOf(slots, count);
    Arrays.sort(sorted);
    Fenwick present = new Fenwick(count);
    for (int i = 0; i < n; i++) if (kept[i]) present.add(rank(sorted, slot(i, false, 0, m)), 1);
    anchor = -1;
    for (int j = 0; j < m; j++) {
      if (stable[j]) {
        anchor = match[j];
        continue;
      }
      int target = rank(sorted, slot(anchor, true, j, m));
      if (match[j] < 0) {
        ops.add(PatchOp.add(path.pointerTo(present.prefix(target)), b.get(j)));
      } else {
        int source = rank(sorted, slot(match[j], false, 0, m));
        int from = present.prefix(source);
        present.add(source, -1);
        int to = present.prefix(target);
        if (from != to) {
          JsonPointer fp = path.pointerTo(from);
          if (options.withTests()) ops.add(PatchOp.test(fp, a.get(match[j])));
          ops.add(PatchOp.move(fp, path.pointerTo(to)));
        }
      }
      present.add(target, 1);
    }
  }

  /** Orders slots by (anchor a index, original before placed, b index). */
  private static long slot(int aIndex, boolean placed, int bIndex, int m) {
    return ((long) (aIndex + 1) * 2 + (placed ? 1 : 0)) * (m + 1L) + (placed ? bIndex + 1 : 0);
  }

  private static int rank(long[] sorted, long slot) {
    return Arrays.binarySearch(sorted, slot);
  }

  private boolean ignored() {
    if (!ignoring) return false;
    for (JsonPointer p : options.ignore()) if (path.matches(p)) return true;
    return false;
  }

  private boolean ignored(String member) {
    if (!ignoring) return false;
    path.push(member);
    boolean ignored = ignored();
    path.pop();
    return ignored;
  }

  /**
   * Where the diff is in the documents: member names and array indices, pushed and popped while
   * recursing, and turned into a pointer only for the operations emitted.
   */
  private static final class Path {
    private String[] names = new String[16]; // null where the token is an index
    private int[] indices = new int[16];
    private int depth;

    void push(String name) {
      grow();
      names[depth++] = name;
    }

    void push(int index) {
      grow();
      names[depth] = null;
      indices[depth++] = index;
    }

    void pop() {
      depth--;
    }

    private void grow() {
      if (depth == names.length) {
        names = Arrays.copyOf(names, depth * 2);
        indices = Arrays.copyOf(indices, depth * 2);
      }
    }

    private String token(int i) {
      return names[i] != null ? names[i] : Integer.toString(indices[i]);
    }

    JsonPointer pointer() {
      String[] t = new String[depth];
      for (int i = 0; i < depth; i++) t[i] = token(i);
      return JsonPointer.of(List.of(t));
    }

    JsonPointer pointerTo(String name) {
      push(name);
      JsonPointer p = pointer();
      pop();
      return p;
    }

    JsonPointer pointerTo(int index) {
      push(index);
      JsonPointer p = pointer();
      pop();
      return p;
    }

    boolean matches(JsonPointer pattern) {
      List<String> t = pattern.tokens();
      if (t.size() != depth) return false;
      for (int i = 0; i < depth; i++) {
        if (!t.get(i).equals("*") && !t.get(i).equals(token(i))) return false;
      }
      return true;
    }
  }

  /** Counts of present slots, with prefix sums in O(log n). */
  private static final class Fenwick {
    private final int[] tree;

    Fenwick(int size) {
      tree = new int[size + 1];
    }

    void add(int index, int delta) {
      for (int i = index + 1; i < tree.length; i += i & -i) tree[i] += delta;
    }

    /** The number of present slots before {@code index}. */
    int prefix(int index) {
      int s = 0;
      for (int i = index; i > 0; i -= i & -i) s += tree[i];
      return s;
    }
  }
}
