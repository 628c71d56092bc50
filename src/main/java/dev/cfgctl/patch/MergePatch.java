package dev.cfgctl.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/** RFC 7396 JSON Merge Patch: apply, and derive one from two documents. Thread-safe. */
public final class MergePatch {
  private MergePatch() {}

  /** Applies {@code patch} to a copy of {@code target}; {@code target} is never changed. */
  public static JsonNode apply(JsonNode target, JsonNode patch) {
    if (!patch.isObject()) return patch.deepCopy();
    ObjectNode result =
        target.isObject() ? (ObjectNode) target.deepCopy() : Json.NODES.objectNode();
    merge(result, patch);
    return result;
  }

  private static void merge(ObjectNode target, JsonNode patch) {
    for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode v = e.getValue();
      if (v.isNull()) {
        target.remove(e.getKey());
      } else if (v.isObject()) {
        JsonNode existing = target.get(e.getKey());
        ObjectNode child =
            existing != null && existing.isObject()
                ? (ObjectNode) existing
                : Json.NODES.objectNode();
        merge(child, v);
        target.set(e.getKey(), child);
      } else {
        target.set(e.getKey(), v.deepCopy());
      }
    }
  }

  /**
   * A merge patch that turns {@code a} into {@code b}, or an {@link IllegalArgumentException}
   * naming the pointer where RFC 7396 cannot express the change: a member set to {@code null} (null
   * means "remove" in a merge patch).
   */
  public static JsonNode diff(JsonNode a, JsonNode b) {
    if (a.isObject() && b.isObject()) return diffObjects(JsonPointer.ROOT, a, b);
    checkExpressible(JsonPointer.ROOT, b, b.isObject());
    return b;
  }

  private static ObjectNode diffObjects(JsonPointer at, JsonNode a, JsonNode b) {
    ObjectNode patch = Json.NODES.objectNode();
    for (Iterator<String> it = a.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!b.has(k)) patch.putNull(k);
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = b.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode old = a.get(e.getKey());
      JsonNode now = e.getValue();
      JsonPointer p = at.append(e.getKey());
      if (old != null && old.equals(now)) continue;
      if (old != null && old.isObject() && now.isObject()) {
        ObjectNode sub = diffObjects(p, old, now);
        if (!sub.isEmpty()) patch.set(e.getKey(), sub);
      } else {
        checkExpressible(p, now, true);
        // an object replacing a non-object is merged into {} on apply, which is what we want
        patch.set(e.getKey(), now);
      }
    }
    return patch;
  }

  private static void checkExpressible(JsonPointer at, JsonNode value, boolean nullMeansRemove) {
    if (value.isNull() && nullMeansRemove) throw cannot(at);
    if (value.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        checkExpressible(at.append(e.getKey()), e.getValue(), true);
      }
    }
  }

  private static IllegalArgumentException cannot(JsonPointer at) {
    return new IllegalArgumentException(
        "a merge patch cannot set "
            + (at.isRoot() ? "the document" : at.toString())
            + " to null (null means remove in RFC 7396)");
  }
}
