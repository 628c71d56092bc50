package dev.cfgctl.cli.lock;

import dev.cfgctl.cli.CliException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as options take them: {@code 30s}, {@code 5m}, {@code 1h}, {@code 300} (seconds). */
final class DurationText {
  private static final Pattern DURATION = Pattern.compile("([0-9]{1,9})(ms|s|m|h)?");

  private DurationText() {}

  /** {@code text} in whole seconds (ms round up); a usage error naming {@code option} otherwise. */
  static long seconds(String text, String option) {
    Matcher m = DURATION.matcher(text == null ? "" : text.trim());
    if (!m.matches()) {
      throw CliException.usage(
          option + " takes a duration such as 30s, 5m or 1h, not \"" + text + "\"", null);
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    switch (unit) {
      case "ms":
        return Math.max(1, (n + 999) / 1000);
      case "m":
        return n * 60;
      case "h":
        return n * 3600;
      default:
        return n;
    }
  }
}
