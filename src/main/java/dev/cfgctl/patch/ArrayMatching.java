package dev.cfgctl.patch;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How {@link JsonDiff} matches the elements of two arrays: by identity member, or by value (prefix,
 * suffix, rotation, bounded shortest edit script, greedy fallback); which matched elements keep
 * their order; and which leftovers pair up to be diffed in place. Stateless.
 */
final class ArrayMatching {
  private ArrayMatching() {}

  /**
   * Matches elements by the first identity member ({@code id}, or the --array-key ones) that every
   * element of both arrays has, unique within each array. Returns false, matching nothing, when no
   * member qualifies.
   */
  static boolean matchByIdentity(
      List<String> keys, JsonNode a, JsonNode b, int[] match, boolean[] kept) {
    if (a.isEmpty() || b.isEmpty()) return false;
    for (String key : keys) {
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
   * Matches equal elements: the common prefix (its length {@code p} found by the caller) and suffix
   * directly, a rotated middle (one element moved end to end) directly, then the middle by a
   * shortest edit script (Myers) when it has few edits, with deleted and inserted elements of equal
   * value paired into moves. When the middle has too many edits for Myers to stay cheap, elements
   * are matched greedily by value instead: each b element takes the first equal a element after the
   * previous match, or the first left.
   */
  static void matchByValue(
      JsonNode a, JsonNode b, int p, int[] match, boolean[] kept, boolean[] differs) {
    int n = a.size();
    int m = b.size();
    for (int k = 0; k < p; k++) {
      match[k] = k;
      kept[k] = true;
    }
    int s = 0;
    while (s < n - p && s < m - p && a.get(n - 1 - s).equals(b.get(m - 1 - s))) {
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
    ShortestEdit.match(
        ha, hb, p, match, kept); // when over budget, the greedy pass below does it all
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
      if (match[j] >= 0)
        differs[j] = b.get(j).isContainerNode() || !a.get(match[j]).equals(b.get(j));
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

    /**
     * Takes the first free index after {@code after}, else the first free one; -1 when none is
     * left.
     */
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
  static boolean[] longestIncreasing(int[] match) {
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
  static void pairLeftovers(int[] match, boolean[] kept, boolean[] stable, boolean[] differs) {
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
}
