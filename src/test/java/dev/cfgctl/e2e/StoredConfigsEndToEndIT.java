package dev.cfgctl.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cfgctl.patch.Json;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stored-config commands as people run them: {@code scripts/cfgctl serve} and {@code
 * scripts/cfgctl} commands as separate processes, talking over HTTP.
 */
class StoredConfigsEndToEndIT {
  private static final Pattern LISTENING = Pattern.compile("listening on (http://\\S+)");
  private static final Duration TIMEOUT = Duration.ofMinutes(3);

  @TempDir Path work;
  private Path repo;
  private Path buildDir;
  private Process server;
  private String url;
  private String adminToken;
  private final HttpClient http = HttpClient.newHttpClient();

  record Result(int exit, String out, String err) {}

  @BeforeEach
  void startServer() throws Exception {
    repo = Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath();
    assumeThat(repo.resolve("scripts/cfgctl")).as("the launcher script").isExecutable();
    buildDir =
        Path.of(
                StoredConfigsEndToEndIT.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI())
            .getParent();
    Path log = work.resolve("server.log");
    server =
        builder(
                Map.of(),
                "serve",
                "--listen",
                "127.0.0.1:0",
                "--data-dir",
                work.resolve("server").toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (url == null && System.nanoTime() < deadline && server.isAlive()) {
      Matcher m = LISTENING.matcher(Files.readString(log));
      if (m.find()) url = m.group(1);
      else Thread.sleep(100);
    }
    assertThat(url).as("the server started; its log:%n%s", Files.readString(log)).isNotNull();
    adminToken = Files.readString(work.resolve("server/admin.token")).trim();
  }

  @AfterEach
  void stopServer() throws Exception {
    if (server != null) {
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
    e.put("CFGCTL_NO_CDS", "1"); // LauncherEndToEndIT covers the archives; these test the commands
    e.put("CFGCTL_BUILD_DIR", buildDir.toString());
    e.put("XDG_CONFIG_HOME", work.resolve("config").toString());
    e.put("XDG_DATA_HOME", work.resolve("data").toString());
    e.putAll(env);
    return b;
  }

  private Process start(String token, String... args) throws IOException {
    Map<String, String> env = new HashMap<>();
    env.put("CFGCTL_SERVER", url);
    env.put("CFGCTL_TOKEN", token);
    return builder(env, args)
        .redirectOutput(ProcessBuilder.Redirect.PIPE)
        .redirectError(ProcessBuilder.Redirect.PIPE)
        .start();
  }

  private static Result finish(Process p) throws Exception {
    byte[] out = p.getInputStream().readAllBytes();
    byte[] err = p.getErrorStream().readAllBytes();
    assertThat(p.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    return new Result(
        p.exitValue(),
        new String(out, StandardCharsets.UTF_8),
        new String(err, StandardCharsets.UTF_8));
  }

  private Result cfgctl(String token, String... args) throws Exception {
    return finish(start(token, args));
  }

  private HttpResponse<String> api(
      String method, String path, String token, String body, String... headers) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url + path))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + token)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) b.header("Content-Type", "application/json");
    for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private String token(String user, String name) throws Exception {
    HttpResponse<String> r =
        api(
            "POST",
            "/v1/tokens",
            adminToken,
            "{\"user\":\""
                + user
                + "\",\"displayName\":\""
                + name
                + "\",\"tenant\":\"acme\",\"role\":\"editor\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return Json.parse(r.body()).get("token").asText();
  }

  private String write(String name, String content) throws IOException {
    return Files.writeString(work.resolve(name), content).toString();
  }

  @Test
  void twoTerminalsRacingASaveOneWinsTheOtherIsToldWhoChangedWhat() throws Exception {
    String sarah = token("sarah", "Sarah");
    String tom = token("tom", "Tom");
    assertThat(
            cfgctl(
                    sarah,
                    "save",
                    "acme/landing",
                    write("v1.json", "{\"title\":\"Spring\",\"cta\":\"Buy\"}"),
                    "--create")
                .exit())
        .isZero();
    Process a =
        start(
            sarah,
            "save",
            "acme/landing",
            write("a.json", "{\"title\":\"Summer\",\"cta\":\"Buy\"}"),
            "--expect-version",
            "1",
            "-m",
            "summer title");
    Process b =
        start(
            tom,
            "save",
            "acme/landing",
            write("b.json", "{\"title\":\"Spring\",\"cta\":\"Shop\"}"),
            "--expect-version",
            "1",
            "-m",
            "new cta");
    Result ra = finish(a);
    Result rb = finish(b);
    assertThat(List.of(ra.exit(), rb.exit())).as("%s%n%s", ra, rb).containsExactlyInAnyOrder(0, 3);
    Result lost = ra.exit() == 3 ? ra : rb;
    String winner = ra.exit() == 3 ? "Tom" : "Sarah";
    String winnerPath = ra.exit() == 3 ? "/cta" : "/title";
    assertThat(lost.out()).isEmpty();
    assertThat(lost.err())
        .contains("acme/landing is at version 2, not 1; since then: v2 save by " + winner)
        .contains(winnerPath)
        .contains("hint: apply your change on top of theirs with --rebase");
    // the loser rebases: the changes do not overlap, so both are in
    Result rebased =
        cfgctl(
            lost == ra ? sarah : tom,
            "save",
            "acme/landing",
            work.resolve(lost == ra ? "a.json" : "b.json").toString(),
            "--expect-version",
            "1",
            "--rebase");
    assertThat(rebased.exit()).as(rebased.toString()).isZero();
    JsonNode now = Json.parse(cfgctl(sarah, "get", "acme/landing").out());
    assertThat(now).isEqualTo(Json.parse("{\"title\":\"Summer\",\"cta\":\"Shop\"}"));
  }

  @Test
  void migrateOverTwoHundredConfigsCountsLockedAndDriftedOnes() throws Exception {
    String sarah = token("sarah", "Sarah");
    for (int i = 0; i < 200; i++) {
      String cta = i % 20 == 7 ? "Order" : "Buy"; // 10 drifted
      HttpResponse<String> r =
          api(
              "PUT",
              "/v1/tenants/acme/configs/page-" + i,
              adminToken,
              "{\"cta\":\"" + cta + "\",\"n\":" + i + "}",
              "If-None-Match",
              "*");
      assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }
    for (int i = 0; i < 200; i += 25) { // 8 locked by sarah
      HttpResponse<String> r =
          api(
              "POST",
              "/v1/tenants/acme/configs/page-" + i + "/lock",
              sarah,
              "{\"ttlSeconds\":300,\"client\":\"web tab 3\"}");
      assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }
    String patch =
        write(
            "cta.json",
            "[{\"op\":\"test\",\"path\":\"/cta\",\"value\":\"Buy\"},"
                + "{\"op\":\"replace\",\"path\":\"/cta\",\"value\":\"Shop now\"}]");
    Path report = work.resolve("migrate.xml");
    Result r =
        cfgctl(
            adminToken,
            "migrate",
            patch,
            "--match",
            "page-*",
            "--tenant",
            "acme",
            "--report",
            report.toString(),
            "-o",
            "json");
    assertThat(r.exit()).as(r.toString()).isEqualTo(1);
    JsonNode summary = Json.parse(r.out()).get("summary");
    assertThat(summary.get("applied").asInt()).as(r.out()).isEqualTo(182);
    assertThat(summary.get("locked").asInt()).isEqualTo(8);
    assertThat(summary.get("failed-test-op").asInt()).isEqualTo(10);
    String xml = Files.readString(report);
    assertThat(xml).contains("tests=\"200\"").contains("failures=\"18\"");

    // the locks end; the migration is re-run: only the formerly locked configs change now
    for (int i = 0; i < 200; i += 25) {
      assertThat(
              api(
                      "DELETE",
                      "/v1/tenants/acme/configs/page-" + i + "/lock?force=true&reason=e2e",
                      adminToken,
                      null)
                  .statusCode())
          .isEqualTo(204);
    }
    Result again =
        cfgctl(adminToken, "migrate", patch, "--match", "page-*", "--tenant", "acme", "-o", "json");
    JsonNode s2 = Json.parse(again.out()).get("summary");
    assertThat(s2.get("applied").asInt()).as(again.out()).isEqualTo(8);
    assertThat(s2.get("already-applied").asInt()).isEqualTo(182);
    assertThat(s2.get("failed-test-op").asInt()).isEqualTo(10);
  }

  @Test
  void lockExecKeepsOthersOutAndReleasesOnSigterm() throws Exception {
    String sarah = token("sarah", "Sarah");
    String tom = token("tom", "Tom");
    assertThat(
            cfgctl(
                    sarah,
                    "save",
                    "acme/landing",
                    write("v1.json", "{\"title\":\"Spring\"}"),
                    "--create")
                .exit())
        .isZero();
    String patch =
        write("t.json", "[{\"op\":\"replace\",\"path\":\"/title\",\"value\":\"Tom's\"}]");
    // sarah's script runs under the lock and writes with the id it is given
    Path marker = work.resolve("started");
    Process exec =
        start(
            sarah,
            "lock",
            "exec",
            "acme/landing",
            "--ttl",
            "30s",
            "--",
            "sh",
            "-c",
            "touch " + marker + "; sleep 4; exit 5");
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (!Files.exists(marker) && System.nanoTime() < deadline) Thread.sleep(50);
    Result blocked = cfgctl(tom, "patch", "-c", "acme/landing", patch);
    assertThat(blocked.exit()).as(blocked.toString()).isEqualTo(4);
    assertThat(blocked.err()).contains("locked: Sarah (cli ").contains("has held acme/landing");
    Result done = finish(exec);
    assertThat(done.exit()).as(done.toString()).isEqualTo(5); // the command's own exit code
    assertThat(cfgctl(tom, "lock", "status", "acme/landing").out())
        .isEqualTo("acme/landing is not locked\n");
    assertThat(cfgctl(tom, "patch", "-c", "acme/landing", patch).exit()).isZero();

    // SIGTERM (as from a service manager or kill): the command is stopped and the lock released
    Files.delete(marker);
    Process killed =
        start(
            sarah,
            "lock",
            "exec",
            "acme/landing",
            "--",
            "sh",
            "-c",
            "touch " + marker + "; sleep 60");
    while (!Files.exists(marker) && System.nanoTime() < deadline) Thread.sleep(50);
    assertThat(cfgctl(tom, "lock", "status", "acme/landing").out()).contains("Sarah");
    killed.destroy(); // SIGTERM to the launcher, which exec'd the JVM
    assertThat(killed.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(cfgctl(tom, "lock", "status", "acme/landing").out())
        .isEqualTo("acme/landing is not locked\n");
  }

  @Test
  void supportFindsAStaleLockAndClearsIt() throws Exception {
    String sarah = token("sarah", "Sarah");
    assertThat(
            api(
                    "POST",
                    "/v1/tenants/acme/configs/landing/lock",
                    sarah,
                    "{\"ttlSeconds\":600,\"client\":\"web tab 3\"}")
                .statusCode())
        .isEqualTo(201);
    Thread.sleep(2100);
    Result stale = cfgctl(adminToken, "lock", "list", "--tenant", "acme", "--stale", "2s");
    assertThat(stale.exit()).as(stale.toString()).isZero();
    assertThat(stale.out())
        .contains("acme/landing")
        .contains("Sarah (sarah)")
        .contains("web tab 3");
    Result cleared =
        cfgctl(adminToken, "lock", "release", "acme/landing", "--force", "--reason", "laptop died");
    assertThat(cleared.exit()).as(cleared.toString()).isZero();
    assertThat(cleared.err()).contains("released Sarah's lock on acme/landing");
    assertThat(cfgctl(adminToken, "lock", "list", "--tenant", "acme").out()).isEmpty();
    // and sarah, who is only an editor, could not have done that
    assertThat(api("POST", "/v1/tenants/acme/configs/landing/lock", sarah, "{}").statusCode())
        .isEqualTo(201);
    assertThat(cfgctl(sarah, "lock", "release", "acme/landing", "--force", "--reason", "x").exit())
        .isEqualTo(5);
  }

  @Test
  void aServerThatIsDownIsExitSevenWithHowToStartIt() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Result r =
        finish(
            builder(
                    Map.of("CFGCTL_SERVER", "http://127.0.0.1:" + port, "CFGCTL_TOKEN", "cfgctl_x"),
                    "get",
                    "acme/landing")
                .redirectOutput(ProcessBuilder.Redirect.PIPE)
                .redirectError(ProcessBuilder.Redirect.PIPE)
                .start());
    assertThat(r.exit()).as(r.toString()).isEqualTo(7);
    assertThat(r.out()).isEmpty();
    assertThat(r.err())
        .startsWith("cfgctl: ")
        .contains("127.0.0.1:" + port)
        .contains("connection refused")
        .contains(
            "hint: nothing listens on port "
                + port
                + " of 127.0.0.1: start a"
                + " server there (cfgctl serve --listen 127.0.0.1:"
                + port
                + ")")
        .doesNotContain("\tat ");
  }
}
