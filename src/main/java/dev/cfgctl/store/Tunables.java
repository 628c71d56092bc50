package dev.cfgctl.store;

/**
 * A store's tunables, each with the product's default: versions retained, lock TTLs, how often
 * history keeps a full snapshot, and the content limits.
 */
public record Tunables(
    int retention,
    long minTtlSeconds,
    long maxTtlSeconds,
    long defaultTtlSeconds,
    int snapshotEvery,
    Limits limits) {
  public static final Tunables DEFAULT = new Tunables(1000, 5, 3600, 300, 100);

  public Tunables {
    if (retention < 1
        || snapshotEvery < 1
        || minTtlSeconds < 1
        || maxTtlSeconds < minTtlSeconds
        || defaultTtlSeconds < minTtlSeconds
        || defaultTtlSeconds > maxTtlSeconds
        || limits == null) {
      throw new IllegalArgumentException("inconsistent store options");
    }
  }

  public Tunables(
      int retention,
      long minTtlSeconds,
      long maxTtlSeconds,
      long defaultTtlSeconds,
      int snapshotEvery) {
    this(retention, minTtlSeconds, maxTtlSeconds, defaultTtlSeconds, snapshotEvery, Limits.DEFAULT);
  }

  public LockTtl lockTtl() {
    return new LockTtl(minTtlSeconds, maxTtlSeconds, defaultTtlSeconds);
  }
}
