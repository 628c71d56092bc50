package dev.cfgctl.cli.options;

import dev.cfgctl.store.ConfigStore;
import dev.cfgctl.store.Principal;

/** The store a command works on, who it acts as there, and the tenant of refs given without one. */
public record Session(ConfigStore store, Principal who, String tenant, String where)
    implements AutoCloseable {
  public Ref ref(String text) {
    return Ref.parse(text, tenant);
  }

  @Override
  public void close() {
    store.close();
  }
}
