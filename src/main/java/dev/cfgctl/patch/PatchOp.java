package dev.cfgctl.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One RFC 6902 operation. {@code from} is set for move and copy, {@code value} for add, replace and
 * test.
 */
public record PatchOp(Kind op, JsonPointer path, JsonPointer from, JsonNode value) {
  public enum Kind {
    ADD,
    REMOVE,
    REPLACE,
    MOVE,
    COPY,
    TEST;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public static PatchOp add(JsonPointer path, JsonNode value) {
    return new PatchOp(Kind.ADD, path, null, value);
  }

  public static PatchOp remove(JsonPointer path) {
    return new PatchOp(Kind.REMOVE, path, null, null);
  }

  public static PatchOp replace(JsonPointer path, JsonNode value) {
    return new PatchOp(Kind.REPLACE, path, null, value);
  }

  public static PatchOp move(JsonPointer from, JsonPointer path) {
    return new PatchOp(Kind.MOVE, path, from, null);
  }

  public static PatchOp copy(JsonPointer from, JsonPointer path) {
    return new PatchOp(Kind.COPY, path, from, null);
  }

  public static PatchOp test(JsonPointer path, JsonNode value) {
    return new PatchOp(Kind.TEST, path, null, value);
  }

  public ObjectNode toJson() {
    ObjectNode o = Json.NODES.objectNode();
    o.put("op", op.label());
    if (from != null) o.put("from", from.toString());
    o.put("path", path.toString());
    if (value != null) o.set("value", value);
    return o;
  }

  /** {@code replace /a/b}, {@code move /a -> /b}: how errors and summaries name an operation. */
  public String describe() {
    return from == null
        ? op.label() + " " + path.shown()
        : op.label() + " " + from.shown() + " -> " + path.shown();
  }
}
