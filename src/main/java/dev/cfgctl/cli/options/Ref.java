package dev.cfgctl.cli.options;

import dev.cfgctl.cli.CliException;
import dev.cfgctl.store.ConfigRef;
import dev.cfgctl.store.StoreException;

/**
 * A ref as people type it: {@code [TENANT/]NAME[@VERSION]}; the tenant defaults to the session's.
 */
public record Ref(ConfigRef config, Long version) {
  static Ref parse(String text, String defaultTenant) {
    String s = text;
    Long version = null;
    int at = s.lastIndexOf('@');
    if (at >= 0) {
      String v = s.substring(at + 1);
      try {
        version = Long.parseLong(v);
        if (version < 1 || !v.matches("[0-9]+")) throw new NumberFormatException();
      } catch (NumberFormatException e) {
        throw CliException.usage(
            "bad ref \""
                + text
                + "\": the version after @ must be a positive"
                + " number, not \""
                + v
                + "\"",
            "refs look like [TENANT/]NAME[@VERSION], e.g. acme/landing@7");
      }
      s = s.substring(0, at);
    }
    int slash = s.indexOf('/');
    if (slash < 0 && defaultTenant == null) {
      throw CliException.usage(
          "which tenant is " + s + " in? write TENANT/" + s,
          "or set a default: --tenant T, CFGCTL_TENANT, or a context's --tenant");
    }
    String tenant = slash < 0 ? defaultTenant : s.substring(0, slash);
    String name = slash < 0 ? s : s.substring(slash + 1);
    try {
      return new Ref(new ConfigRef(tenant, name), version);
    } catch (StoreException e) {
      throw CliException.usage(
          "bad ref \"" + text + "\": " + e.getMessage(),
          "refs look like [TENANT/]NAME[@VERSION], e.g. acme/landing@7");
    }
  }

  /** Refuses a version where the command works on the current one. */
  public Ref current(String command) {
    if (version != null) {
      throw CliException.usage(
          command + " works on the current version; drop @" + version,
          "to start from an old version: cfgctl rollback " + config + " --to " + version);
    }
    return this;
  }

  @Override
  public String toString() {
    return config + (version == null ? "" : "@" + version);
  }
}
