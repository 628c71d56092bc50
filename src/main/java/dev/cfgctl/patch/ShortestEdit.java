package dev.cfgctl.patch;

import java.util.ArrayList;
import java.util.List;

/**
 * Myers' O((n + m) · d) shortest edit script over element hashes, bounded so that it never costs
 * more than a fixed budget: arrays with few edits get a minimal script whatever their repeated
 * values; arrays with many edits are left to the caller's linear-time matching.
 */
final class ShortestEdit {
  /** At most this many (n + m) · d steps, and this many edits. */
  private static final long STEP_BUDGET = 20_000_000L;

  private static final int MAX_EDITS = 1_000;

  private ShortestEdit() {}

  /**
   * Matches {@code a[i] == b[j]} along a longest common subsequence, writing {@code match[offset +
   * j] = offset + i}. Returns false, matching nothing, when the edit distance exceeds the budget
   * (the caller then matches by other means).
   */
  static boolean match(long[] a, long[] b, int offset, int[] match, boolean[] kept) {
    int n = a.length;
    int m = b.length;
    int maxD = (int) Math.min(MAX_EDITS, Math.min(n + m, STEP_BUDGET / Math.max(1, n + m)));
    int size = 2 * maxD + 3;
    int mid = maxD + 1;
    int[] v = new int[size];
    List<int[]> trace = new ArrayList<>();
    int found = -1;
    for (int d = 0; d <= maxD && found < 0; d++) {
      // v before this round, for k in [-d-1, d+1]
      int[] snapshot = new int[2 * d + 3];
      System.arraycopy(v, mid - d - 1, snapshot, 0, snapshot.length);
      trace.add(snapshot);
      for (int k = -d; k <= d; k += 2) {
        int x =
            k == -d || (k != d && v[mid + k - 1] < v[mid + k + 1])
                ? v[mid + k + 1]
                : v[mid + k - 1] + 1;
        int y = x - k;
        while (x < n && y < m && a[x] == b[y]) {
          x++;
          y++;
        }
        v[mid + k] = x;
        if (x >= n && y >= m) {
          found = d;
          break;
        }
      }
    }
    if (found < 0) return false;
    int x = n;
    int y = m;
    for (int d = found; d >= 0; d--) {
      int[] before = trace.get(d);
      int k = x - y;
      // before[i] holds v[k'] for k' = i - d - 1
      int prevK =
          k == -d || (k != d && before[k - 1 + d + 1] < before[k + 1 + d + 1]) ? k + 1 : k - 1;
      int prevX = d == 0 ? 0 : before[prevK + d + 1];
      int prevY = d == 0 ? 0 : prevX - prevK;
      while (x > prevX && y > prevY) {
        x--;
        y--;
        match[offset + y] = offset + x;
        kept[offset + x] = true;
      }
      x = prevX;
      y = prevY;
    }
    return true;
  }
}
