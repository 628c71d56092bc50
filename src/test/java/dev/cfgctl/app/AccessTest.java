package dev.cfgctl.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cfgctl.store.ConfigRef;
import dev.cfgctl.store.LockTtl;
import dev.cfgctl.store.Principal;
import dev.cfgctl.store.Problem;
import dev.cfgctl.store.Role;
import dev.cfgctl.store.StoreException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Table tests of {@link Access} and {@link LockTtl}: the rules alone, no store. */
class AccessTest {
  private static final ConfigRef REF = new ConfigRef("acme", "app");

  private static Principal user(String tenant, Role role) {
    return new Principal("u1", "User One", tenant, role);
  }

  private static Problem refusal(Runnable check) {
    try {
      check.run();
      return null;
    } catch (StoreException e) {
      return e.problem();
    }
  }

  @ParameterizedTest(name = "{0} {1} needing {2}: {3}")
  @CsvSource(
      nullValues = "ok",
      value = {
        "acme,  viewer, viewer, ok",
        "acme,  viewer, editor, FORBIDDEN",
        "acme,  editor, editor, ok",
        "acme,  editor, admin,  FORBIDDEN",
        "acme,  admin,  admin,  ok",
        "*,     viewer, viewer, ok",
        "*,     viewer, editor, FORBIDDEN",
        "other, admin,  viewer, NOT_FOUND",
        "other, viewer, admin,  NOT_FOUND"
      })
  void anotherTenantsConfigIsNotFoundBeforeAnyRoleIsChecked(
      String tenant, String role, String needed, Problem expected) {
    assertThat(refusal(() -> Access.allow(user(tenant, Role.parse(role)), REF, Role.parse(needed))))
        .isEqualTo(expected);
  }

  @Test
  void notFoundNamesTheConfigOrTheTenant() {
    Principal other = user("other", Role.ADMIN);
    assertThatThrownBy(() -> Access.see(other, "acme", REF))
        .hasMessage("config acme/app not found");
    assertThatThrownBy(() -> Access.see(other, "acme", null)).hasMessage("tenant acme not found");
  }

  @Test
  void aMissingRoleIsNamedForPrograms() {
    assertThatThrownBy(() -> Access.require(user("acme", Role.EDITOR), Role.ADMIN))
        .isInstanceOfSatisfying(
            StoreException.class,
            e -> {
              assertThat(e.getMessage()).isEqualTo("this needs the admin role");
              assertThat(e.members().get("requiredRole").asText()).isEqualTo("admin");
            });
  }

  @ParameterizedTest(name = "{0} {1} issuing for {2}: {3}")
  @CsvSource(
      nullValues = "ok",
      value = {
        "*,    admin,  *,     ok",
        "*,    admin,  acme,  ok",
        "acme, admin,  acme,  ok",
        "acme, admin,  *,     FORBIDDEN",
        "acme, admin,  other, FORBIDDEN",
        "acme, editor, acme,  FORBIDDEN",
        "acme, admin,  Bad!,  INVALID_NAME"
      })
  void anAdminIssuesTokensOfTheirOwnTenantOnly(
      String tenant, String role, String subjectTenant, Problem expected) {
    Principal subject = new Principal("u2", "u2", subjectTenant, Role.VIEWER);
    assertThat(refusal(() -> Access.allowIssuing(user(tenant, Role.parse(role)), subject)))
        .isEqualTo(expected);
  }

  @Test
  void aLockTtlIsTheDefaultOrWithinTheBounds() {
    LockTtl ttl = new LockTtl(5, 3600, 300);
    assertThat(ttl.resolve(null)).isEqualTo(300);
    assertThat(ttl.resolve(5L)).isEqualTo(5);
    assertThat(ttl.resolve(3600L)).isEqualTo(3600);
    assertThatThrownBy(() -> ttl.resolve(4L))
        .hasMessage("a lock's TTL must be between 5 and 3600 seconds, not 4");
    assertThatCode(() -> ttl.resolve(3601L)).isInstanceOf(StoreException.class);
  }
}
