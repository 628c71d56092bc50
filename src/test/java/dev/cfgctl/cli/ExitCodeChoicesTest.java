package dev.cfgctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exit codes where the table (ExitCode, README "Exit codes") needed reading, and what the
 * message says then: missing files, serve's database and address, lock exec's command, numbers.
 */
class ExitCodeChoicesTest {
  @TempDir Path tmp;
  CliRunner cli;

  @BeforeEach
  void setUp() {
    cli = new CliRunner(tmp).env(Map.of("HOME", tmp.resolve("home").toString()));
  }

  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Test
  void aMissingTokenFileIsNotFoundLikeEveryMissingFile() {
    assertThat(
            cli.fails(
                    ExitCode.NOT_FOUND,
                    "get",
                    "acme/x",
                    "--server",
                    "http://127.0.0.1:9",
                    "--token-file",
                    cli.path("missing.token"))
                .err())
        .isEqualTo("cfgctl: token file $TMP/missing.token does not exist\n");
  }

  @Test
  void aDatabaseThatRefusesConnectionsFailsAtOnceSayingWhereAndWhy() throws IOException {
    int port = closedPort();
    long start = System.nanoTime();
    CliRunner.Result r =
        cli.fails(
            ExitCode.UNAVAILABLE,
            "serve",
            "--db",
            "jdbc:postgresql://127.0.0.1:" + port + "/cfg?user=app&password=hunter2",
            "--data-dir",
            cli.path("data"),
            "--listen",
            "127.0.0.1:0");
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .as("no waiting for a pool's timeout")
        .isLessThan(Duration.ofSeconds(5));
    assertThat(r.err())
        .isEqualTo(
            "cfgctl: cannot connect to the database at jdbc:postgresql://127.0.0.1:"
                + port
                + "/cfg?user=app&password=… (connection refused)\n"
                + "hint: check that the database is running and accepts connections there\n");
  }

  @Test
  void aMalformedDatabaseUrlIsAUsageErrorSayingWhatIsWrong() {
    assertThat(
            cli.fails(
                    ExitCode.USAGE,
                    "serve",
                    "--db",
                    "jdbc:postgresql://127.0.0.1:99999/cfg?password=x",
                    "--data-dir",
                    cli.path("data"),
                    "--listen",
                    "127.0.0.1:0")
                .err())
        .isEqualTo(
            "cfgctl: malformed database URL jdbc:postgresql://127.0.0.1:99999/cfg?password=… (expected"
                + " jdbc:postgresql://HOST[:PORT]/DATABASE[?user=…], a port from 1 to 65535)\n");
    assertThat(
            cli.fails(
                    ExitCode.USAGE,
                    "serve",
                    "--db",
                    "jdbc:mysql://db/cfg",
                    "--data-dir",
                    cli.path("data"),
                    "--listen",
                    "127.0.0.1:0")
                .err())
        .isEqualTo(
            "cfgctl: unsupported database URL (expected jdbc:postgresql://HOST/DB or"
                + " jdbc:sqlite:FILE)\n");
  }

  @Test
  void anAddressInUseIsAUsageErrorNotAnUnreachableServer() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      String listen = "127.0.0.1:" + taken.getLocalPort();
      CliRunner.Result r =
          cli.fails(ExitCode.USAGE, "serve", "--listen", listen, "--data-dir", cli.path("data"));
      assertThat(r.err())
          .startsWith("cfgctl: cannot listen on " + listen + ": ")
          .endsWith(
              "\nhint: is another server using that port? --listen 127.0.0.1:0 picks a free one\n");
    }
  }

  @Test
  void aCommandThatDoesNotExistIsNotFound() {
    String store = cli.path("store");
    cli.run("save", "acme/landing", cli.write("d.json", "{\"a\":1}"), "--create", "--store", store);
    assertThat(
            cli.fails(
                    ExitCode.NOT_FOUND,
                    "lock",
                    "exec",
                    "acme/landing",
                    "--store",
                    store,
                    "--",
                    "nosuchcmd")
                .err())
        .isEqualTo(
            "cfgctl: cannot run nosuchcmd: no such command\n"
                + "hint: check its name and the PATH (a script here: ./nosuchcmd)\n");
    assertThat(cli.run("lock", "status", "acme/landing", "--store", store).out())
        .as("the lock is released")
        .isEqualTo("acme/landing is not locked\n");
  }

  @Test
  void aNumberOptionGivenSomethingElseSaysWhatItTakes() {
    String doc = cli.write("d.json", "{\"a\":1}");
    assertThat(cli.fails(ExitCode.USAGE, "save", "acme/x", doc, "--expect-version", "abc").err())
        .isEqualTo(
            "cfgctl: --expect-version takes a version number, not 'abc'\n"
                + "hint: run 'cfgctl save --help' for usage\n");
    assertThat(cli.fails(ExitCode.USAGE, "history", "acme/x", "--before", "v3").err())
        .startsWith("cfgctl: --before takes a version number, not 'v3'\n");
    assertThat(cli.fails(ExitCode.USAGE, "history", "acme/x", "--limit", "ten").err())
        .startsWith("cfgctl: --limit takes a whole number, not 'ten'\n");
    assertThat(cli.fails(ExitCode.USAGE, "serve", "--lock-ttl", "5m").err())
        .startsWith("cfgctl: --lock-ttl takes a whole number of seconds, not '5m'\n");
    assertThat(cli.fails(ExitCode.USAGE, "serve", "--rate-limit", "fast").err())
        .startsWith("cfgctl: --rate-limit takes a number, not 'fast'\n");
    assertThat(
            cli.fails(
                    ExitCode.USAGE,
                    "token",
                    "create",
                    "--user",
                    "u",
                    "--role",
                    "viewer",
                    "--expires-in-days",
                    "1.5")
                .err())
        .startsWith("cfgctl: --expires-in-days takes a whole number, not '1.5'\n");
  }
}
