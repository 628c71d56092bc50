package dev.cfgctl.internal;

import java.nio.file.Path;
import java.util.Map;

/**
 * cfgctl's directories under the XDG base directories, computed from an environment: {@code
 * $XDG_CONFIG_HOME/cfgctl} (else {@code $HOME/.config/cfgctl}), and likewise data ({@code
 * .local/share}) and cache ({@code .cache}). As the XDG base directory specification says, a
 * variable that is empty or holds a relative path is ignored. {@code $HOME} comes first because it
 * is what the user set (a test, a container, {@code sudo -H}); the JDK's {@code user.home}, which
 * it reads from the password database, is only the last resort. Immutable.
 */
public final class BaseDirs {
  private final Map<String, String> env;

  private BaseDirs(Map<String, String> env) {
    this.env = env;
  }

  /** The directories as {@code env} (the process's, or a test's) sets them. */
  public static BaseDirs of(Map<String, String> env) {
    return new BaseDirs(Map.copyOf(env));
  }

  /** Settings: contexts. */
  public Path config() {
    return base("XDG_CONFIG_HOME", ".config").resolve("cfgctl");
  }

  /** Data: the embedded store and the admin token of {@code cfgctl serve}. */
  public Path data() {
    return base("XDG_DATA_HOME", ".local/share").resolve("cfgctl");
  }

  /** What can be made again: sqlite-jdbc's native library. */
  public Path cache() {
    return base("XDG_CACHE_HOME", ".cache").resolve("cfgctl");
  }

  /** The user's home: {@code $HOME} when it is an absolute path, else {@code user.home}. */
  public Path home() {
    Path home = absolute(env.get("HOME"));
    return home != null ? home : Path.of(System.getProperty("user.home"));
  }

  private Path base(String variable, String underHome) {
    Path set = absolute(env.get(variable));
    return set != null ? set : home().resolve(underHome);
  }

  private static Path absolute(String value) {
    if (value == null || value.isEmpty()) return null;
    Path p = Path.of(value);
    return p.isAbsolute() ? p : null;
  }
}
