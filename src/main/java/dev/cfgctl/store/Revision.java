package dev.cfgctl.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cfgctl.patch.Json;
import dev.cfgctl.patch.JsonPointer;
import dev.cfgctl.patch.Patch;
import dev.cfgctl.patch.PatchOp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One accepted change. {@code undoes} is, for an undo, the version whose change it reverts and, for
 * a redo, the version of the undo it reverts. {@code patch} and {@code inverse} turn the previous
 * version into this one and back (both empty for a delete, whose tombstone keeps the content).
 */
public record Revision(
    ConfigRef ref,
    long version,
    Kind kind,
    Author author,
    Instant at,
    String message,
    List<String> paths,
    Long undoes,
    boolean forced,
    Long rebasedFrom,
    String lockId,
    Patch patch,
    Patch inverse) {

  public enum Kind {
    CREATE,
    PATCH,
    SAVE,
    UNDO,
    REDO,
    ROLLBACK,
    DELETE;

    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Kind parse(String label) {
      return valueOf(label.toUpperCase(Locale.ROOT));
    }

    /** Ordinary changes go onto their author's undo stack; undo and redo move between stacks. */
    public boolean ordinary() {
      return this != UNDO && this != REDO;
    }
  }

  /** The most pointers a revision lists, and the longest; see {@link #summedUp}. */
  public static final int MAX_PATHS = 32;

  public static final int MAX_PATH_CHARS = 256;

  /** The pointers a patch touches (paths, and the sources of moves and copies), summed up. */
  public static List<String> touched(Patch patch) {
    List<String> paths = new ArrayList<>();
    for (PatchOp op : patch) {
      if (op.from() != null && op.op() == PatchOp.Kind.MOVE) paths.add(op.from().toString());
      if (op.op() != PatchOp.Kind.TEST) paths.add(op.path().toString());
    }
    return summedUp(paths);
  }

  /**
   * Pointers as a revision lists them: in order, once each, none longer than {@link
   * #MAX_PATH_CHARS} (a longer one stands as its longest ancestor that is short enough) and at most
   * {@link #MAX_PATHS} (beyond, each is replaced by its parent until few enough are left), so that
   * a summary stays small whatever a patch touched: the places it changed, not a list of its
   * operations. A text that is not a pointer is left out.
   */
  public static List<String> summedUp(List<String> pointers) {
    Set<JsonPointer> paths = new LinkedHashSet<>();
    for (String p : pointers) {
      JsonPointer pointer;
      try {
        pointer = JsonPointer.parse(p);
      } catch (RuntimeException e) {
        continue;
      }
      while (pointer.toString().length() > MAX_PATH_CHARS) pointer = pointer.parent();
      paths.add(pointer);
    }
    while (paths.size() > MAX_PATHS) {
      Set<JsonPointer> parents = new LinkedHashSet<>();
      for (JsonPointer p : paths) parents.add(p.isRoot() ? p : p.parent());
      paths = parents;
    }
    List<String> shown = new ArrayList<>(paths.size());
    for (JsonPointer p : paths) shown.add(p.toString());
    return shown;
  }

  /** The summary of API.md: everything but patch and inverse. */
  public ObjectNode summaryJson() {
    ObjectNode o = Json.NODES.objectNode();
    o.put("version", version);
    o.put("kind", kind.label());
    o.set("author", author.toJson());
    o.put("at", Times.format(at));
    o.put("message", message);
    ArrayNode p = o.putArray("paths");
    paths.forEach(p::add);
    if (undoes == null) o.putNull("undoes");
    else o.put("undoes", undoes);
    o.put("forced", forced);
    if (rebasedFrom == null) o.putNull("rebasedFrom");
    else o.put("rebasedFrom", rebasedFrom);
    return o;
  }

  public ObjectNode toJson() {
    ObjectNode o = summaryJson();
    o.set("patch", patch.toJson());
    o.set("inverse", inverse.toJson());
    return o;
  }

  public static Revision fromJson(ConfigRef ref, JsonNode o) {
    List<String> paths = new ArrayList<>();
    o.path("paths").forEach(p -> paths.add(p.asText()));
    return new Revision(
        ref,
        o.path("version").asLong(),
        Kind.parse(o.path("kind").asText()),
        Author.fromJson(o.path("author")),
        Times.parse(o.path("at").asText(), "at"),
        o.path("message").isTextual() ? o.get("message").asText() : null,
        paths,
        o.path("undoes").isNumber() ? o.get("undoes").asLong() : null,
        o.path("forced").asBoolean(),
        o.path("rebasedFrom").isNumber() ? o.get("rebasedFrom").asLong() : null,
        null,
        o.has("patch") ? Patch.fromJson(o.get("patch")) : Patch.EMPTY,
        o.has("inverse") ? Patch.fromJson(o.get("inverse")) : Patch.EMPTY);
  }
}
