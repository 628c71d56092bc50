package dev.cfgctl.app;

import dev.cfgctl.store.ConfigRef;
import dev.cfgctl.store.Principal;
import dev.cfgctl.store.Problem;
import dev.cfgctl.store.Role;
import dev.cfgctl.store.StoreException;

/**
 * Who may see and do what: another tenant's things do not exist for the caller ({@code not-found},
 * not {@code forbidden}), and each operation needs a role. Every {@link ConfigStore} implementation
 * that decides access itself asks here. Stateless.
 */
public final class Access {
  private Access() {}

  /** Refuses a caller who cannot see {@code tenant}: it, or its config {@code ref}, not found. */
  public static void see(Principal who, String tenant, ConfigRef ref) {
    if (!who.sees(tenant)) {
      throw ref == null
          ? new StoreException(Problem.NOT_FOUND, "tenant " + tenant + " not found")
          : notFound(ref);
    }
  }

  /** Refuses a caller who cannot see {@code ref} or lacks {@code role}. */
  public static void allow(Principal who, ConfigRef ref, Role role) {
    see(who, ref.tenant(), ref);
    require(who, role);
  }

  /** Refuses a caller who lacks {@code role}. */
  public static void require(Principal who, Role role) {
    if (!who.role().atLeast(role)) {
      throw new StoreException(Problem.FORBIDDEN, "this needs the " + role.label() + " role")
          .with("requiredRole", role.label());
    }
  }

  /**
   * Refuses to issue a token for {@code subject} unless the caller is an admin of the subject's
   * tenant: an admin of one tenant issues tokens of that tenant only, never one for all tenants.
   */
  public static void allowIssuing(Principal who, Principal subject) {
    require(who, Role.ADMIN);
    if (!Principal.ALL_TENANTS.equals(subject.tenant())) ConfigRef.checkName(subject.tenant());
    if (!who.sees(subject.tenant())
        || (!Principal.ALL_TENANTS.equals(who.tenant())
            && Principal.ALL_TENANTS.equals(subject.tenant()))) {
      throw new StoreException(
              Problem.FORBIDDEN,
              "an admin of tenant " + who.tenant() + " can only create tokens for that tenant")
          .with("requiredRole", "admin");
    }
  }

  /** The refusal of a config the caller may not see, or that does not exist: the same answer. */
  public static StoreException notFound(ConfigRef ref) {
    return new StoreException(Problem.NOT_FOUND, "config " + ref + " not found");
  }
}
