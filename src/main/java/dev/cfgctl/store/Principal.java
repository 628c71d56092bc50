package dev.cfgctl.store;

/** Who calls: a user, the tenant they act in ({@code *} for all tenants) and their role. */
public record Principal(String id, String name, String tenant, Role role) {
  public static final String ALL_TENANTS = "*";

  public Author author() {
    return new Author(id, name);
  }

  public boolean sees(String tenant) {
    return ALL_TENANTS.equals(this.tenant) || this.tenant.equals(tenant);
  }

  /** The local operating-system user: admin of every tenant of the embedded store. */
  public static Principal localUser() {
    String user = System.getProperty("user.name", "local");
    return new Principal(user, user, ALL_TENANTS, Role.ADMIN);
  }
}
