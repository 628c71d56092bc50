package dev.cfgctl.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Operational transform for JSON Patch: moves a patch written against version n over the patches of
 * versions n+1..m, so it applies to version m with the same intent, or reports where the two touch
 * the same place.
 *
 * <p>Each operation is split into steps — insert into an array, put an object member, replace or
 * remove a value, read it (test, copy source), detach it and attach it elsewhere (move) — and your
 * steps are transformed over theirs one by one (the classic sequence transform), so indices shift
 * around concurrent inserts and removes and pointers follow concurrent moves. Two steps conflict
 * when one's pointer is equal to, above or below the other's, except where the only effect is an
 * index shift or a rename by a move; see {@link #clash}. They conflict even when both wrote the
 * same value: a read-modify-write based on a stale value (two increments of a counter from 5 to 6)
 * must never be accepted as if it were a change of its own.
 *
 * <p>The version-n document is not needed: it is reconstructed well enough, from {@code current}
 * and theirs, as a skeleton in which whatever theirs removed or overwrote is unknown.
 *
 * <p>Thread-safe: static functions that never change their arguments.
 */
public final class Rebase {
  /**
   * A place both sides changed. {@code path} is the pointer as your patch wrote it, {@code theirs}
   * the value now at that place in the current document (null when absent), {@code yours} the value
   * your operation writes (null for a remove or the source of a move), {@code theirsIndex} the
   * index into {@code theirs} of the first patch it conflicts with.
   */
  public record Conflict(String path, JsonNode theirs, JsonNode yours, int theirsIndex) {}

  /** Either the transformed patch (no conflicts) or the conflicts (patch null). */
  public record Result(Patch patch, List<Conflict> conflicts) {
    public Result {
      conflicts = List.copyOf(conflicts);
      if ((patch == null) == conflicts.isEmpty()) {
        throw new IllegalArgumentException("a result is a patch or conflicts, not both or neither");
      }
    }

    public boolean hasConflicts() {
      return !conflicts.isEmpty();
    }
  }

  private Rebase() {}

  /**
   * Transforms {@code yours}, written against version n, so it applies to {@code current}, the
   * document after {@code theirs} (the patches of versions n+1..m, in order) were applied. The
   * returned patch is known to apply to {@code current}.
   *
   * @throws PatchFailedException when {@code yours} does not apply to version n itself
   */
  public static Result rebase(Patch yours, List<Patch> theirs, JsonNode current) {
    return rebase(yours, theirs, current, Budget.unlimited());
  }

  /**
   * As {@link #rebase(Patch, List, JsonNode)}, within {@code budget}: the transform is charged
   * {@value #PAIR_WORK} units per pair of steps it compares, and your patch's trial runs may not
   * grow a document by more than the budget allows.
   *
   * @throws LimitExceededException when the rebase would exceed the budget
   */
  public static Result rebase(Patch yours, List<Patch> theirs, JsonNode current, Budget budget) {
    long theirOps = 0;
    for (Patch p : theirs) theirOps += p.size();
    budget.work(PAIR_WORK * theirOps * Math.max(1, yours.size())); // before any work is done
    Skeleton doc = new Skeleton(current.deepCopy());
    List<Step> their = theirSteps(theirs, doc); // leaves doc at version n
    List<Step> mine = yourSteps(yours, doc, budget.fresh());
    Map<Integer, Conflict> conflicts = new TreeMap<>();
    for (int k = 0; k < their.size(); k++) {
      Step t = their.get(k);
      List<Step> next = new ArrayList<>(mine.size());
      for (Step y : mine) {
        if (conflicts.containsKey(y.owner)) continue;
        if (t == null) {
          next.add(y);
        } else if (clash(y, t)) {
          conflicts.put(y.owner, conflict(yours.ops().get(y.owner), y, t, k, their, current));
        } else {
          next.add(map(y, t, true));
          t = map(t, y, false);
        }
      }
      next.removeIf(s -> conflicts.containsKey(s.owner));
      mine = next;
    }
    if (!conflicts.isEmpty()) return new Result(null, onePerPath(conflicts, yours));
    return verified(yours, mine, theirs.size() - 1, current, budget.fresh());
  }

  /** Work units per pair of steps compared: about what shifting 16 array elements costs. */
  static final int PAIR_WORK = 16;

  /**
   * Three-way merge of a full save: your document {@code yours}, edited from {@code base} (version
   * n), over {@code theirs}: {@link #rebase} of the diff from base to yours, with the default array
   * keys (see the overload for how moves are diffed).
   */
  public static Result merge(JsonNode base, JsonNode yours, List<Patch> theirs, JsonNode current) {
    return merge(base, yours, theirs, current, DiffOptions.DEFAULT, Budget.unlimited());
  }

  /** As {@link #merge(JsonNode, JsonNode, List, JsonNode)}, within {@code budget} (see rebase). */
  public static Result merge(
      JsonNode base, JsonNode yours, List<Patch> theirs, JsonNode current, Budget budget) {
    return merge(base, yours, theirs, current, DiffOptions.DEFAULT, budget);
  }

  /**
   * As {@link #merge(JsonNode, JsonNode, List, JsonNode)} with the given array keys and ignored
   * pointers. Moves are detected (so a reordered section still takes their edits inside it, where a
   * remove + add would conflict), but a move of a scalar or an empty container — which the diff can
   * only match by value, so may be a coincidence — becomes test + remove + add, which conflicts
   * with any change of theirs to it instead of carrying their new value to your new place. No other
   * tests are added: they would turn edits inside moved values into conflicts.
   */
  public static Result merge(
      JsonNode base,
      JsonNode yours,
      List<Patch> theirs,
      JsonNode current,
      DiffOptions options,
      Budget budget) {
    Patch diff = JsonDiff.diff(base, yours, options.withTests(false).withMoves(true));
    return rebase(valueMovesSpelledOut(base, diff), theirs, current, budget);
  }

  private static Patch valueMovesSpelledOut(JsonNode base, Patch diff) {
    JsonNode doc = base.deepCopy();
    List<PatchOp> out = new ArrayList<>(diff.size());
    for (PatchOp op : diff) {
      JsonNode moved = op.op() == PatchOp.Kind.MOVE ? get(doc, op.from()) : null;
      if (moved != null && (moved.isValueNode() || moved.isEmpty())) {
        out.add(PatchOp.test(op.from(), moved.deepCopy()));
        out.add(PatchOp.remove(op.from()));
        out.add(PatchOp.add(op.path(), moved.deepCopy()));
      } else {
        out.add(op);
      }
      doc = JsonPatch.applyInPlace(doc, new Patch(List.of(op))).document();
    }
    return new Patch(out);
  }

  // ================================================================ steps

  private enum Kind {
    INS,
    PUT,
    SET,
    REMOVE,
    READ,
    DETACH,
    ATTACH
  }

  /**
   * One step of an operation. {@code owner} is the index of your operation, or of their patch;
   * {@code move} pairs a detach with its attach (0 for other steps); {@code value} is what the step
   * writes or tests, where known.
   */
  private record Step(
      Kind kind, JsonPointer path, boolean inArray, JsonNode value, int owner, int move) {
    Step at(JsonPointer p) {
      return new Step(kind, p, inArray, value, owner, move);
    }

    boolean inserts() {
      return kind == Kind.INS || (kind == Kind.ATTACH && inArray);
    }

    boolean puts() {
      return kind == Kind.PUT || (kind == Kind.ATTACH && !inArray);
    }
  }

  /**
   * The steps of {@code op}, with {@code path} as landed. Whether {@code path} is in an array is
   * read after the operation; whether its {@code from} is, before: a move's insert can shift from's
   * parent.
   */
  private static List<Step> steps(
      PatchOp op,
      JsonPointer path,
      boolean inArray,
      boolean fromArray,
      JsonNode value,
      int owner,
      int move) {
    Kind put = inArray ? Kind.INS : Kind.PUT;
    switch (op.op()) {
      case ADD:
        return List.of(new Step(put, path, inArray, op.value(), owner, 0));
      case REMOVE:
        return List.of(new Step(Kind.REMOVE, path, inArray, null, owner, 0));
      case REPLACE:
        return List.of(new Step(Kind.SET, path, inArray, op.value(), owner, 0));
      case TEST:
        return List.of(new Step(Kind.READ, path, inArray, op.value(), owner, 0));
      case COPY:
        return List.of(
            new Step(Kind.READ, op.from(), false, null, owner, 0),
            new Step(put, path, inArray, value, owner, 0));
      case MOVE:
        return List.of(
            new Step(Kind.DETACH, op.from(), fromArray, null, owner, move),
            new Step(Kind.ATTACH, path, inArray, value, owner, move));
      default:
        throw new AssertionError(op.op());
    }
  }

  /**
   * Their steps, in order, each in the terms of the document it applied to. Walks back from the
   * current document, undoing each operation on {@code doc}; what an operation removed or overwrote
   * becomes unknown. Their tests are left out: they held when their patch was accepted, and yours
   * comes after.
   */
  private static List<Step> theirSteps(List<Patch> theirs, Skeleton doc) {
    List<Step> reversed = new ArrayList<>();
    int move = 0;
    for (int k = theirs.size() - 1; k >= 0; k--) {
      List<PatchOp> ops = theirs.get(k).ops();
      for (int i = ops.size() - 1; i >= 0; i--) {
        PatchOp op = ops.get(i);
        if (op.op() == PatchOp.Kind.TEST) continue;
        JsonPointer path = doc.landed(op);
        boolean inArray = doc.parentIsArray(path);
        doc.undo(op, path, inArray);
        List<Step> steps = steps(op, path, inArray, doc.parentIsArray(op.from()), null, k, --move);
        for (int s = steps.size() - 1; s >= 0; s--) reversed.add(steps.get(s));
      }
    }
    List<Step> steps = new ArrayList<>(reversed.size());
    for (int i = reversed.size() - 1; i >= 0; i--) steps.add(reversed.get(i));
    return steps;
  }

  /** Your steps, replaying your patch on {@code doc} (version n, as far as it is known). */
  private static List<Step> yourSteps(Patch yours, Skeleton doc, Budget budget) {
    List<Step> steps = new ArrayList<>();
    boolean lost = false; // an operation could not be replayed: later failures may follow from it
    for (int i = 0; i < yours.size(); i++) {
      PatchOp op = yours.ops().get(i);
      boolean fromArray = doc.parentIsArray(op.from());
      JsonNode value =
          op.from() == null ? null : known(get(doc.root, op.from())); // what a move or copy writes
      String failed = doc.apply(op, budget);
      if (failed != null && !lost && !doc.unknownAlong(op)) {
        throw new PatchFailedException(i, op, failed + " (in the version the patch was based on)");
      }
      lost |= failed != null && op.op() != PatchOp.Kind.TEST;
      JsonPointer path = failed == null ? doc.landed(op) : op.path();
      steps.addAll(steps(op, path, doc.parentIsArray(path), fromArray, value, i, i + 1));
    }
    return steps;
  }

  // ================================================================ transform

  /**
   * The conflict rule. An insert shifts what follows it, so it conflicts only with a change to (or
   * read of) its array or an ancestor. A detach renames what is below it, so it conflicts with a
   * change above it, another detach of the same value, and a remove or put at the same place; a
   * replace, test or remove of the moved value itself follows it. Otherwise any two steps whose
   * pointers are equal or one above the other conflict, unless both only read.
   */
  private static boolean clash(Step a, Step b) {
    if (a.inserts() || b.inserts()) {
      if (a.inserts() && b.inserts()) return false;
      Step ins = a.inserts() ? a : b;
      Step other = a.inserts() ? b : a;
      return other.kind != Kind.DETACH && ins.path.parent().startsWith(other.path);
    }
    if (!a.path.startsWith(b.path) && !b.path.startsWith(a.path)) return false;
    if (a.kind == Kind.READ && b.kind == Kind.READ) return false;
    if (a.kind == Kind.DETACH && b.kind == Kind.DETACH) return a.path.equals(b.path);
    if (a.kind == Kind.DETACH || b.kind == Kind.DETACH) {
      Step moved = a.kind == Kind.DETACH ? a : b;
      Step other = a.kind == Kind.DETACH ? b : a;
      if (!other.path.startsWith(moved.path)) return true;
      return other.path.equals(moved.path) && (other.kind == Kind.REMOVE || other.puts());
    }
    return true;
  }

  /**
   * {@code s} as it reads once {@code by} has been applied; {@code after}: s goes after an insert
   * at its index.
   */
  private static Step map(Step s, Step by, boolean after) {
    JsonPointer p = map(s.path, s.inserts(), by, after);
    return p == s.path ? s : s.at(p);
  }

  private static JsonPointer map(JsonPointer q, boolean insertion, Step by, boolean after) {
    switch (by.kind) {
      case DETACH:
        if (q.startsWith(by.path) && !(insertion && q.tokens().size() == by.path.tokens().size())) {
          return rebased(q, by.path, detached(by.move));
        }
        return by.inArray ? shift(q, by.path, -1, insertion, false) : q;
      case ATTACH:
        JsonPointer d = detached(by.move);
        if (q.startsWith(d)) return rebased(q, d, by.path);
        return by.inArray ? shift(q, by.path, 1, insertion, after) : q;
      case INS:
        return shift(q, by.path, 1, insertion, after);
      case REMOVE:
        return by.inArray ? shift(q, by.path, -1, insertion, false) : q;
      default:
        return q;
    }
  }

  /**
   * {@code q} with its index in the array of {@code at} shifted by an insert (+1) or removal (-1)
   * at {@code at}.
   */
  private static JsonPointer shift(
      JsonPointer q, JsonPointer at, int delta, boolean insertion, boolean after) {
    List<String> t = q.tokens();
    int depth = at.tokens().size() - 1;
    if (t.size() <= depth || !t.subList(0, depth).equals(at.tokens().subList(0, depth))) return q;
    int j = JsonPointer.index(t.get(depth));
    int k = JsonPointer.index(at.last());
    if (j < 0 || k < 0) return q;
    boolean point =
        insertion && t.size() == depth + 1; // q is where something is inserted, not an element
    boolean moves = delta > 0 ? j > k || (j == k && (!point || after)) : j > k;
    if (!moves) return q;
    List<String> shifted = new ArrayList<>(t);
    shifted.set(depth, Integer.toString(j + delta));
    return JsonPointer.of(shifted);
  }

  /** Where a value sits between being detached by move {@code id} and attached again. */
  private static JsonPointer detached(int id) {
    return JsonPointer.of(List.of("\u0000moving " + id));
  }

  private static JsonPointer rebased(JsonPointer q, JsonPointer from, JsonPointer to) {
    List<String> t = new ArrayList<>(to.tokens());
    t.addAll(q.tokens().subList(from.tokens().size(), q.tokens().size()));
    return JsonPointer.of(t);
  }

  // ================================================================ results

  /** Your operations rebuilt from their transformed steps, checked against the current document. */
  private static Result verified(
      Patch yours, List<Step> steps, int lastTheirs, JsonNode current, Budget budget) {
    JsonNode doc = current.deepCopy();
    List<PatchOp> out = new ArrayList<>();
    int s = 0;
    for (int i = 0; i < yours.size(); i++) {
      List<Step> own = new ArrayList<>(2);
      while (s < steps.size() && steps.get(s).owner == i) own.add(steps.get(s++));
      if (own.isEmpty()) continue; // theirs did the same
      PatchOp orig = yours.ops().get(i);
      JsonPointer path = own.get(own.size() - 1).path;
      JsonPointer from = own.size() > 1 ? own.get(0).path : null;
      PatchOp op = new PatchOp(orig.op(), path, from, orig.value());
      try {
        doc = JsonPatch.applyInPlace(doc, new Patch(List.of(op)), budget).document();
      } catch (PatchFailedException e) {
        // the transform should never get here; a conflict is the safe answer if it does
        JsonNode yoursValue = orig.op() == PatchOp.Kind.REMOVE ? null : orig.value();
        return new Result(
            null,
            List.of(
                new Conflict(
                    orig.path().toString(),
                    copy(get(current, path)),
                    yoursValue,
                    Math.max(0, lastTheirs))));
      }
      out.add(appendAgain(orig, op, doc));
    }
    return new Result(new Patch(out), List.of());
  }

  /** One conflict per pointer: a test's only where no other operation of yours conflicts there. */
  private static List<Conflict> onePerPath(Map<Integer, Conflict> conflicts, Patch yours) {
    Map<String, Conflict> byPath = new LinkedHashMap<>();
    Set<String> tests = new HashSet<>();
    for (Map.Entry<Integer, Conflict> e : conflicts.entrySet()) {
      Conflict c = e.getValue();
      boolean test = yours.ops().get(e.getKey()).op() == PatchOp.Kind.TEST;
      Conflict had = byPath.putIfAbsent(c.path(), c);
      if (had == null) {
        if (test) tests.add(c.path());
      } else if (!test && tests.remove(c.path())) {
        byPath.put(
            c.path(),
            new Conflict(
                c.path(), c.theirs(), c.yours(), Math.min(had.theirsIndex(), c.theirsIndex())));
      }
    }
    return new ArrayList<>(byPath.values());
  }

  /** Writes an append as {@code -} again, as it was written, when it still appends. */
  private static PatchOp appendAgain(PatchOp orig, PatchOp op, JsonNode doc) {
    if (op.equals(orig) || orig.path().isRoot() || !orig.path().last().equals("-")) return op;
    JsonNode array = get(doc, op.path().parent());
    if (array == null
        || !array.isArray()
        || JsonPointer.index(op.path().last()) != array.size() - 1) return op;
    return new PatchOp(op.op(), op.path().parent().append("-"), op.from(), op.value());
  }

  private static Conflict conflict(
      PatchOp orig, Step y, Step t, int k, List<Step> their, JsonNode current) {
    boolean fromSide =
        y.kind == Kind.DETACH || (y.kind == Kind.READ && orig.op() == PatchOp.Kind.COPY);
    JsonPointer path = fromSide ? orig.from() : orig.path();
    JsonNode yoursValue = fromSide || y.kind == Kind.REMOVE ? null : y.value;
    return new Conflict(
        path.toString(), theirsNow(y.path, t.path, k, their, current), yoursValue, t.owner);
  }

  /**
   * The value now at the place of your step {@code q}, which overlaps their step k (at {@code tq}
   * after transforming over your earlier steps). The place is first put in their terms, relative to
   * step k's own pointer, then followed through their later steps; a place they removed is null.
   */
  private static JsonNode theirsNow(
      JsonPointer q, JsonPointer tq, int k, List<Step> their, JsonNode current) {
    List<String> t0 = their.get(k).path.tokens();
    JsonPointer p;
    if (q.startsWith(tq)) {
      p = rebased(q, tq, their.get(k).path);
    } else {
      int up = Math.min(t0.size(), tq.tokens().size() - q.tokens().size());
      p = JsonPointer.of(t0.subList(0, t0.size() - up));
    }
    for (int i = k; i < their.size(); i++) {
      Step s = their.get(i);
      if (s.kind == Kind.REMOVE && p.startsWith(s.path)) return null;
      p = map(p, false, s, false);
    }
    return copy(get(current, p));
  }

  // ================================================================ documents

  /** A unique marker for what is not known about version n: what theirs removed or overwrote. */
  private static final JsonNode UNKNOWN = new TextNode("\u0000unknown");

  /** The node at {@code p}, {@link #UNKNOWN} when the way there is unknown, or null when absent. */
  private static JsonNode get(JsonNode root, JsonPointer p) {
    JsonNode n = root;
    for (String t : p.tokens()) {
      if (n == UNKNOWN) return UNKNOWN;
      if (n.isObject()) {
        n = n.get(t);
      } else if (n.isArray()) {
        int i = JsonPointer.index(t);
        n = i >= 0 && i < n.size() ? n.get(i) : null;
      } else {
        n = null;
      }
      if (n == null) return null;
    }
    return n;
  }

  private static JsonNode copy(JsonNode n) {
    return n == null || n == UNKNOWN ? null : n.deepCopy();
  }

  /** A copy of {@code n}, or null when part of it is unknown. */
  private static JsonNode known(JsonNode n) {
    return n == null || containsUnknown(n) ? null : n.deepCopy();
  }

  private static boolean containsUnknown(JsonNode n) {
    if (n == UNKNOWN) return true;
    for (JsonNode child : n) if (containsUnknown(child)) return true;
    return false;
  }

  /**
   * Version n as far as {@code current} and theirs tell: what they removed or overwrote is {@link
   * #UNKNOWN}.
   */
  private static final class Skeleton {
    JsonNode root;

    Skeleton(JsonNode root) {
      this.root = root;
    }

    /** Whether {@code p} (if any) names an element of an array. */
    boolean parentIsArray(JsonPointer p) {
      JsonNode n = p == null || p.isRoot() ? null : get(root, p.parent());
      return n != null && n.isArray();
    }

    /** Applies {@code op}; returns why it failed, or null. */
    String apply(PatchOp op) {
      return apply(op, Budget.unlimited());
    }

    String apply(PatchOp op, Budget budget) {
      try {
        root = JsonPatch.applyInPlace(root, new Patch(List.of(op)), budget).document();
        return null;
      } catch (PatchFailedException e) {
        return e.reason();
      }
    }

    /**
     * Whether {@code op} meets the unknown on its way, at its pointers or inside their values. A
     * move's path is looked up without the value at its from, as the move itself does.
     */
    boolean unknownAlong(PatchOp op) {
      if (op.from() != null && unknownAt(op.from())) return true;
      if (op.op() == PatchOp.Kind.MOVE) {
        Skeleton without = new Skeleton(root.deepCopy()); // only when an operation failed: rare
        if (without.apply(PatchOp.remove(op.from())) == null) return without.unknownAt(op.path());
      }
      return unknownAt(op.path());
    }

    private boolean unknownAt(JsonPointer p) {
      for (int n = 0; n <= p.tokens().size(); n++) {
        JsonNode at = get(root, JsonPointer.of(p.tokens().subList(0, n)));
        if (at == null) return false;
        if (n == p.tokens().size() ? containsUnknown(at) : at == UNKNOWN) return true;
      }
      return false;
    }

    /**
     * Where {@code op}, just applied, put its value: its path, with an appending {@code -} replaced
     * by the index the value landed at.
     */
    JsonPointer landed(PatchOp op) {
      JsonPointer path = op.path();
      if (path.isRoot() || !path.last().equals("-") || op.op() == PatchOp.Kind.REMOVE) return path;
      JsonNode array = get(root, path.parent());
      if (array == null || !array.isArray() || array.isEmpty()) return path;
      return path.parent().append(Integer.toString(array.size() - 1));
    }

    /**
     * Turns the document after {@code op} (at {@code path}, as landed) into the one before it, one
     * structural change at a time, so array lengths stay right even where values are unknown.
     */
    void undo(PatchOp op, JsonPointer path, boolean inArray) {
      switch (op.op()) {
        case ADD, COPY -> attempt(inArray ? PatchOp.remove(path) : PatchOp.replace(path, UNKNOWN));
        case REMOVE -> attempt(PatchOp.add(path, UNKNOWN));
        case REPLACE -> attempt(PatchOp.replace(path, UNKNOWN));
        case MOVE -> {
          JsonPointer from = op.from();
          boolean fromBelow = from.startsWith(path); // the value replaced its own ancestor
          JsonNode moved = fromBelow ? null : get(root, path);
          if (path.isRoot()) {
            root = UNKNOWN;
            return;
          }
          // path is in terms of the document without the value at from, so undo there first
          attempt(inArray || !fromBelow ? PatchOp.remove(path) : PatchOp.replace(path, UNKNOWN));
          if (!inArray) attempt(PatchOp.add(path, UNKNOWN)); // it may have overwritten a member
          attempt(PatchOp.add(from, moved == null ? UNKNOWN : moved));
        }
        default -> {}
      }
    }

    /**
     * Applies one undoing operation; where it cannot be applied, the region is unknown anyway or is
     * made so.
     */
    private void attempt(PatchOp op) {
      if (apply(op) != null && !unknownAlong(op)) forget(op.path());
    }

    /** Marks the deepest known node on the way to {@code p} as unknown. */
    private void forget(JsonPointer p) {
      JsonNode parent = null;
      JsonNode n = root;
      String token = null;
      if (n == UNKNOWN) return;
      for (String t : p.tokens()) {
        JsonNode next = get(n, JsonPointer.of(List.of(t)));
        if (next == UNKNOWN) return; // already unknown
        if (next == null) break;
        parent = n;
        n = next;
        token = t;
      }
      if (parent == null) {
        root = UNKNOWN;
      } else if (parent.isObject()) {
        ((ObjectNode) parent).set(token, UNKNOWN);
      } else {
        ((ArrayNode) parent).set(JsonPointer.index(token), UNKNOWN);
      }
    }
  }
}
