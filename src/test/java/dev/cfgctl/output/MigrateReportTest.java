package dev.cfgctl.output;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cfgctl.app.MigrationReport;
import dev.cfgctl.app.MigrationReport.ConfigResult;
import dev.cfgctl.app.MigrationReport.Outcome;
import dev.cfgctl.store.ConfigRef;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code migrate --report}: the JUnit XML that CI servers read. */
class MigrateReportTest {
  @TempDir Path tmp;

  @Test
  void theSuiteTakesTheWallTimeNotTheSumOfConfigsMigratedAtOnce() throws Exception {
    long second = 1_000_000_000L;
    List<ConfigResult> results =
        List.of(
            new ConfigResult(new ConfigRef("acme", "landing-1"), Outcome.APPLIED, 2L, null, second),
            new ConfigResult(
                new ConfigRef("acme", "landing-2"), Outcome.APPLIED, 2L, null, second / 2),
            new ConfigResult(
                new ConfigRef("acme", "landing-3"),
                Outcome.CONFLICT,
                null,
                "conflict: at version 3",
                second / 4));
    Path report = tmp.resolve("migrate.xml");

    // three configs at once: 1.2 s on the clock
    JunitReportWriter.write(
        new MigrationReport(false, results, 1_200_000_000L),
        "cfgctl migrate cta.patch.json --match landing-*",
        report);

    String xml = Files.readString(report, StandardCharsets.UTF_8);
    assertThat(xml)
        .containsPattern("<testsuite [^>]*tests=\"3\" failures=\"1\"[^>]* time=\"1\\.200\"")
        .contains("name=\"landing-1\" time=\"1.000\"")
        .contains("name=\"landing-2\" time=\"0.500\"")
        .contains("name=\"landing-3\" time=\"0.250\"");
  }
}
