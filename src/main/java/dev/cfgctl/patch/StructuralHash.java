package dev.cfgctl.patch;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A 64-bit hash of a JSON value consistent with exact equality ({@link JsonNode#equals}): member
 * order does not matter, number text does. Seeded at random per process, so nobody can craft
 * documents whose values collide and push the diff into quadratic time — unlike
 * {@code JsonNode.hashCode}, where {@code {"a":1,"ANvg":1}}-style collisions are trivial.
 * Thread-safe.
 */
final class StructuralHash {
  private static final long SEED = ThreadLocalRandom.current().nextLong() | 1;

  private StructuralHash() {}

  static long of(JsonNode n) {
    switch (n.getNodeType()) {
      case OBJECT: {
        long sum = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          sum += mix(of(e.getKey()) * 31 + of(e.getValue()));
        }
        return mix(sum ^ 0x4f42_4a45_4354L);
      }
      case ARRAY: {
        long h = 0x4152_5241_59L;
        for (JsonNode e : n) h = mix(h * 31 + of(e));
        return h;
      }
      case STRING:
        return of(n.textValue());
      case NUMBER:
        return mix(of(n.asText()) ^ 0x4e55_4dL);
      case BOOLEAN:
        return n.booleanValue() ? 0x7472_7565L : 0x6661_6c73_65L;
      default:
        return 0x6e75_6c6cL;
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
