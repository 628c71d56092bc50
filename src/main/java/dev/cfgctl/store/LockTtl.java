package dev.cfgctl.store;

/** How long an edit lock lives without a heartbeat: the bounds a request keeps, and the default. */
public record LockTtl(long minSeconds, long maxSeconds, long defaultSeconds) {
  /** The TTL of a request ({@code requested} null for the default), refused outside the bounds. */
  public long resolve(Long requested) {
    long ttl = requested == null ? defaultSeconds : requested;
    if (ttl < minSeconds || ttl > maxSeconds) {
      throw new StoreException(
          Problem.INVALID_REQUEST,
          "a lock's TTL must be between "
              + minSeconds
              + " and "
              + maxSeconds
              + " seconds, not "
              + ttl);
    }
    return ttl;
  }
}
