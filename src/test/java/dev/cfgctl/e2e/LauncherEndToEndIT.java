package dev.cfgctl.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code scripts/cfgctl} as a real subprocess, from an empty cache directory, the way a user
 * does.
 *
 * <p>The launcher gets {@code CFGCTL_BUILD_DIR} = the build directory these test classes were
 * compiled into, so under {@code mvn -Dcfgctl.build.dir=DIR test} it uses (and, if the jar is
 * missing because {@code package} has not run yet, builds) {@code DIR/cfgctl.jar} rather than
 * touching {@code target/}. The tests share one cache directory and run in order only to pay for
 * the one-time training run once; each of them also holds on its own.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LauncherEndToEndIT {
  /**
   * The first call may build the jar with Maven (a cold Maven on 2 cores) and train the archive.
   */
  private static final Duration FIRST_CALL = Duration.ofMinutes(5);

  private static final Duration LATER_CALL = Duration.ofMinutes(2);

  @TempDir static Path work;

  private static Path repo;
  private static Path buildDir;
  private static Path cacheHome;

  @BeforeAll
  static void locateLauncher() throws URISyntaxException, IOException {
    repo = Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath();
    assumeThat(repo.resolve("scripts/cfgctl")).as("the launcher script").isExecutable();
    assumeThat(new File("/bin/bash")).as("bash, which the launcher needs").exists();
    Path testClasses =
        Path.of(
            LauncherEndToEndIT.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    buildDir = testClasses.getParent();
    cacheHome = Files.createDirectories(work.resolve("cache"));
  }

  @Test
  @Order(1)
  void firstRunPrintsTheVersionOnStdoutAndExitsZero() throws Exception {
    Result result = cfgctl(FIRST_CALL, Map.of(), "--version");

    assertThat(result.exitCode).as("exit code of --version; stderr:%n%s", result.stderr).isZero();
    assertThat(result.stdout)
        .as("stdout of --version")
        .containsPattern("^cfgctl \\d+\\.\\d+\\.\\d+");
  }

  @Test
  @Order(5)
  void bashCompletionAsksTheLauncherForContextNamesAndRefs() throws Exception {
    Map<String, String> env = Map.of(
        "XDG_CONFIG_HOME", work.resolve("complete/config").toString(),
        "XDG_DATA_HOME", work.resolve("complete/data").toString(),
        "PATH", repo.resolve("scripts") + File.pathSeparator + System.getenv("PATH"));
    Path doc = Files.writeString(work.resolve("complete-doc.json"), "{\"a\": 1}");
    Path store = work.resolve("complete/store");
    assertThat(cfgctl(LATER_CALL, env, "context", "set", "shop", "--store", store.toString(), "--tenant", "acme")
        .exitCode).isZero();
    assertThat(cfgctl(LATER_CALL, env, "save", "landing", doc.toString(), "--create").exitCode).isZero();
    Path script = Files.writeString(work.resolve("cfgctl.bash"), cfgctl(LATER_CALL, env, "completion", "bash").stdout);
    // what bash does on TAB: the script runs `cfgctl __complete` through the launcher on the PATH
    Path tabs = Files.writeString(work.resolve("tabs.bash"), "source '" + script + "'\n"
        + "tab() { COMP_WORDS=(\"$@\"); COMP_CWORD=$(($# - 1)); COMPREPLY=(); _cfgctl;"
        + " printf '%s\\n' \"${COMPREPLY[@]}\" @@; }\n"
        + "tab cfgctl context use ''\ntab cfgctl get ''\ntab cfgctl history --tenant acme la\n"
        + "tab cfgctl get --store '" + work.resolve("complete/none") + "' ''\n");

    Result result = run(Path.of("/bin/bash"), LATER_CALL, env, tabs.toString());

    assertThat(result.stdout).as("candidates; stderr:%n%s", result.stderr)
        .isEqualTo("shop\n@@\nlanding\n@@\nlanding\n@@\n@@\n");
    assertThat(work.resolve("complete/none")).doesNotExist();
  }

  @Test
  @Order(2)
  void laterRunStartsFromAnArchiveNamedAfterTheJarsSha256() throws Exception {
    cfgctl(FIRST_CALL, Map.of(), "--version"); // trains the archive unless test 1 already did
    Path classLog = work.resolve("class-load.log");

    Result result =
        cfgctl(
            LATER_CALL,
            Map.of("CFGCTL_JAVA_OPTS", "-Xlog:class+load=info:file=" + classLog),
            "--version");

    assertThat(result.exitCode).as("exit code of --version; stderr:%n%s", result.stderr).isZero();
    String sha = sha256(buildDir.resolve("cfgctl.jar"));
    List<String> archives = archiveNames();
    assertThat(archives)
        .as("start-up archives in %s", cacheHome.resolve("cfgctl/archives"))
        .anySatisfy(name -> assertThat(name).contains(sha).containsPattern("\\.(aot|jsa)$"));
    assertThat(Files.readString(classLog))
        .as("class loading log of the run with the archive")
        .contains("dev.cfgctl.Cfgctl source: shared objects file");
  }

  @Test
  @Order(3)
  void diffOfTwoFilesPrintsAJsonPatchArrayExitsOneAndNoJvmWarnings() throws Exception {
    Path a =
        Files.writeString(
            work.resolve("a.json"), "{\"name\": \"web\", \"replicas\": 2, \"tags\": [\"x\"]}");
    Path b =
        Files.writeString(
            work.resolve("b.json"),
            "{\"name\": \"web\", \"replicas\": 3, \"tags\": [\"x\", \"y\"]}");

    Result result = cfgctl(FIRST_CALL, Map.of(), "diff", a.toString(), b.toString());

    assertThat(result.exitCode)
        .as("exit code of diff (1 = differences); stderr:%n%s", result.stderr)
        .isEqualTo(1);
    JsonNode patch = new ObjectMapper().readTree(result.stdout);
    assertThat(patch.isArray()).as("stdout is a JSON array: %s", result.stdout).isTrue();
    assertThat(patch)
        .as("the patch")
        .isEqualTo(new ObjectMapper().readTree("[{\"op\":\"replace\",\"path\":\"/replicas\",\"value\":3},"
            + "{\"op\":\"add\",\"path\":\"/tags/1\",\"value\":\"y\"}]"));
    assertThat(result.stderr)
        .as("stderr of diff")
        .doesNotContainIgnoringCase("warning")
        .doesNotContain("[warn");
  }

  @Test
  @Order(4)
  void installedLauncherRunsFromItsPrefixWithCompletionAndManPages() throws Exception {
    Path prefix = work.resolve("prefix");
    Result install = run(repo.resolve("scripts/install"), FIRST_CALL, Map.of(), prefix.toString());
    assertThat(install.exitCode).as("exit code of scripts/install; stderr:%n%s", install.stderr).isZero();
    assertThat(prefix.resolve("share/bash-completion/completions/cfgctl")).isRegularFile();
    assertThat(prefix.resolve("share/man/man1/cfgctl-patch.1")).isRegularFile();

    Result version = run(prefix.resolve("bin/cfgctl"), LATER_CALL, Map.of(), "--version");

    assertThat(version.exitCode).as("installed --version; stderr:%n%s", version.stderr).isZero();
    assertThat(version.stdout).startsWith("cfgctl ");
  }

  private record Result(int exitCode, String stdout, String stderr) {}

  private static Result cfgctl(Duration timeout, Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    return run(repo.resolve("scripts/cfgctl"), timeout, env, args);
  }

  private static Result run(Path program, Duration timeout, Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(program.toString());
    command.addAll(List.of(args));
    Path out = Files.createTempFile(work, "stdout", ".txt");
    Path err = Files.createTempFile(work, "stderr", ".txt");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(work.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
    Map<String, String> environment = builder.environment();
    environment.remove("CFGCTL_NO_CDS");
    environment.remove("CFGCTL_JAVA_OPTS");
    environment.put("XDG_CACHE_HOME", cacheHome.toString());
    environment.put("CFGCTL_BUILD_DIR", buildDir.toString());
    environment.putAll(env);
    Process process = builder.start();
    if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly().waitFor();
      throw new AssertionError(
          program
              + " "
              + String.join(" ", args)
              + " did not finish within "
              + timeout
              + "; stderr:\n"
              + Files.readString(err));
    }
    return new Result(
        process.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  private static List<String> archiveNames() throws IOException {
    Path dir = cacheHome.resolve("cfgctl/archives");
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static String sha256(Path file) throws IOException, NoSuchAlgorithmException {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }
}
