package dev.cfgctl.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** {@link LockState}: who holds a lock, whether it is live, and what a lost lock says. */
class LockStateTest {
  private static final Instant ACQUIRED = Instant.parse("2026-01-01T10:00:00Z");
  private static final Lock LOCK =
      new Lock(
          "lk_1",
          new ConfigRef("acme", "app"),
          new Author("sarah", "Sarah"),
          "web",
          null,
          ACQUIRED,
          ACQUIRED,
          ACQUIRED.plusSeconds(60),
          60,
          1);

  private static LockState held(String holderTenant) {
    return new LockState(LOCK, null, null, null, holderTenant);
  }

  @Test
  void theHolderIsTheSameUserInTheSameTenant() {
    assertThat(held("acme").heldBy(new Principal("sarah", "S", "acme", Role.EDITOR))).isTrue();
    assertThat(held("acme").heldBy(new Principal("sarah", "S", "other", Role.EDITOR))).isFalse();
    assertThat(held("acme").heldBy(new Principal("bob", "Bob", "acme", Role.ADMIN))).isFalse();
    assertThat(held(null).heldBy(new Principal("sarah", "S", "other", Role.EDITOR)))
        .as("a lock stored before holder tenants were kept")
        .isTrue();
  }

  @Test
  void aLockIsLiveUntilItExpiresOrEnds() {
    assertThat(held("acme").liveAt(ACQUIRED.plusSeconds(59))).isTrue();
    assertThat(held("acme").liveAt(ACQUIRED.plusSeconds(60))).isFalse();
    LockState released = new LockState(LOCK, ACQUIRED.plusSeconds(5), "released", null, "acme");
    assertThat(released.liveAt(ACQUIRED.plusSeconds(10))).isFalse();
  }

  @Test
  void anExpiredLockSaysWhenItExpired() {
    StoreException lost = held("acme").lost();
    assertThat(lost.problem()).isEqualTo(Problem.LOCK_LOST);
    assertThat(lost.getMessage())
        .isEqualTo("lock on acme/app was expired at 2026-01-01T10:01:00.000Z");
    assertThat(lost.members().get("reason").asText()).isEqualTo("expired");
    assertThat(lost.members().get("by").isNull()).isTrue();
  }

  @Test
  void aLockEndedBySomeoneSaysWhoAndHow() {
    StoreException lost =
        new LockState(
                LOCK,
                ACQUIRED.plusSeconds(30),
                "force-released",
                new Author("admin", "Admin"),
                "acme")
            .lost();
    assertThat(lost.getMessage())
        .isEqualTo("lock on acme/app was force released by Admin at 2026-01-01T10:00:30.000Z");
    assertThat(lost.members().get("reason").asText()).isEqualTo("force-released");
    assertThat(lost.members().get("by").get("id").asText()).isEqualTo("admin");
  }
}
