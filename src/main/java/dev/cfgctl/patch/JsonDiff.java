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
 * of matched elements that kept their order stays put; the other matched elements become
 * {@code move}s, unmatched ones {@code remove}s and {@code add}s, and matched or leftover elements
 * are diffed in place. Per array, time is O((n + m) log(n + m)) plus at most a fixed budget of edit
 * script steps ({@link ShortestEdit}); never quadratic. Equality is exact: numbers compare by their
 * text.
 *
 * <p>Broad documents — {@value #PARALLEL_NODES} nodes or more in their top five levels, as a 10 MB
 * config has and a 1 MB one has not — are diffed on all processors (unless
 * {@link DiffOptions#parallel} is off): whenever a thread of the {@link Team} waits for work, the
 * thread diffing a container's children offers it the second half of those left, if they have at
 * least {@value #SHARE_NODES} nodes. Each half gets operations of its own, joined in order, so the
 * patch is the same as on one thread. (The walk over two large trees waits on memory more than
 * it computes, so two cores take about two thirds of the time.)
 *
 * <p>Not thread-safe as an instance; {@link #diff} is thread-safe.
 */
public final class JsonDiff {
  /** How many nodes a document's top {@value #BROAD_LEVELS} levels need for a parallel diff. */
  static final int PARALLEL_NODES = 8192;
  private static final int BROAD_LEVELS = 5;
  /** The fewest nodes worth handing to another thread. */
  static final int SHARE_NODES = 2048;
  private final DiffOptions options;
  private final boolean ignoring;
  private final Team team; // null: on the calling thread only
  private final int shareNodes;
  private final List<PatchOp> ops = new ArrayList<>();
  private final Path path;
  private boolean small; // within children too small to share

  private JsonDiff(DiffOptions options, Team team, int shareNodes) {
    this.options = options;
    this.ignoring = !options.ignore().isEmpty();
    this.team = team;
    this.shareNodes = shareNodes;
    this.path = new Path();
  }

  /** A diff of a part of the parent's children, at the parent's path. */
  private JsonDiff(JsonDiff parent) {
    this.options = parent.options;
    this.ignoring = parent.ignoring;
    this.team = parent.team;
    this.shareNodes = parent.shareNodes;
    this.path = parent.path.copy();
  }

  public static Patch diff(JsonNode a, JsonNode b) {
    return diff(a, b, DiffOptions.DEFAULT);
  }

  public static Patch diff(JsonNode a, JsonNode b, DiffOptions options) {
    if (!options.parallel() || !Team.available() || count(a, PARALLEL_NODES, BROAD_LEVELS) > 0) {
      JsonDiff d = new JsonDiff(options, null, 0);
      d.node(a, b);
      return new Patch(d.ops);
    }
    return Team.run(false, team -> shared(team, a, b, options, SHARE_NODES));
  }

  /** For tests: a diff that offers every share it can, to helpers that are ready from the start. */
  static Patch diffSharingAll(JsonNode a, JsonNode b, DiffOptions options) {
    return Team.run(true, team -> shared(team, a, b, options, 1));
  }

  private static Patch shared(Team team, JsonNode a, JsonNode b, DiffOptions options, int nodes) {
    JsonDiff d = new JsonDiff(options, team, nodes);
    d.node(a, b);
    return new Patch(d.ops);
  }

  /**
   * {@code left} minus the number of nodes in n's top {@code levels} levels, counting no further
   * than 0. (Counting costs what diffing costs, about, so it looks at little of a document.)
   */
  private static int count(JsonNode n, int left, int levels) {
    left--;
    if (levels == 1 || !(n instanceof ContainerNode)) return left;
    for (JsonNode child : n) {
      left = count(child, left, levels - 1);
      if (left <= 0) return left;
    }
    return left;
  }

  /** One child pair of a container: diffs the k-th into d. */
  private interface Child {
    void diff(JsonDiff d, int k);
  }

  /** Whether this diff may share its work: in a team, and not inside children too small for it. */
  private boolean sharing() {
    return team != null && !small;
  }

  /**
   * Diffs children from..to-1 ({@code sized}: their values in b, which tell how much work each
   * is). Whenever another thread of the team waits for work and the second half of what is left
   * has enough nodes, that half is offered to it, with operations of its own that are appended
   * after the first half's.
   */
  private void range(JsonNode[] sized, int from, int to, Child child) {
    for (int k = from; k < to; k++) {
      if (!small && to - k >= 2 && team.wanted()) {
        int mid = (k + to + 1) >>> 1;
        int left = shareNodes;
        for (int i = mid; i < to && left > 0; i++) {
          left = count(sized[i], left, Integer.MAX_VALUE);
        }
        if (left > 0) { // too little is left to share, and so is everything inside it
          small = true;
          for (; k < to; k++) child.diff(this, k);
          small = false;
          return;
        }
        JsonDiff rest = new JsonDiff(this);
        Team.Part part = team.offer(() -> rest.range(sized, mid, to, child));
        if (part != null) {
          range(sized, k, mid, child);
          team.finish(part);
          ops.addAll(rest.ops);
          return;
        }
      }
      child.diff(this, k);
    }
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
   * added. When sharing, the common members are collected first and diffed by {@link #range}.
   */
  private void object(JsonNode a, JsonNode b) {
    boolean inParts = sharing() && a.size() > 1;
    String[] names = inParts ? new String[a.size()] : null;
    JsonNode[] values = inParts ? new JsonNode[a.size()] : null;
    JsonNode[] others = inParts ? new JsonNode[a.size()] : null;
    List<String> removed = List.of();
    int common = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = a.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode other = b.get(e.getKey());
      if (other == null) {
        if (ignored(e.getKey())) continue;
        if (removed.isEmpty()) removed = new ArrayList<>();
        removed.add(e.getKey());
      } else if (inParts) {
        names[common] = e.getKey();
        values[common] = e.getValue();
        others[common++] = other;
      } else {
        common++;
        member(e.getKey(), e.getValue(), other);
      }
    }
    if (inParts) range(others, 0, common, (d, k) -> d.member(names[k], values[k], others[k]));
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
    // In parallel, elements with identities are not compared first: that would be a walk on one
    // thread over what the element diffs below walk on all (the patch is the same either way).
    int p = sharing() ? 0 : equalPrefix(a, b);
    if (p == n && p == m) return;
    int[] match = new int[m]; // b index -> matched a index, or -1
    Arrays.fill(match, -1);
    boolean[] kept = new boolean[n]; // a index is matched
    boolean[] differs = new boolean[m]; // matched pair whose content may differ
    boolean byIdentity = ArrayMatching.matchByIdentity(options.arrayKeys(), a, b, match, kept);
    if (byIdentity) {
      for (int j = p; j < m; j++) differs[j] = match[j] >= 0;
    } else {
      boolean[] same = null;
      if (sharing()) {
        same = n == m ? equalPairs(a, b) : null;
        p = same == null ? equalPrefix(a, b) : countTrue(same);
        if (p == n && p == m) return;
      }
      ArrayMatching.matchByValue(a, b, p, same, match, kept, differs);
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
    if (!sharing()) {
      for (int j = 0; j < m; j++) {
        if (differs[j]) element(j, a.get(match[j]), b.get(j));
      }
      return;
    }
    int[] pairs = new int[m];
    JsonNode[] sized = new JsonNode[m];
    int count = 0;
    for (int j = 0; j < m; j++) {
      if (differs[j]) sized[count] = b.get(pairs[count++] = j);
    }
    range(sized, 0, count, (d, k) -> d.element(pairs[k], a.get(match[pairs[k]]), sized[k]));
  }

  /** Which elements of two arrays of one length are equal, compared by the team. */
  private boolean[] equalPairs(JsonNode a, JsonNode b) {
    boolean[] same = new boolean[a.size()];
    JsonNode[] sized = new JsonNode[a.size()];
    for (int k = 0; k < sized.length; k++) sized[k] = b.get(k);
    range(sized, 0, sized.length, (d, k) -> same[k] = a.get(k).equals(sized[k]));
    return same;
  }

  /** How many of {@code flags} are true before the first false one. */
  private static int countTrue(boolean[] flags) {
    int c = 0;
    while (c < flags.length && flags[c]) c++;
    return c;
  }

  private static int equalPrefix(JsonNode a, JsonNode b) {
    int p = 0;
    while (p < a.size() && p < b.size() && a.get(p).equals(b.get(p))) p++;
    return p;
  }

  /**
   * Emits the adds and moves that turn the kept elements (in a's order) into b's order. Elements are
   * placed in ascending b order, each right after b's previous element; the stable ones never move.
   * Where an element currently sits is counted with a Fenwick tree over the positions elements can
   * occupy: an a element stays in its slot, a placed one goes into the slot after the last stable
   * element before it.
   */
  private void placeElements(
      JsonNode a, JsonNode b, int[] match, boolean[] kept, boolean[] stable) {
    int n = a.size();
    int m = b.size();
    boolean anyMove = false;
    for (int j = 0; j < m; j++) anyMove |= match[j] >= 0 && !stable[j];
    if (!anyMove) {
      // only inserts: after the removals the array is b's stable elements in order, so b[j] goes at j
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

    Path copy() {
      Path c = new Path();
      c.names = Arrays.copyOf(names, names.length);
      c.indices = Arrays.copyOf(indices, indices.length);
      c.depth = depth;
      return c;
    }

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
