package dev.cfgctl.store;

import java.time.Duration;

/** Durations as people read them: {@code 4m12s}, {@code 1h2m}, {@code 850ms}. */
public final class Durations {
  private Durations() {}

  public static String format(Duration d) {
    if (d.isNegative()) d = Duration.ZERO;
    long s = d.toSeconds();
    if (s == 0) return d.toMillis() + "ms";
    if (s < 60) return s + "s";
    if (s < 3600) return s / 60 + "m" + (s % 60 == 0 ? "" : s % 60 + "s");
    if (s < 86400) return s / 3600 + "h" + (s % 3600 / 60 == 0 ? "" : s % 3600 / 60 + "m");
    return s / 86400 + "d" + (s % 86400 / 3600 == 0 ? "" : s % 86400 / 3600 + "h");
  }
}
