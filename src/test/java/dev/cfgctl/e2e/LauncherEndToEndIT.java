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
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
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
    Map<String, String> env =
        Map.of(
            "XDG_CONFIG_HOME", work.resolve("complete/config").toString(),
            "XDG_DATA_HOME", work.resolve("complete/data").toString(),
            "PATH", repo.resolve("scripts") + File.pathSeparator + System.getenv("PATH"));
    Path doc = Files.writeString(work.resolve("complete-doc.json"), "{\"a\": 1}");
    Path store = work.resolve("complete/store");
    assertThat(
            cfgctl(
                    LATER_CALL,
                    env,
                    "context",
                    "set",
                    "shop",
                    "--store",
                    store.toString(),
                    "--tenant",
                    "acme")
                .exitCode)
        .isZero();
    assertThat(cfgctl(LATER_CALL, env, "save", "landing", doc.toString(), "--create").exitCode)
        .isZero();
    Path script =
        Files.writeString(
            work.resolve("cfgctl.bash"), cfgctl(LATER_CALL, env, "completion", "bash").stdout);
    // what bash does on TAB: the script runs `cfgctl __complete` through the launcher on the PATH
    Path tabs =
        Files.writeString(
            work.resolve("tabs.bash"),
            "source '"
                + script
                + "'\n"
                + "tab() { COMP_WORDS=(\"$@\"); COMP_CWORD=$(($# - 1)); COMPREPLY=(); _cfgctl;"
                + " printf '%s\\n' \"${COMPREPLY[@]}\" @@; }\n"
                + "tab cfgctl context use ''\ntab cfgctl get ''\ntab cfgctl history --tenant acme la\n"
                + "tab cfgctl get --store '"
                + work.resolve("complete/none")
                + "' ''\n");

    Result result = run(Path.of("/bin/bash"), LATER_CALL, env, tabs.toString());

    assertThat(result.stdout)
        .as("candidates; stderr:%n%s", result.stderr)
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
        .isEqualTo(
            new ObjectMapper()
                .readTree(
                    "[{\"op\":\"replace\",\"path\":\"/replicas\",\"value\":3},"
                        + "{\"op\":\"add\",\"path\":\"/tags/1\",\"value\":\"y\"}]"));
    assertThat(result.stderr)
        .as("stderr of diff")
        .doesNotContainIgnoringCase("warning")
        .doesNotContain("[warn");
  }

  @Test
  @Order(3)
  void aReaderThatStopsEarlyEndsTheCommandQuietlyAsSigpipeWould() throws Exception {
    Path big =
        Files.writeString(work.resolve("big.json"), "{\"a\": [" + "1, ".repeat(200_000) + "2]}");
    Path small = Files.writeString(work.resolve("small.json"), "{}");
    // what `cfgctl diff … | head -c 10` does: the reader closes the pipe before cfgctl has written
    Result result =
        run(
            Path.of("/bin/bash"),
            FIRST_CALL,
            Map.of(),
            "-c",
            "set -o pipefail; \"$0\" diff \"$1\" \"$2\" | head -c 10 >/dev/null; echo \"exit $?\"",
            repo.resolve("scripts/cfgctl").toString(),
            small.toString(),
            big.toString());

    assertThat(result.stderr).as("stderr when the reader went away").isEmpty();
    assertThat(result.stdout)
        .as("the pipeline's exit code (128 + SIGPIPE, as for git or cat)")
        .isEqualTo("exit 141\n");
  }

  @Test
  @Order(4)
  void installCfgctlWithScriptsOnThePathInstallsAndPreparesTheStartUpCaches() throws Exception {
    Path prefix = work.resolve("prefix");
    Path installCache = Files.createDirectories(work.resolve("install-cache"));
    // scripts/ first on the PATH, as the README suggests: nothing in it may shadow install(1).
    String path = repo.resolve("scripts") + File.pathSeparator + System.getenv("PATH");
    // bash finds install-cfgctl on that PATH (ProcessBuilder would search the test's own PATH).
    Result install =
        run(
            Path.of("/bin/bash"),
            FIRST_CALL,
            Map.of("PATH", path, "XDG_CACHE_HOME", installCache.toString()),
            "-c",
            "install-cfgctl \"$1\"",
            "bash",
            prefix.toString());

    assertThat(install.exitCode)
        .as("exit code of install-cfgctl; stderr:%n%s", install.stderr)
        .isZero();
    assertThat(install.stdout).as("stdout of install-cfgctl").isEmpty();
    assertThat(prefix.resolve("share/bash-completion/completions/cfgctl")).isRegularFile();
    assertThat(prefix.resolve("share/man/man1/cfgctl-patch.1")).isRegularFile();
    if (Files.exists(repo.resolve("completions/_cfgctl"))) {
      assertThat(prefix.resolve("share/zsh/site-functions/_cfgctl")).isRegularFile();
    } else {
      assertThat(install.stderr)
          .as("stderr of install-cfgctl without completions/_cfgctl")
          .contains("skipped zsh completion: " + repo.resolve("completions/_cfgctl"));
    }
    assertThat(install.stderr)
        .as("stderr of install-cfgctl")
        .contains("prepared the start-up cache: core")
        .contains("prepared the start-up cache: store")
        .contains("prepared the start-up cache: schema");
    List<String> prepared = archiveNames(installCache);
    assertThat(prepared)
        .as("start-up archives made by the install")
        .filteredOn(name -> name.matches(".*-(core|store|schema)\\.(aot|jsa)"))
        .hasSize(3);

    Result version =
        run(
            prefix.resolve("bin/cfgctl"),
            LATER_CALL,
            Map.of("PATH", path, "XDG_CACHE_HOME", installCache.toString()),
            "--version");

    assertThat(version.exitCode).as("installed --version; stderr:%n%s", version.stderr).isZero();
    assertThat(version.stdout).startsWith("cfgctl ");
    assertThat(archiveNames(installCache))
        .as("start-up archives after the installed launcher's first --version (none new)")
        .isEqualTo(prepared);
  }

  @Test
  @Order(5)
  void noScriptShadowsAStandardCommandOrABashBuiltinWhenScriptsIsOnThePath() throws Exception {
    List<String> names;
    try (Stream<Path> files = Files.list(repo.resolve("scripts"))) {
      names = files.map(p -> p.getFileName().toString()).sorted().toList();
    }
    assertThat(names).as("scripts/").contains("cfgctl", "install-cfgctl");

    for (String name : names) {
      Result type =
          run(
              Path.of("/bin/bash"),
              LATER_CALL,
              Map.of("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"),
              "-c",
              "type -t -- \"$1\" || true",
              "bash",
              name);
      assertThat(type.stdout)
          .as("what bash finds for scripts/%s without scripts/ on the PATH", name)
          .isEmpty();
    }
  }

  @Test
  @Order(6)
  void installCfgctlSucceedsAndSaysSoWhenTheStartUpCachesCannotBePrepared() throws Exception {
    Path prefix = work.resolve("prefix-no-cds");

    Result install =
        run(
            repo.resolve("scripts/install-cfgctl"),
            FIRST_CALL,
            Map.of("CFGCTL_NO_CDS", "1"),
            prefix.toString());

    assertThat(install.exitCode)
        .as("exit code of install-cfgctl; stderr:%n%s", install.stderr)
        .isZero();
    assertThat(install.stderr)
        .as("stderr of install-cfgctl with CFGCTL_NO_CDS=1")
        .contains("skipped the start-up cache: core could not be prepared now")
        .contains("cfgctl: no start-up cache to prepare: CFGCTL_NO_CDS=1");
    assertThat(prefix.resolve("bin/cfgctl")).isExecutable();
  }

  @Test
  @Order(7)
  void installCfgctlRefusesAnUnknownOptionWithItsUsage() throws Exception {
    Result install =
        run(repo.resolve("scripts/install-cfgctl"), LATER_CALL, Map.of(), "--prefix", "x");

    assertThat(install.exitCode).as("exit code; stderr:%n%s", install.stderr).isEqualTo(2);
    assertThat(install.stderr).startsWith("usage: scripts/install-cfgctl [--no-train] [PREFIX]");
  }

  @Test
  @Order(8)
  void buildingTheJarWithoutATerminalKeepsMavensOutputInALogAndStdoutClean() throws Exception {
    Path privateBuild = work.resolve("build-quiet");

    Result result = cfgctl(LATER_CALL, fakeMaven(privateBuild, false), "--version");

    assertThat(result.exitCode).as("exit code; stderr:%n%s", result.stderr).isZero();
    assertThat(result.stdout).as("stdout").startsWith("cfgctl ").doesNotContain("fake maven");
    assertThat(result.stderr).as("stderr without a terminal").isEmpty();
    assertThat(Files.readString(privateBuild.resolve("cfgctl-build.log")))
        .as("the build log")
        .contains("fake maven: line 100");
  }

  @Test
  @Order(9)
  void buildingTheJarOnATerminalSaysSoOnStderrOnly() throws Exception {
    assumeThat(new File("/usr/bin/script"))
        .as("script(1), to give the launcher a terminal")
        .exists();
    Path privateBuild = work.resolve("build-tty");
    Path out = work.resolve("tty-stdout.txt");
    Map<String, String> env = new HashMap<>(fakeMaven(privateBuild, false));
    env.put("LAUNCHER", repo.resolve("scripts/cfgctl").toString());
    env.put("OUT", out.toString());

    // script(1) runs the launcher with stderr on a pseudo-terminal and copies what it writes there.
    Result terminal =
        run(
            Path.of("/usr/bin/script"),
            LATER_CALL,
            env,
            "-qec",
            "\"$LAUNCHER\" --version >\"$OUT\"",
            "/dev/null");

    assertThat(terminal.exitCode).as("exit code; terminal:%n%s", terminal.stdout).isZero();
    assertThat(terminal.stdout.replace("\r", ""))
        .as("what the terminal showed")
        .isEqualTo(
            "cfgctl: building cfgctl.jar (first run or sources changed, about a minute)...\n");
    assertThat(Files.readString(out))
        .as("stdout")
        .startsWith("cfgctl ")
        .doesNotContain("fake maven");
  }

  @Test
  @Order(10)
  void aFailedBuildShowsTheEndOfMavensLogAndWhereTheWholeLogIs() throws Exception {
    Path privateBuild = work.resolve("build-broken");

    Result result = cfgctl(LATER_CALL, fakeMaven(privateBuild, true), "--version");

    Path log = privateBuild.resolve("cfgctl-build.log");
    assertThat(result.exitCode).as("exit code; stderr:%n%s", result.stderr).isEqualTo(8);
    assertThat(result.stdout).as("stdout").isEmpty();
    assertThat(result.stderr)
        .as("stderr of a failed build")
        .doesNotContain("fake maven: line 40\n")
        .contains("fake maven: line 50\n", "fake maven: line 100\n")
        .doesNotContain("\u001b")
        .endsWith(
            "cfgctl: building "
                + privateBuild.resolve("cfgctl.jar")
                + " failed; Maven's output (its end is above) is in "
                + log
                + "\nhint: fix the build, then run the command again\n");
    assertThat(Files.readString(log)).as("the build log").contains("fake maven: line 1\n");
  }

  @Test
  @Order(11)
  void trainingRemovesAllButTheMostRecentlyMadeArchivesBeyondTheCap() throws Exception {
    Path cache = Files.createDirectories(work.resolve("capped-cache"));
    Path archives = Files.createDirectories(cache.resolve("cfgctl/archives"));
    List<String> old = new ArrayList<>();
    for (int i = 0; i < 12; i++) { // other jars' archives, made an hour apart, oldest first
      String name = String.format("cfgctl-%064d-java17.0.1-0000%04d-00000000-core.jsa", i, i);
      Path file = Files.writeString(archives.resolve(name), "x".repeat(1000));
      Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(Duration.ofHours(24 - i))));
      old.add(name);
    }

    Result result =
        cfgctl(FIRST_CALL, Map.of("XDG_CACHE_HOME", cache.toString(), "CFGCTL_TRAIN", "core"));

    assertThat(result.exitCode)
        .as("exit code of the training; stderr:%n%s", result.stderr)
        .isZero();
    assertThat(result.stdout).as("stdout of CFGCTL_TRAIN").isEmpty();
    List<String> left = archiveNames(cache);
    assertThat(left)
        .as("archives left in %s (at most 6: the 5 most recently made and the new one)", archives)
        .containsAll(old.subList(7, 12))
        .doesNotContainAnyElementsOf(old.subList(0, 7))
        .hasSize(6);
  }

  /**
   * A stand-in for {@code mvn} on the PATH that writes 100 lines of output (and the color reset
   * Maven 3.8 leaves on a terminal) and then copies the real jar into the build directory, or
   * fails.
   */
  private static Map<String, String> fakeMaven(Path buildDirectory, boolean fail)
      throws IOException {
    Path bin = Files.createDirectories(work.resolve("fake-maven-bin"));
    Path mvn = bin.resolve("mvn");
    Files.writeString(
        mvn,
        """
        #!/usr/bin/env bash
        for a; do case $a in -Dcfgctl.build.dir=*) dir=${a#*=} ;; esac; done
        printf '\\033[0m\\033[0m'
        for i in {1..100}; do echo "fake maven: line $i"; done
        printf '\\033[0m\\033[0m' >&2
        [[ $FAKE_MAVEN_FAIL != 1 ]] || exit 1
        cp -- "$FAKE_MAVEN_JAR" "$dir/cfgctl.jar"
        """);
    mvn.toFile().setExecutable(true);
    return Map.of(
        "PATH",
        bin + File.pathSeparator + System.getenv("PATH"),
        "CFGCTL_BUILD_DIR",
        buildDirectory.toString(),
        "CFGCTL_NO_CDS",
        "1",
        "FAKE_MAVEN_JAR",
        buildDir.resolve("cfgctl.jar").toString(),
        "FAKE_MAVEN_FAIL",
        fail ? "1" : "0");
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
    return archiveNames(cacheHome);
  }

  private static List<String> archiveNames(Path cache) throws IOException {
    Path dir = cache.resolve("cfgctl/archives");
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(name -> name.matches("cfgctl-.*\\.(aot|jsa)"))
          .sorted()
          .toList();
    }
  }

  private static String sha256(Path file) throws IOException, NoSuchAlgorithmException {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }
}
