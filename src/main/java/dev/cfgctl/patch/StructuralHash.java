package dev.cfgctl.patch;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A 64-bit hash of a JSON value consistent with exact equality ({@link JsonNode#equals}): member
 * order does not matter, number text does. Seeded at random per process, so nobody can craft
 * documents whose values collide and push the diff into quadratic time — unlike {@code
 * JsonNode.hashCode}, where {@code {"a":1,"ANvg":1}}-style collisions are trivial. Thread-safe.
 */
final class StructuralHash {
  private static final long SEED = ThreadLocalRandom.current().nextLong() | 1;

  private StructuralHash() {}

  static long of(JsonNode n) {
    switch (n.getNodeType()) {
      case OBJECT:
        {
          long sum = 0;
          for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            sum += mix(of(e.getKey()) * 31 + of(e.getValue()));
          }
          return mix(sum ^ 0x4f42_4a45_4354L);
        }
      case ARRAY:
        {
          long h = 0x4152_5241_59L;
          for (JsonNode e : n) h = mix(h * 31 + of(e));
          return h;
        }
      case STRING:
        return of(n.textValue());
      case NUMBER:
        return n.isInt() || n.isLong()
            ? mix(n.longValue() ^ SEED)
            : mix(of(n.asText()) ^ 0x4e55_4dL);
      case BOOLEAN:
        return mix(SEED + (n.booleanValue() ? 1 : 2));
      default:
        return mix(SEED + 3);
    }
  }

  /**
   * A cheap hash that equal values share and that survives edits deep inside a container: scalars
   * hash by value, containers by their members' names and their scalar values one level down. Used
   * to match array elements that are the same element, possibly edited; matched containers are then
   * diffed, so a collision costs patch size, never correctness. String hashes here are Java's
   * (cached in each String): colliding strings can be crafted, but the matching that uses this is
   * linear whatever the collisions.
   */
  static long signature(JsonNode n) {
    if (n.isObject()) {
      long sum = 0;
      for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        sum += mix(e.getKey().hashCode() * 31L + shallow(e.getValue()));
      }
      return mix(sum ^ 0x4f42_4a45_4354L);
    }
    if (n.isArray()) {
      long h = 0x4152_5241_59L ^ n.size();
      for (JsonNode e : n) h = h * 31 + shallow(e);
      return mix(h);
    }
    return shallow(n);
  }

  private static long shallow(JsonNode n) {
    switch (n.getNodeType()) {
      case OBJECT:
        return 0x7b7dL;
      case ARRAY:
        return 0x5b5dL;
      case STRING:
        return mix(n.textValue().hashCode() * 0x9E37_79B9_7F4A_7C15L ^ n.textValue().length());
      case NUMBER:
        return n.isInt() || n.isLong()
            ? mix(n.longValue() ^ SEED)
            : mix(n.asText().hashCode() ^ 0x4e55_4dL);
      default:
        return of(n);
    }
  }

  static long of(String s) {
    long h = SEED ^ s.length();
    for (int i = 0; i < s.length(); i++) h = (h ^ s.charAt(i)) * 0x9E37_79B9_7F4A_7C15L;
    return mix(h);
  }

  /** The SplitMix64 finalizer: every input bit affects every output bit. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
    return z ^ (z >>> 31);
  }
}
