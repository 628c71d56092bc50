package dev.cfgctl.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.File;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's walkthroughs, as written: every {@code bash} block of its "Walkthroughs" section
 * runs, in order, in one bash process with {@code scripts/} on the PATH, in a scratch directory
 * that sees the repository's {@code src/}, against a server on a free port instead of 8080.
 */
class WalkthroughIT {
  private static final Pattern BASH_BLOCK = Pattern.compile("```bash\n(.*?)```", Pattern.DOTALL);

  @TempDir Path work;

  @Test
  void theReadmeWalkthroughsRunAsWritten() throws Exception {
    Path repo =
        Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath();
    assumeThat(repo.resolve("scripts/cfgctl")).isExecutable();
    Path buildDir =
        Path.of(WalkthroughIT.class.getProtectionDomain().getCodeSource().getLocation().toURI())
            .getParent();
    String readme = Files.readString(repo.resolve("README.md"));
    int start = readme.indexOf("\n## Walkthroughs\n");
    assertThat(start).as("the README has a Walkthroughs section").isPositive();
    String section = readme.substring(start, readme.indexOf("\n## ", start + 5));
    StringBuilder script =
        new StringBuilder("set -euo pipefail\ntrap 'kill $(jobs -p) 2>/dev/null || true' EXIT\n");
    Matcher m = BASH_BLOCK.matcher(section);
    int blocks = 0;
    while (m.find()) {
      script.append("echo '### block ").append(++blocks).append("' >&2\n").append(m.group(1));
    }
    assertThat(blocks).as("bash blocks in the Walkthroughs section").isGreaterThanOrEqualTo(4);
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path scratch = Files.createDirectories(work.resolve("scratch"));
    Files.createSymbolicLink(scratch.resolve("src"), repo.resolve("src"));
    Path file = work.resolve("walkthrough.sh");
    Files.writeString(file, script.toString().replace("127.0.0.1:8080", "127.0.0.1:" + port));

    ProcessBuilder b =
        new ProcessBuilder("bash", file.toString())
            .directory(scratch.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("out.log").toFile());
    Map<String, String> env = b.environment();
    env.put("PATH", repo.resolve("scripts") + File.pathSeparator + env.get("PATH"));
    env.put("CFGCTL_BUILD_DIR", buildDir.toString());
    env.put("CFGCTL_NO_CDS", "1");
    env.remove("CFGCTL_JAVA_OPTS");
    env.remove("CFGCTL_SERVER");
    env.remove("CFGCTL_TOKEN");
    env.put("XDG_CONFIG_HOME", work.resolve("config").toString());
    env.put("XDG_DATA_HOME", work.resolve("data").toString());
    Path tmp = Files.createDirectories(work.resolve("tmp"));
    env.put("TMPDIR", tmp.toString()); // where the walkthroughs' mktemp -d makes their directory
    Process p = b.start();
    boolean ended = p.waitFor(8, TimeUnit.MINUTES);
    if (!ended) p.destroyForcibly();
    String out = Files.readString(work.resolve("out.log"), StandardCharsets.UTF_8);
    assertThat(ended && p.exitValue() == 0)
        .as("the walkthroughs ran to the end; output:%n%s", out)
        .isTrue();
    // what the people in them were promised
    assertThat(out)
        .containsPattern("applied\\s+20")
        .containsPattern("already applied\\s+20")
        .contains("released Dana Dev's lock on acme/landing-12");
    // nothing is left where they started; the token files they wrote are the owner's only
    try (Stream<Path> left = Files.list(scratch)) {
      assertThat(left.map(f -> f.getFileName().toString()))
          .as("files left in the starting directory")
          .containsExactly("src");
    }
    try (Stream<Path> files = Files.walk(tmp)) {
      List<Path> tokens = files.filter(f -> f.toString().endsWith(".token")).toList();
      assertThat(tokens).as("token files in the walkthroughs' directory").hasSize(4); // and admin's
      for (Path t : tokens) {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(t)))
            .as(t.toString())
            .isEqualTo("rw-------");
      }
    }
  }
}
