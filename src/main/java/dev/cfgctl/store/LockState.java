package dev.cfgctl.store;

import java.time.Instant;

/**
 * A lock as stored: the lock, how it ended if it did ({@code endedBy} null when it expired or no
 * one is named), and the tenant its holder acted in ({@code *} for all; null for locks stored
 * before that was kept).
 */
public record LockState(
    Lock lock, Instant endedAt, String endReason, Author endedBy, String holderTenant) {
  /** The same user in the same tenant: another tenant's user of that id is not the holder. */
  public boolean heldBy(Principal who) {
    return lock.holder().id().equals(who.id())
        && (holderTenant == null || holderTenant.equals(who.tenant()));
  }

  /** Not ended and not expired at {@code now}. */
  public boolean liveAt(Instant now) {
    return endedAt == null && lock.expiresAt().isAfter(now);
  }

  /** The refusal of a write under this lock once it is no longer live: what became of it. */
  public StoreException lost() {
    String reason = endedAt == null ? "expired" : endReason;
    Instant at = endedAt == null ? lock.expiresAt() : endedAt;
    StoreException e =
        new StoreException(
                Problem.LOCK_LOST,
                "lock on "
                    + lock.ref()
                    + " was "
                    + reason.replace('-', ' ')
                    + (endedBy == null ? "" : " by " + endedBy.name())
                    + " at "
                    + Times.format(at))
            .with("reason", reason)
            .with("at", Times.format(at));
    if (endedBy != null) e.with("by", endedBy.toJson());
    else e.members().putNull("by");
    return e;
  }
}
