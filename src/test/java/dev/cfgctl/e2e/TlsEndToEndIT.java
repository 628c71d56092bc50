package dev.cfgctl.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.cfgctl.server.TestTls;
import java.io.File;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/cfgctl serve --tls-cert --tls-key} as a process, {@code scripts/cfgctl} commands
 * against it over https with {@code --ca-file}, a certificate renewal picked up on a real SIGHUP,
 * and a clean stop on SIGTERM.
 */
class TlsEndToEndIT {
  private static final Pattern LISTENING = Pattern.compile("listening on (https://\\S+)");
  private static final Duration TIMEOUT = Duration.ofMinutes(3);

  @TempDir Path work;
  private Path repo;
  private Path buildDir;
  private Process server;

  record Result(int exit, String out, String err) {}

  @AfterEach
  void stopServer() throws Exception {
    if (server != null && server.isAlive()) {
      server.destroy();
      server.waitFor(30, TimeUnit.SECONDS);
    }
  }

  private ProcessBuilder builder(Map<String, String> env, String... args) {
    List<String> command = new ArrayList<>();
    command.add(repo.resolve("scripts/cfgctl").toString());
    command.addAll(List.of(args));
    ProcessBuilder b =
        new ProcessBuilder(command)
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    Map<String, String> e = b.environment();
    e.remove("CFGCTL_JAVA_OPTS");
    e.put("CFGCTL_NO_CDS", "1"); // LauncherEndToEndIT covers the archives
    e.put("CFGCTL_BUILD_DIR", buildDir.toString());
    e.put("XDG_CONFIG_HOME", work.resolve("config").toString());
    e.put("XDG_DATA_HOME", work.resolve("data").toString());
    e.putAll(env);
    return b;
  }

  private Result cfgctl(Map<String, String> env, String... args) throws Exception {
    Process p =
        builder(env, args)
            .redirectOutput(ProcessBuilder.Redirect.PIPE)
            .redirectError(ProcessBuilder.Redirect.PIPE)
            .start();
    byte[] out = p.getInputStream().readAllBytes();
    byte[] err = p.getErrorStream().readAllBytes();
    assertThat(p.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    return new Result(
        p.exitValue(),
        new String(out, StandardCharsets.UTF_8),
        new String(err, StandardCharsets.UTF_8));
  }

  /** Waits until the server's log matches {@code pattern}; the match. */
  private Matcher awaitLog(Path log, Pattern pattern) throws Exception {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (System.nanoTime() < deadline && server.isAlive()) {
      Matcher m = pattern.matcher(Files.readString(log));
      if (m.find()) return m;
      Thread.sleep(100);
    }
    throw new AssertionError("no " + pattern + " in the server's log:\n" + Files.readString(log));
  }

  @Test
  void httpsWithACaFileThenARenewalOnSighupThenACleanStop() throws Exception {
    repo = Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath();
    assumeThat(repo.resolve("scripts/cfgctl")).as("the launcher script").isExecutable();
    buildDir =
        Path.of(TlsEndToEndIT.class.getProtectionDomain().getCodeSource().getLocation().toURI())
            .getParent();
    HeldCertificate ca = TestTls.ca("cfgctl e2e CA");
    Path cert = work.resolve("tls/cert.pem");
    Path key = work.resolve("tls/key.pem");
    TestTls.write(TestTls.server(ca, 1, "127.0.0.1"), cert, key);
    String caFile = TestTls.write(work.resolve("ca.pem"), ca.certificatePem()).toString();

    Path log = work.resolve("server.log");
    server =
        builder(
                Map.of(),
                "serve",
                "--listen",
                "127.0.0.1:0",
                "--data-dir",
                work.resolve("server").toString(),
                "--tls-cert",
                cert.toString(),
                "--tls-key",
                key.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    String url = awaitLog(log, LISTENING).group(1);
    int port = Integer.parseInt(url.substring(url.lastIndexOf(':') + 1));
    String admin = Files.readString(work.resolve("server/admin.token")).trim();
    Map<String, String> env = Map.of("CFGCTL_SERVER", url, "CFGCTL_TOKEN", admin);

    String doc = TestTls.write(work.resolve("landing.json"), "{\"title\":\"Spring\"}\n").toString();
    Result saved = cfgctl(env, "save", "acme/landing", doc, "--create", "--ca-file", caFile);
    assertThat(saved.exit()).as(saved.toString()).isZero();
    Result got = cfgctl(env, "get", "acme/landing", "--ca-file", caFile);
    assertThat(got.out()).as(got.toString()).isEqualTo("{\"title\":\"Spring\"}\n");
    Result untrusted = cfgctl(env, "get", "acme/landing");
    assertThat(untrusted.exit()).as(untrusted.toString()).isEqualTo(7);
    assertThat(untrusted.err())
        .contains("the server's certificate is not signed by a CA you trust")
        .contains("hint: pass the certificate of the CA that signed it with --ca-file")
        .doesNotContain("\tat ");

    // a renewal: new files, then SIGHUP, as certbot's deploy hook would send
    TestTls.write(TestTls.server(ca, 2, "127.0.0.1"), cert, key);
    Process hup = new ProcessBuilder("kill", "-HUP", Long.toString(server.pid())).start();
    assertThat(hup.waitFor(30, TimeUnit.SECONDS) && hup.exitValue() == 0).isTrue();
    awaitLog(log, Pattern.compile("SIGHUP: TLS certificate reloaded: .*serial 2,"));
    assertThat(server.isAlive()).isTrue();
    assertThat(TestTls.servedSerial(port, ca)).isEqualTo(BigInteger.TWO);
    assertThat(cfgctl(env, "get", "acme/landing", "--ca-file", caFile).out())
        .isEqualTo("{\"title\":\"Spring\"}\n");

    server.destroy(); // SIGTERM
    assertThat(server.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(server.exitValue()).as(Files.readString(log)).isZero();
    assertThat(Files.readString(log))
        .contains("stopping (finishing requests in flight)")
        .doesNotContain("Exception");
  }
}
