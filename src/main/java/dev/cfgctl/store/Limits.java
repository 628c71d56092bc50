package dev.cfgctl.store;

/**
 * What the result of any write may be, whatever the request looked like: how deep a config may be
 * nested, how large it may be written compactly (UTF-8 bytes), and how much work one change may
 * take (see {@code dev.cfgctl.patch.Budget}). Every write path of the store checks them before
 * anything is stored; a config stored beyond them by an older build stays readable, and may be
 * replaced or rolled back to a version within them.
 */
public record Limits(int maxDepth, long maxDocumentBytes, long maxWork) {
  public static final Limits DEFAULT = new Limits(200, 8L << 20, 200_000_000L);

  public Limits {
    if (maxDepth < 1 || maxDepth > 1000 || maxDocumentBytes < 2 || maxWork < 1) {
      throw new IllegalArgumentException("limits must be positive (and the depth at most 1000)");
    }
  }
}
