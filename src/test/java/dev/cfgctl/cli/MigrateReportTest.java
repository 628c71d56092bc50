package dev.cfgctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cfgctl.store.ConfigRef;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code migrate --report}: the JUnit XML that CI servers read. */
class MigrateReportTest {
  @TempDir Path tmp;

  @Test
  void theSuiteTakesTheWallTimeNotTheSumOfConfigsMigratedAtOnce() throws Exception {
    Io io = new Io(new ByteArrayInputStream(new byte[0]), new PrintStream(new ByteArrayOutputStream()),
        new PrintStream(new ByteArrayOutputStream()), false, false, Map.of());
    MigrateCommand m = new MigrateCommand(io);
    m.patchFile = "cta.patch.json";
    m.match = "landing-*";
    long second = 1_000_000_000L;
    List<MigrateCommand.Result> results = List.of(
        new MigrateCommand.Result(new ConfigRef("acme", "landing-1"), MigrateCommand.Outcome.APPLIED, 2L, null,
            second),
        new MigrateCommand.Result(new ConfigRef("acme", "landing-2"), MigrateCommand.Outcome.APPLIED, 2L, null,
            second / 2),
        new MigrateCommand.Result(new ConfigRef("acme", "landing-3"), MigrateCommand.Outcome.CONFLICT, null,
            "conflict: at version 3", second / 4));
    Path report = tmp.resolve("migrate.xml");

    m.writeReport(report, results, 1_200_000_000L); // three configs at once: 1.2 s on the clock

    String xml = Files.readString(report, StandardCharsets.UTF_8);
    assertThat(xml).containsPattern("<testsuite [^>]*tests=\"3\" failures=\"1\"[^>]* time=\"1\\.200\"")
        .contains("name=\"landing-1\" time=\"1.000\"").contains("name=\"landing-2\" time=\"0.500\"")
        .contains("name=\"landing-3\" time=\"0.250\"");
  }
}
