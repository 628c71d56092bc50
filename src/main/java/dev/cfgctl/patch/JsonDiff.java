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
    boolean byIdentity = matchByIdentity(a, b, match, kept);
    if (byIdentity) {
      for (int j = p; j < m; j++) differs[j] = match[j] >= 0;
    } else {
      boolean[] same = null;
      if (sharing()) {
        same = n == m ? equalPairs(a, b) : null;
        p = same == null ? equalPrefix(a, b) : countTrue(same);
        if (p == n && p == m) return;
      }
      matchByValue(a, b, p, same, match, kept, differs);
    }
    boolean[] stable = longestIncreasing(match);
    if (!byIdentity) pairLeftovers(match, kept, stable, differs);
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

  /**
   * Matches elements by the first identity member ({@code id}, or the --array-key ones) that every
   * element of both arrays has, unique within each array. Returns false, matching nothing, when no
   * member qualifies.
   */
  private boolean matchByIdentity(JsonNode a, JsonNode b, int[] match, boolean[] kept) {
    if (a.isEmpty() || b.isEmpty()) return false;
    for (String key : options.arrayKeys()) {
      if (idOf(a.get(0), key) == null) continue; // before allocating anything: arrays of scalars
      String[] idsA = ids(a, key);
      if (idsA == null) continue;
      String[] idsB = ids(b, key);
      if (idsB == null) continue;
      if (Arrays.equals(idsA, idsB)) {
        // the common case — nothing added, removed or reordered — needs no index
        if (!unique(idsA)) continue;
        for (int j = 0; j < idsB.length; j++) {
          match[j] = j;
          kept[j] = true;
        }
        return true;
      }
      Map<String, Integer> index = new HashMap<>(idsA.length * 2);
      boolean unique = true;
      for (int i = 0; i < idsA.length && unique; i++) unique = index.put(idsA[i], i) == null;
      if (!unique || !unique(idsB)) continue;
      for (int j = 0; j < idsB.length; j++) {
        Integer i = index.get(idsB[j]);
        if (i != null) {
          match[j] = i;
          kept[i] = true;
        }
      }
      return true;
    }
    return false;
  }

  /** Each element's identity, or null when an element has none. */
  private static String[] ids(JsonNode array, String key) {
    String[] ids = new String[array.size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = idOf(array.get(i), key);
      if (ids[i] == null) return null;
    }
    return ids;
  }

  private static boolean unique(String[] ids) {
    Set<String> seen = new HashSet<>(ids.length * 2);
    for (String id : ids) if (!seen.add(id)) return false;
    return true;
  }

  /**
   * An element's identity as a string — the text of a string id, NUL + the text of a number id — or
   * null. String keys cannot be made to collide badly: HashMap keeps colliding Comparable keys in
   * balanced trees.
   */
  private static String idOf(JsonNode element, String key) {
    JsonNode id = element.isObject() ? element.get(key) : null;
    if (id == null) return null;
    if (id.isTextual()) return id.textValue();
    return id.isNumber() ? "\u0000" + id.asText() : null;
  }

  /**
   * Matches equal elements: the common prefix (its length {@code p} found by the caller) and
   * suffix directly, a rotated middle (one element moved end to end) directly, then the middle by a
   * shortest edit script (Myers) when it has few edits, with deleted and inserted elements of equal
   * value paired into moves. When the middle has too many edits for Myers to stay cheap, elements
   * are matched greedily by value instead: each b element takes the first equal a element after the
   * previous match, or the first left.
   */
  private static void matchByValue(
      JsonNode a, JsonNode b, int p, boolean[] same, int[] match, boolean[] kept,
      boolean[] differs) {
    int n = a.size();
    int m = b.size();
    for (int k = 0; k < p; k++) {
      match[k] = k;
      kept[k] = true;
    }
    int s = 0;
    while (s < n - p && s < m - p
        && (same != null ? same[n - 1 - s] : a.get(n - 1 - s).equals(b.get(m - 1 - s)))) {
      match[m - 1 - s] = n - 1 - s;
      kept[n - 1 - s] = true;
      s++;
    }
    if (p + s == n || p + s == m) return;
    if (p + s == n - 1 && p + s == m - 1) {
      // one element edited in place: what the matching below would conclude, without its tables
      match[p] = p;
      kept[p] = true;
      differs[p] = true;
      return;
    }
    if (matchRotation(a, b, p, n - s, m - s, match, kept)) return;
    long[] ha = signatures(a, p, n - s);
    long[] hb = signatures(b, p, m - s);
    ShortestEdit.match(ha, hb, p, match, kept); // when over budget, the greedy pass below does it all
    Map<Long, Group> groups = new HashMap<>();
    for (int i = p; i < n - s; i++) {
      if (!kept[i]) groups.computeIfAbsent(ha[i - p], h -> new Group()).add(i);
    }
    int last = -1;
    for (int j = p; j < m - s; j++) {
      if (match[j] >= 0) continue;
      Group g = groups.get(hb[j - p]);
      int i = g == null ? -1 : g.take(last);
      if (i >= 0) {
        match[j] = i;
        kept[i] = true;
        last = i;
      }
    }
    // matched by signature: equal scalars, or containers that look alike and are diffed in place
    for (int j = p; j < m - s; j++) {
      if (match[j] >= 0) differs[j] = b.get(j).isContainerNode() || !a.get(match[j]).equals(b.get(j));
    }
  }

  private static long[] signatures(JsonNode array, int from, int to) {
    long[] h = new long[to - from];
    for (int i = from; i < to; i++) h[i - from] = StructuralHash.signature(array.get(i));
    return h;
  }

  /**
   * The a indices of one hash value, ascending, with a "next free" union-find over them, so taking
   * the first free index after a position costs O(log n) amortised.
   */
  private static final class Group {
    private int[] indices = new int[1];
    private int[] next;
    private int size;

    void add(int i) {
      if (size == indices.length) indices = Arrays.copyOf(indices, size * 2);
      indices[size++] = i;
    }

    /** Takes the first free index after {@code after}, else the first free one; -1 when none is left. */
    int take(int after) {
      if (next == null) {
        next = new int[size + 1];
        for (int k = 0; k <= size; k++) next[k] = k;
      }
      int from = Arrays.binarySearch(indices, 0, size, after + 1);
      int k = free(from < 0 ? -from - 1 : from);
      if (k >= size) k = free(0);
      if (k >= size) return -1;
      next[k] = k + 1;
      return indices[k];
    }

    private int free(int k) {
      int root = k;
      while (next[root] != root) root = next[root];
      while (next[k] != root) {
        int up = next[k];
        next[k] = root;
        k = up;
      }
      return root;
    }
  }

  /**
   * Matches a middle that is one element moved from one end to the other — what is left of a single
   * move after trimming — directly, because with repeated values the hash matching below may pair
   * the wrong copies and turn one move into several.
   */
  private static boolean matchRotation(
      JsonNode a, JsonNode b, int p, int endA, int endB, int[] match, boolean[] kept) {
    int len = endA - p;
    if (len < 2 || endB - p != len) return false;
    int shift;
    if (a.get(p).equals(b.get(endB - 1)) && rangeEquals(a, p + 1, b, p, len - 1)) {
      shift = 1; // a's first element went to the end
    } else if (a.get(endA - 1).equals(b.get(p)) && rangeEquals(a, p, b, p + 1, len - 1)) {
      shift = -1; // a's last element went to the front
    } else {
      return false;
    }
    for (int k = 0; k < len; k++) {
      int i = p + Math.floorMod(k + shift, len);
      match[p + k] = i;
      kept[i] = true;
    }
    return true;
  }

  private static boolean rangeEquals(JsonNode a, int fromA, JsonNode b, int fromB, int len) {
    for (int k = 0; k < len; k++) if (!a.get(fromA + k).equals(b.get(fromB + k))) return false;
    return true;
  }

  /** Marks the b indices whose matched a indices form a longest increasing subsequence. */
  private static boolean[] longestIncreasing(int[] match) {
    int m = match.length;
    boolean[] stable = new boolean[m];
    int last = -1;
    boolean increasing = true;
    for (int j = 0; j < m && increasing; j++) {
      if (match[j] >= 0) {
        increasing = match[j] > last;
        last = match[j];
      }
    }
    if (increasing) { // the usual case: nothing moved, every matched element is stable
      for (int j = 0; j < m; j++) stable[j] = match[j] >= 0;
      return stable;
    }
    int[] tails = new int[m]; // b index ending the best run of each length
    int[] prev = new int[m];
    int len = 0;
    for (int j = 0; j < m; j++) {
      if (match[j] < 0) continue;
      int lo = 0;
      int hi = len;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (match[tails[mid]] < match[j]) lo = mid + 1;
        else hi = mid;
      }
      prev[j] = lo > 0 ? tails[lo - 1] : -1;
      tails[lo] = j;
      if (lo == len) len++;
    }
    for (int j = len > 0 ? tails[len - 1] : -1; j >= 0; j = prev[j]) stable[j] = true;
    return stable;
  }

  /**
   * Pairs unmatched elements that sit between the same two stable neighbours in both arrays, in
   * order, so an element edited in place becomes a small nested diff instead of remove + add.
   */
  private static void pairLeftovers(int[] match, boolean[] kept, boolean[] stable, boolean[] differs) {
    int n = kept.length;
    int m = match.length;
    int leftA = 0;
    int leftB = 0;
    for (boolean k : kept) if (!k) leftA++;
    for (int i : match) if (i < 0) leftB++;
    if (leftA == 0 || leftB == 0) return;
    int[] anchors = new int[m + 1];
    int count = 0;
    for (int j = 0; j < m; j++) if (stable[j]) anchors[count++] = j;
    anchors[count++] = m;
    int prevA = -1;
    int prevB = -1;
    for (int c = 0; c < count; c++) {
      int anchorB = anchors[c];
      int anchorA = anchorB < m ? match[anchorB] : n;
      int i = prevA + 1;
      for (int j = prevB + 1; j < anchorB; j++) {
        if (match[j] >= 0) continue;
        while (i < anchorA && kept[i]) i++;
        if (i >= anchorA) break;
        match[j] = i;
        kept[i] = true;
        stable[j] = true;
        differs[j] = true;
      }
      prevA = anchorA;
      prevB = anchorB;
    }
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
