package dev.cfgctl.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cfgctl.patch.Json;
import dev.cfgctl.patch.Patch;
import dev.cfgctl.store.ConfigRef;
import dev.cfgctl.store.Limits;
import dev.cfgctl.store.Problem;
import dev.cfgctl.store.StoreException;
import org.junit.jupiter.api.Test;

/** {@link ContentLimits} with small limits: depth 3, 40 bytes, and the work limit unreached. */
class ContentLimitsTest {
  private static final ConfigRef REF = new ConfigRef("acme", "app");
  private final ContentLimits limits = new ContentLimits(new Limits(3, 40, 1_000_000));

  private static JsonNode json(String singleQuoted) {
    return Json.parse(singleQuoted.replace('\'', '"'));
  }

  private static Problem refusal(Runnable write) {
    try {
      write.run();
      return null;
    } catch (StoreException e) {
      return e.problem();
    }
  }

  @Test
  void newContentIsAnObjectWithinDepthAndSize() {
    assertThat(limits.checkNew(REF, json("{'a':1}"))).isEqualTo(7);
    assertThat(refusal(() -> limits.checkNew(REF, json("[1]")))).isEqualTo(Problem.NOT_AN_OBJECT);
    assertThat(refusal(() -> limits.checkNew(REF, json("{'a':{'b':{'c':{}}}}"))))
        .isEqualTo(Problem.RESULT_TOO_DEEP);
    assertThat(refusal(() -> limits.checkNew(REF, json("{'a':'" + "x".repeat(40) + "'}"))))
        .isEqualTo(Problem.RESULT_TOO_LARGE);
  }

  @Test
  void aPatchWithinTheLimitsGivesItsResultInverseAndSizeBound() {
    ContentLimits.Applied a =
        limits.apply(
            REF,
            json("{'a':1}"),
            7,
            Patch.fromJson(json("[{'op':'replace','path':'/a','value':2}]")),
            limits.budget());
    assertThat(a.content()).isEqualTo(json("{'a':2}"));
    assertThat(a.inverse())
        .isEqualTo(Patch.fromJson(json("[{'op':'replace','path':'/a','value':1}]")));
    assertThat(a.bytes()).isGreaterThanOrEqualTo(7).isLessThanOrEqualTo(40);
  }

  @Test
  void aPatchBreakingALimitIsRefusedWithTheLimit() {
    assertThatThrownBy(
            () ->
                limits.apply(
                    REF,
                    json("{'a':1}"),
                    7,
                    Patch.fromJson(
                        json("[{'op':'add','path':'/b','value':'" + "x".repeat(40) + "'}]")),
                    limits.budget()))
        .isInstanceOfSatisfying(
            StoreException.class,
            e -> {
              assertThat(e.problem()).isEqualTo(Problem.RESULT_TOO_LARGE);
              assertThat(e.getMessage()).startsWith("refused, acme/app is unchanged: ");
              assertThat(e.members().get("limit").asLong()).isEqualTo(40);
            });
    assertThat(
            refusal(
                () ->
                    limits.apply(
                        REF,
                        json("{'a':1}"),
                        7,
                        Patch.fromJson(json("[{'op':'replace','path':'','value':[]}]")),
                        limits.budget())))
        .isEqualTo(Problem.NOT_AN_OBJECT);
  }

  @Test
  void rebasingOverMoreThanFourLargestConfigsIsTooMuchWork() {
    limits.checkRebaseWork(REF, 3, 9, 160);
    assertThatThrownBy(() -> limits.checkRebaseWork(REF, 3, 9, 161))
        .hasMessage(
            "refused, acme/app is unchanged: the changes since version 3 are 161 bytes of"
                + " patches, more than the limit of 160 to rebase over; start again from version 9")
        .isInstanceOfSatisfying(
            StoreException.class, e -> assertThat(e.problem()).isEqualTo(Problem.TOO_MUCH_WORK));
  }
}
