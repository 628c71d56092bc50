package dev.cfgctl.store;

import java.util.Locale;

/** What a principal may do; each role can do everything the ones before it can. */
public enum Role {
  VIEWER,
  EDITOR,
  ADMIN;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public boolean atLeast(Role other) {
    return compareTo(other) >= 0;
  }

  public static Role parse(String label) {
    for (Role r : values()) if (r.label().equals(label)) return r;
    throw new StoreException(
        Problem.INVALID_REQUEST,
        "unknown role \"" + label + "\" (expected viewer, editor or admin)");
  }
}
