package dev.cfgctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rules for JSON input are the server's (see HardeningApiTest): UTF-8 only, a UTF-8 byte order
 * mark skipped, lone surrogates refused, huge exponents kept exactly; and a stored config is an
 * object. Secrets never reach the output.
 */
class InputRulesTest {
  @TempDir Path dir;

  @Test
  void theCommandLineReadsJsonByTheServersRules() {
    CliRunner cli = new CliRunner(dir);
    String plain = cli.write("plain.json", "{\"a\":1}");
    String bom = cli.write("bom.json", "\uFEFF{\"a\":1}".getBytes(StandardCharsets.UTF_8));
    assertThat(cli.run("diff", plain, bom).exit()).isZero();
    String wide = cli.write("wide.json", "{\"a\":1}".getBytes(StandardCharsets.UTF_16LE));
    assertThat(cli.fails(ExitCode.USAGE, "diff", plain, wide).err())
        .contains("UTF-16 or UTF-32; JSON must be UTF-8");
    String lone = cli.write("lone.json", "{\"a\":\"\\ud800\"}");
    assertThat(cli.fails(ExitCode.USAGE, "diff", plain, lone).err())
        .contains("lone surrogate \\ud800 in a string is not a character");
    String big = cli.write("big.json", "{\"a\":1e400}");
    assertThat(cli.run("patch", big, cli.write("p.json", "[]")).out()).isEqualTo("{\"a\":1e400}\n");
  }

  @Test
  void aStoredConfigIsAnObjectOnTheEmbeddedStoreToo() {
    CliRunner cli = new CliRunner(dir);
    String patch = cli.write("change.json", "[{\"op\":\"add\",\"path\":\"/a\",\"value\":1}]");
    CliRunner.Result r =
        cli.fails(
            ExitCode.USAGE,
            "save",
            "--store",
            dir.resolve("store").toString(),
            "acme/landing",
            patch,
            "--create");
    assertThat(r.err())
        .contains("a config is a JSON object; the content of acme/landing would be an" + " array");
  }

  @Test
  void aDatabasePasswordIsNeverPrinted() {
    CliRunner cli = new CliRunner(dir);
    // (a refused connection fails at once, with its cause: see ExitCodeChoicesTest)
    for (String url :
        new String[] {"jdbc:postgresql://127.0.0.1:1/cfg?user=app&password=hunter2&ssl=false"}) {
      CliRunner.Result r =
          cli.fails(
              ExitCode.UNAVAILABLE,
              "serve",
              "--db",
              url,
              "--data-dir",
              dir.toString(),
              "--listen",
              "127.0.0.1:0");
      assertThat(r.out() + r.err()).doesNotContain("hunter2").contains("password=…");
    }
  }
}
