package dev.cfgctl.server;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Token buckets, one per key: a key may spend {@code perSecond} requests a second on average and
 * {@code burst} at once. Buckets that have been full and idle for a minute are dropped now and
 * then, so keys that come and go (client addresses) do not pile up. Thread-safe.
 */
final class RateLimiter {
  private static final long IDLE_NANOS = 60_000_000_000L;
  private static final int TIDY_ABOVE = 10_000;

  private final double perSecond;
  private final double burst;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  RateLimiter(double perSecond, double burst) {
    if (perSecond <= 0 || burst < 1) throw new IllegalArgumentException("rates must be positive");
    this.perSecond = perSecond;
    this.burst = burst;
  }

  double perSecond() {
    return perSecond;
  }

  /**
   * Takes one token of {@code key}'s bucket; 0 when there was one, else the seconds until there is.
   */
  long take(String key) {
    long now = System.nanoTime();
    if (buckets.size() > TIDY_ABOVE) tidy(now);
    return buckets.computeIfAbsent(key, k -> new Bucket(burst, now)).take(now, true);
  }

  /** As {@link #take}, without taking the token. */
  long peek(String key) {
    Bucket b = buckets.get(key);
    return b == null ? 0 : b.take(System.nanoTime(), false);
  }

  private void tidy(long now) {
    buckets.values().removeIf(b -> b.idle(now));
  }

  private final class Bucket {
    private double tokens;
    private long at;

    Bucket(double tokens, long at) {
      this.tokens = tokens;
      this.at = at;
    }

    synchronized long take(long now, boolean spend) {
      tokens = Math.min(burst, tokens + (now - at) / 1e9 * perSecond);
      at = now;
      if (tokens >= 1) {
        if (spend) tokens--;
        return 0;
      }
      return (long) Math.ceil((1 - tokens) / perSecond);
    }

    synchronized boolean idle(long now) {
      return tokens + (now - at) / 1e9 * perSecond >= burst && now - at > IDLE_NANOS;
    }
  }
}
