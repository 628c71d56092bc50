package dev.cfgctl.patch;

import com.fasterxml.jackson.databind.JsonNode;

/** Small helpers shared by the patch engine's tests: JSON and patches written as text. */
final class PatchTestSupport {
  private PatchTestSupport() {}

  static JsonNode json(String text) {
    return Json.parse(text);
  }

  static Patch patch(String text) {
    return Patch.fromJson(Json.parse(text));
  }

  /** JSON written with single quotes, so tables of documents stay readable in Java source. */
  static String sq(String singleQuoted) {
    return singleQuoted.replace('\'', '"');
  }

  static JsonNode sqJson(String singleQuoted) {
    return json(sq(singleQuoted));
  }

  static Patch sqPatch(String singleQuoted) {
    return patch(sq(singleQuoted));
  }

  static String compact(JsonNode node) {
    return Json.compact(node);
  }
}
