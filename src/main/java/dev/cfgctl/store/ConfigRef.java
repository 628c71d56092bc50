package dev.cfgctl.store;

import java.util.regex.Pattern;

/** A config's address, {@code TENANT/NAME}; both parts match {@code [a-z0-9][a-z0-9._-]{0,62}}. */
public record ConfigRef(String tenant, String name) {
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");

  public ConfigRef {
    checkName(tenant);
    checkName(name);
  }

  /** Refuses anything that is not a valid tenant or config name, naming it. */
  public static String checkName(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new StoreException(
              Problem.INVALID_NAME,
              "invalid name " + shown(name) + ": names match [a-z0-9][a-z0-9._-]{0,62}")
          .with("name", name == null ? "" : name);
    }
    return name;
  }

  private static String shown(String name) {
    if (name == null) return "(none)";
    String s = name.length() > 80 ? name.substring(0, 80) + "…" : name;
    return '"' + s.replaceAll("\\p{Cntrl}", "?") + '"';
  }

  @Override
  public String toString() {
    return tenant + "/" + name;
  }
}
