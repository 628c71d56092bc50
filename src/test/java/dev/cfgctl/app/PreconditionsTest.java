package dev.cfgctl.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cfgctl.app.Preconditions.Decision;
import dev.cfgctl.store.ConfigStore;
import dev.cfgctl.store.Problem;
import dev.cfgctl.store.StoreException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link Preconditions}: what an expected version decides, and the merge patch's retries. */
class PreconditionsTest {

  @ParameterizedTest(name = "expected {0}, current {1}, rebase {2}: {3}")
  @CsvSource(
      nullValues = "any",
      value = {
        "any, 5, false, CURRENT",
        "any, 5, true,  CURRENT",
        "5,   5, false, CURRENT",
        "5,   5, true,  CURRENT",
        "3,   5, false, CONFLICT",
        "3,   5, true,  REBASE",
        "6,   5, false, CONFLICT",
        "6,   5, true,  CONFLICT"
      })
  void aStaleVersionIsRebasedOnlyWhenAskedAndNeverFromTheFuture(
      Long expected, long current, boolean rebase, Decision decision) {
    assertThat(Preconditions.decide(expected, current, rebase)).isEqualTo(decision);
  }

  @Test
  void ifMatchStarExpectsNoVersion() {
    assertThat(Preconditions.anyVersion(ConfigStore.FORCE)).isNull();
    assertThat(Preconditions.anyVersion(null)).isNull();
    assertThat(Preconditions.anyVersion(4L)).isEqualTo(4L);
  }

  @Test
  void aStaleWriteIsComputedAgainUntilItLands() {
    AtomicInteger attempts = new AtomicInteger();
    String result =
        Preconditions.retryWhileStale(
            () -> {
              if (attempts.incrementAndGet() < 3) throw stale();
              return "written";
            });
    assertThat(result).isEqualTo("written");
    assertThat(attempts).hasValue(3);
  }

  @Test
  void retriesStopAfterTheLastAttempt() {
    AtomicInteger attempts = new AtomicInteger();
    assertThatThrownBy(
            () ->
                Preconditions.retryWhileStale(
                    () -> {
                      attempts.incrementAndGet();
                      throw stale();
                    }))
        .isInstanceOfSatisfying(
            StoreException.class, e -> assertThat(e.problem()).isEqualTo(Problem.VERSION_CONFLICT));
    assertThat(attempts).hasValue(Preconditions.MERGE_ATTEMPTS);
  }

  @Test
  void otherRefusalsAreNotRetried() {
    AtomicInteger attempts = new AtomicInteger();
    assertThatThrownBy(
            () ->
                Preconditions.retryWhileStale(
                    () -> {
                      attempts.incrementAndGet();
                      throw new StoreException(Problem.LOCKED, "locked");
                    }))
        .hasMessage("locked");
    assertThat(attempts).hasValue(1);
  }

  private static StoreException stale() {
    return new StoreException(Problem.VERSION_CONFLICT, "stale");
  }
}
