package dev.cfgctl.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies RFC 6902 patches atomically and derives their inverse: a patch that fails at op k leaves
 * the document as it was and names op k, its path and the reason. Instances are single-use and not
 * thread-safe; the static methods are thread-safe for documents not shared between threads.
 */
public final class JsonPatch {
  /** The patched document and the patch that turns it back into the original. */
  public record Applied(JsonNode document, Patch inverse) {}

  private JsonNode root;
  private final Budget budget;

  /** The inverse of what has been applied so far, in application order. */
  private final List<PatchOp> undo = new ArrayList<>();

  /** Reversals of every mutation so far, for rolling back. */
  private final List<Runnable> restore = new ArrayList<>();

  /** Member order of each object before its first member was removed, for rolling back. */
  private final Map<ObjectNode, List<String>> memberOrder = new IdentityHashMap<>();

  private JsonPatch(JsonNode root, Budget budget) {
    this.root = root;
    this.budget = budget;
  }

  /** Applies {@code patch} to a copy of {@code doc}; {@code doc} is never changed. */
  public static Applied apply(JsonNode doc, Patch patch) {
    return applyInPlace(doc.deepCopy(), patch);
  }

  /** As {@link #apply(JsonNode, Patch)}, within {@code budget}. */
  public static Applied apply(JsonNode doc, Patch patch, Budget budget) {
    return applyInPlace(doc.deepCopy(), patch, budget);
  }

  /**
   * Applies {@code patch} to {@code doc} itself (cheaper for large documents). On failure every
   * change is reverted — values, array positions and member order — before the exception is thrown.
   * The returned document is {@code doc} unless an operation replaced the whole document. Values
   * from the patch are copied into the document, so the patch can be applied again.
   */
  public static Applied applyInPlace(JsonNode doc, Patch patch) {
    return applyInPlace(doc, patch, Budget.unlimited());
  }

  /**
   * As {@link #applyInPlace(JsonNode, Patch)}, charging {@code budget} for what it writes and
   * shifts; a limit broken is a {@link LimitExceededException} naming the operation, checked before
   * the operation copies anything, and the document is left as it was.
   */
  public static Applied applyInPlace(JsonNode doc, Patch patch, Budget budget) {
    JsonPatch p = new JsonPatch(doc, budget);
    List<PatchOp> ops = patch.ops();
    for (int i = 0; i < ops.size(); i++) {
      try {
        p.apply(ops.get(i));
      } catch (Failure f) {
        p.rollback();
        throw new PatchFailedException(i, ops.get(i), f.getMessage());
      } catch (LimitExceededException e) {
        p.rollback();
        throw e.opIndex() < 0 ? e.at(i) : e;
      } catch (RuntimeException | Error e) {
        p.rollback(); // all or nothing, whatever went wrong
        throw e;
      }
    }
    List<PatchOp> inverse = new ArrayList<>(p.undo.size());
    for (int i = p.undo.size() - 1; i >= 0; i--) inverse.add(p.undo.get(i));
    return new Applied(p.root, new Patch(inverse));
  }

  /** Reverts every change: values and array positions first, then member order. */
  private void rollback() {
    for (int r = restore.size() - 1; r >= 0; r--) restore.get(r).run();
    for (Map.Entry<ObjectNode, List<String>> e : memberOrder.entrySet()) {
      ObjectNode o = e.getKey();
      Map<String, JsonNode> ordered = new LinkedHashMap<>();
      for (String key : e.getValue()) if (o.has(key)) ordered.put(key, o.get(key));
      o.removeAll();
      o.setAll(ordered);
    }
  }

  private void apply(PatchOp op) {
    switch (op.op()) {
      case ADD:
        budget.write(op.path(), op.value());
        add(op.path(), op.value().deepCopy());
        break;
      case REMOVE:
        undo.add(PatchOp.add(op.path(), remove(op.path())));
        break;
      case REPLACE:
        budget.write(op.path(), op.value());
        undo.add(PatchOp.replace(op.path(), replace(op.path(), op.value().deepCopy())));
        break;
      case MOVE:
        move(op.from(), op.path());
        break;
      case COPY:
        {
          JsonNode source = get(op.from());
          budget.write(op.path(), source); // before copying: a copy may double the document
          add(op.path(), source.deepCopy());
          break;
        }
      case TEST:
        test(op.path(), op.value());
        break;
      default:
        throw new AssertionError(op.op());
    }
  }

  private JsonNode get(JsonPointer path) {
    JsonNode n = root;
    for (int i = 0; i < path.tokens().size(); i++) {
      String t = path.tokens().get(i);
      if (n.isObject()) {
        n = n.get(t);
      } else if (n.isArray()) {
        int idx = JsonPointer.index(t);
        n = idx >= 0 && idx < n.size() ? n.get(idx) : null;
      } else {
        n = null;
      }
      if (n == null) throw new Failure("path " + path + " does not exist");
    }
    return n;
  }

  /** The container that holds {@code path}'s last token. */
  private JsonNode parent(JsonPointer path) {
    JsonNode p = get(path.parent());
    if (!p.isContainerNode()) {
      throw new Failure(
          "path "
              + path
              + " does not exist: "
              + path.parent().shown()
              + " is "
              + Patch.kind(p)
              + ", not an object or array");
    }
    return p;
  }

  private int index(JsonNode array, JsonPointer path, boolean forInsert) {
    String t = path.last();
    int size = array.size();
    if (forInsert && t.equals("-")) return size;
    int idx = JsonPointer.index(t);
    if (idx < 0) throw new Failure("\"" + t + "\" in " + path + " is not an array index");
    if (idx > size || (idx == size && !forInsert)) {
      throw new Failure(
          "index " + idx + " is out of bounds in " + path + " (array size " + size + ")");
    }
    return idx;
  }

  private void add(JsonPointer path, JsonNode value) {
    if (path.isRoot()) {
      undo.add(PatchOp.replace(path, setRoot(value)));
      return;
    }
    JsonNode p = parent(path);
    if (p.isObject()) {
      ObjectNode o = (ObjectNode) p;
      String key = path.last();
      JsonNode old = o.replace(key, value);
      restore.add(
          () -> {
            if (old == null) o.remove(key);
            else o.replace(key, old);
          });
      undo.add(old == null ? PatchOp.remove(path) : PatchOp.replace(path, old));
    } else {
      ArrayNode a = (ArrayNode) p;
      int idx = index(p, path, true);
      budget.work(a.size() - idx);
      a.insert(idx, value);
      restore.add(() -> a.remove(idx));
      undo.add(PatchOp.remove(path.parent().append(Integer.toString(idx))));
    }
  }

  private JsonNode setRoot(JsonNode value) {
    JsonNode old = root;
    root = value;
    restore.add(() -> root = old);
    return old;
  }

  private JsonNode remove(JsonPointer path) {
    if (path.isRoot()) throw new Failure("cannot remove the whole document (use replace)");
    JsonNode p = parent(path);
    if (p.isObject()) {
      ObjectNode o = (ObjectNode) p;
      String key = path.last();
      if (!o.has(key)) throw new Failure("path " + path + " does not exist");
      // removing and re-adding a member moves it to the end; rollback restores the order at once
      memberOrder.computeIfAbsent(o, JsonPatch::memberNames);
      JsonNode old = o.remove(key);
      restore.add(() -> o.set(key, old));
      return old;
    }
    ArrayNode a = (ArrayNode) p;
    int idx = index(p, path, false);
    budget.work(a.size() - idx);
    JsonNode old = a.remove(idx);
    restore.add(() -> a.insert(idx, old));
    return old;
  }

  private static List<String> memberNames(ObjectNode o) {
    List<String> names = new ArrayList<>(o.size());
    o.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private JsonNode replace(JsonPointer path, JsonNode value) {
    if (path.isRoot()) return setRoot(value);
    JsonNode p = parent(path);
    if (p.isObject()) {
      ObjectNode o = (ObjectNode) p;
      String key = path.last();
      if (!o.has(key)) throw new Failure("path " + path + " does not exist");
      JsonNode old = o.replace(key, value);
      restore.add(() -> o.replace(key, old));
      return old;
    }
    ArrayNode a = (ArrayNode) p;
    int idx = index(p, path, false);
    JsonNode old = a.set(idx, value);
    restore.add(() -> a.set(idx, old));
    return old;
  }

  private void move(JsonPointer from, JsonPointer path) {
    if (from.equals(path)) {
      get(from);
      return;
    }
    if (path.startsWith(from)) {
      throw new Failure("cannot move " + from.shown() + " into its own child " + path);
    }
    boolean fromArray = parent(from).isArray();
    JsonNode value = remove(from);
    budget.move(from, path, value);
    int mark = undo.size();
    add(path, value);
    // add() recorded "remove P" (an insert) or "replace P old" (an overwrite). Usually the inverse
    // is a move back (after an overwrite, plus putting the old value back), so undo need not carry
    // the moved value. That is not possible when the source lies under P (RFC 6902 forbids moving
    // into one's own child, even one the removal shifted), nor enough when an overwrite's move back
    // would shift array indices on the way to P; then the inverse undoes the add and puts the value
    // back where it came from.
    PatchOp addUndo = undo.remove(mark);
    JsonPointer landed = addUndo.path();
    boolean overwrote = addUndo.op() == PatchOp.Kind.REPLACE;
    if (from.startsWith(landed) || (overwrote && fromArray)) {
      undo.add(PatchOp.add(from, value.deepCopy()));
      undo.add(addUndo);
      return;
    }
    if (overwrote) undo.add(PatchOp.add(landed, addUndo.value()));
    undo.add(PatchOp.move(landed, from));
  }

  private void test(JsonPointer path, JsonNode expected) {
    JsonNode actual;
    try {
      actual = get(path);
    } catch (Failure f) {
      throw new Failure("test failed: path " + path + " does not exist");
    }
    if (!Json.valueEquals(actual, expected)) {
      throw new Failure(
          "test failed: expected " + Json.brief(expected) + ", found " + Json.brief(actual));
    }
  }

  /** A failed operation; its message is the reason. */
  private static final class Failure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Failure(String reason) {
      super(reason, null, false, false);
    }
  }
}
