package dev.cfgctl.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/** An RFC 6902 JSON Patch: an ordered list of operations. Immutable, thread-safe. */
public record Patch(List<PatchOp> ops) implements Iterable<PatchOp> {
  public static final Patch EMPTY = new Patch(List.of());

  public Patch {
    ops = Collections.unmodifiableList(new ArrayList<>(ops));
  }

  /** Reads a patch document, naming the operation and member when it is malformed. */
  public static Patch fromJson(JsonNode json) {
    if (!json.isArray()) {
      throw new InvalidPatchException(
          "a JSON Patch must be an array of operations, not " + kind(json));
    }
    List<PatchOp> ops = new ArrayList<>(json.size());
    for (int i = 0; i < json.size(); i++) ops.add(op(i, json.get(i)));
    return new Patch(ops);
  }

  private static PatchOp op(int i, JsonNode o) {
    if (!o.isObject()) throw invalid(i, "must be an object, not " + kind(o));
    JsonNode name = o.get("op");
    if (name == null) throw invalid(i, "has no \"op\" member");
    PatchOp.Kind kind;
    try {
      if (!name.isTextual()) throw new IllegalArgumentException();
      kind = PatchOp.Kind.valueOf(name.textValue().toUpperCase(Locale.ROOT));
      if (!kind.label().equals(name.textValue())) throw new IllegalArgumentException();
    } catch (IllegalArgumentException e) {
      throw invalid(
          i,
          "has unknown op "
              + Json.brief(name)
              + " (expected add, remove, replace, move, copy or test)");
    }
    JsonPointer path = pointer(i, o, "path");
    JsonPointer from = null;
    JsonNode value = null;
    switch (kind) {
      case MOVE:
      case COPY:
        from = pointer(i, o, "from");
        break;
      case ADD:
      case REPLACE:
      case TEST:
        value = o.get("value");
        if (value == null) throw invalid(i, "(" + kind.label() + ") has no \"value\" member");
        break;
      default:
        break;
    }
    return new PatchOp(kind, path, from, value);
  }

  private static JsonPointer pointer(int i, JsonNode o, String member) {
    JsonNode p = o.get(member);
    if (p == null) throw invalid(i, "has no \"" + member + "\" member");
    if (!p.isTextual()) throw invalid(i, "\"" + member + "\" must be a string, not " + kind(p));
    try {
      return JsonPointer.parse(p.textValue());
    } catch (IllegalArgumentException e) {
      throw invalid(i, "\"" + member + "\": " + e.getMessage());
    }
  }

  private static InvalidPatchException invalid(int i, String what) {
    return new InvalidPatchException("invalid patch: op " + i + " " + what, i);
  }

  public static String kind(JsonNode n) {
    switch (n.getNodeType()) {
      case OBJECT:
        return "an object";
      case ARRAY:
        return "an array";
      case STRING:
        return "a string";
      case NUMBER:
        return "a number";
      case BOOLEAN:
        return "a boolean";
      default:
        return "null";
    }
  }

  public ArrayNode toJson() {
    ArrayNode a = Json.NODES.arrayNode(ops.size());
    for (PatchOp op : ops) a.add(op.toJson());
    return a;
  }

  public int size() {
    return ops.size();
  }

  public boolean isEmpty() {
    return ops.isEmpty();
  }

  @Override
  public Iterator<PatchOp> iterator() {
    return ops.iterator();
  }

  @Override
  public String toString() {
    return Json.compact(toJson());
  }
}
