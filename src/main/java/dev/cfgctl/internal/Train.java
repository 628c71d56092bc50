package dev.cfgctl.internal;

import dev.cfgctl.Cfgctl;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The training run behind the launcher's start-up archive: {@code scripts/cfgctl} runs this class
 * once per jar with {@code -XX:AOTCacheOutput} (JDK 25) or {@code -XX:ArchiveClassesAtExit} (JDK
 * 17-24), so the classes that ordinary short commands load (picocli's command model, Jackson, the
 * patch engine, the printers, the error paths) are already parsed and linked when a real command
 * starts.
 *
 * <p>It runs representative command lines in-process through {@link Cfgctl#run} on small files it
 * writes to a temporary directory, and ignores their output and exit codes: a command that fails
 * here still loads the classes of its failure path, which is worth archiving too. Not thread-safe;
 * meant only to be the main class of one JVM.
 *
 * <p>The argument picks the set of commands: {@code schema} trains validation too; {@code core}
 * (the default) leaves out the JSON Schema validator, whose ~900 classes the JDK 25 AOT cache would
 * otherwise load at the start of every command, diff included; {@code store} trains the commands on
 * stored configs, on an embedded store in the temporary directory and, through the HTTP client,
 * against a real {@code cfgctl serve} that it starts as a separate process (so that none of the
 * server's classes land in the archive).
 */
public final class Train {
  private Train() {}

  public static void main(String[] args) throws IOException {
    String set = args.length > 0 ? args[0] : "core";
    Path dir = Files.createTempDirectory("cfgctl-train");
    try {
      Samples samples = writeSamples(dir);
      if (set.equals("store")) {
        trainStore(dir, samples);
      } else {
        for (String[] command : commands(samples, set.equals("schema"))) runQuietly(command);
      }
    } finally {
      deleteTree(dir);
    }
    // End the way cfgctl's main does: System.exit loads classes of its own (JDK 21+ asks for a
    // System.Logger to log the exit), which are then archived too.
    System.exit(0);
  }

  private static List<String[]> commands(Samples s, boolean schema) {
    List<String[]> commands = new ArrayList<>();
    commands.add(new String[] {"--help"});
    commands.add(new String[] {"--version"});
    commands.add(new String[] {"diff", "--help"});
    commands.add(new String[] {"diff", s.a, s.b});
    commands.add(new String[] {"diff", "-o", "text", s.a, s.b});
    commands.add(new String[] {"diff", "--format", "merge-patch", s.a, s.b});
    commands.add(new String[] {"diff", s.a, s.a});
    commands.add(new String[] {"patch", s.a, s.patch});
    commands.add(new String[] {"patch", "--format", "merge-patch", s.a, s.mergePatch});
    commands.add(new String[] {"patch", s.a, s.failingPatch});
    if (schema) {
      commands.add(new String[] {"validate", s.b, "--schema", s.schema});
      commands.add(new String[] {"validate", s.invalid, "--schema", s.schema});
      commands.add(new String[] {"patch", "--schema", s.schema, s.a, s.patch});
    }
    // error paths: a missing file, a file that is not JSON, an unknown option
    commands.add(new String[] {"diff", s.a, s.missing});
    commands.add(new String[] {"diff", s.a, s.broken});
    commands.add(new String[] {"diff", "--no-such-option", s.a, s.b});
    // Run the common ones a second time: classes first touched on the second call (caches, lazily
    // built formatters) are archived as well.
    commands.add(new String[] {"diff", s.a, s.b});
    commands.add(new String[] {"patch", s.a, s.patch});
    return commands;
  }

  /** The stored-config commands, on an embedded store and then against a server of their own. */
  private static void trainStore(Path dir, Samples s) throws IOException {
    for (String[] command : storeCommands(s)) {
      runQuietly(command, "--store", dir.resolve("store").toString());
    }
    Process server = null;
    try {
      String javaBin = ProcessHandle.current().info().command().orElse("java");
      String jar =
          Path.of(Train.class.getProtectionDomain().getCodeSource().getLocation().toURI())
              .toString();
      Path data = dir.resolve("server");
      server =
          new ProcessBuilder(
                  javaBin,
                  "-cp",
                  jar,
                  "dev.cfgctl.Cfgctl",
                  "serve",
                  "--listen",
                  "127.0.0.1:0",
                  "--data-dir",
                  data.toString())
              .redirectErrorStream(true)
              .redirectInput(ProcessBuilder.Redirect.PIPE)
              .start();
      String url = null;
      java.io.BufferedReader log =
          new java.io.BufferedReader(
              new java.io.InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
      for (String line; url == null && (line = log.readLine()) != null; ) {
        java.util.regex.Matcher m =
            java.util.regex.Pattern.compile("listening on (http://\\S+)").matcher(line);
        if (m.find()) url = m.group(1);
      }
      if (url == null) return; // no server: the embedded half is trained at least
      for (String[] command : storeCommands(s)) {
        runQuietly(
            command, "--server", url, "--token-file", data.resolve("admin.token").toString());
      }
    } catch (java.net.URISyntaxException e) {
      // no jar to start a server from: the embedded half is trained at least
    } finally {
      if (server != null) {
        server.destroy();
        try {
          server.waitFor();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  private static List<String[]> storeCommands(Samples s) {
    List<String[]> commands = new ArrayList<>();
    commands.add(new String[] {"save", "train/landing", s.a, "--create", "-m", "first"});
    commands.add(new String[] {"get", "train/landing"});
    commands.add(new String[] {"get", "train/landing", "-o", "json", "--pointer", "/owner"});
    commands.add(new String[] {"patch", "-c", "train/landing", s.patch, "--expect-version", "1"});
    commands.add(
        new String[] {"patch", "-c", "train/landing", s.patch, "--expect-version", "1"}); // stale
    commands.add(new String[] {"save", "train/landing", s.b, "--expect-version", "2"});
    commands.add(new String[] {"history", "train/landing"});
    commands.add(new String[] {"show", "train/landing@2"});
    commands.add(new String[] {"diff", "-c", "train/landing@1", "-c", "train/landing"});
    commands.add(new String[] {"undo", "train/landing"});
    commands.add(new String[] {"list", "--tenant", "train"});
    commands.add(new String[] {"get", "train/missing"});
    commands.add(new String[] {"get", "train/landing"});
    commands.add(
        new String[] {"patch", "-c", "train/landing", s.mergePatch, "--format", "merge-patch"});
    return commands;
  }

  private static void runQuietly(String[] command, String... more) {
    String[] all = java.util.Arrays.copyOf(command, command.length + more.length);
    System.arraycopy(more, 0, all, command.length, more.length);
    runQuietly(all);
  }

  private static void runQuietly(String[] command) {
    PrintStream discard =
        new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8);
    InputStream noInput = new ByteArrayInputStream(new byte[0]);
    try {
      Cfgctl.run(noInput, discard, discard, command);
    } catch (RuntimeException | LinkageError e) {
      // A command that throws has still loaded the classes we are after; train on the next one.
    }
  }

  private record Samples(
      String a,
      String b,
      String patch,
      String mergePatch,
      String failingPatch,
      String schema,
      String invalid,
      String missing,
      String broken) {}

  private static Samples writeSamples(Path dir) throws IOException {
    String a =
        """
        {"name": "landing", "version": 3, "enabled": true, "ratio": 0.25,
         "owner": {"team": "web", "email": "web@example.com"},
         "tags": ["blue", "fast"],
         "routes": [{"id": "home", "path": "/", "weight": 10},
                    {"id": "docs", "path": "/docs", "weight": 5}],
         "limits": {"rps": 100, "burst": 20}, "note": null}
        """;
    String b =
        """
        {"name": "landing", "version": 4, "enabled": false, "ratio": 0.5,
         "owner": {"team": "platform", "email": "web@example.com"},
         "tags": ["blue", "green", "fast"],
         "routes": [{"id": "docs", "path": "/docs", "weight": 7},
                    {"id": "home", "path": "/", "weight": 10},
                    {"id": "blog", "path": "/blog", "weight": 1}],
         "limits": {"rps": 150}, "region": "eu-west-1"}
        """;
    String patch =
        """
        [{"op": "test", "path": "/version", "value": 3},
         {"op": "replace", "path": "/version", "value": 4},
         {"op": "add", "path": "/tags/-", "value": "green"},
         {"op": "remove", "path": "/note"},
         {"op": "move", "from": "/limits/burst", "path": "/burst"},
         {"op": "copy", "from": "/owner/team", "path": "/team"}]
        """;
    String mergePatch =
        """
        {"version": 4, "owner": {"team": "platform"}, "note": null, "region": "eu-west-1"}
        """;
    String failingPatch =
        """
        [{"op": "test", "path": "/version", "value": 99},
         {"op": "replace", "path": "/version", "value": 100}]
        """;
    String schema =
        """
        {"$schema": "https://json-schema.org/draft/2020-12/schema",
         "type": "object",
         "required": ["name", "version"],
         "properties": {
           "name": {"type": "string", "minLength": 1},
           "version": {"type": "integer", "minimum": 1},
           "enabled": {"type": "boolean"},
           "tags": {"type": "array", "items": {"type": "string"}, "uniqueItems": true},
           "routes": {"type": "array", "items": {
             "type": "object", "required": ["id", "path"],
             "properties": {"id": {"type": "string"}, "path": {"type": "string", "pattern": "^/"},
                            "weight": {"type": "number"}}}}}}
        """;
    String invalid =
        """
        {"name": "", "version": "four", "tags": ["a", "a"], "routes": [{"id": 1}]}
        """;
    return new Samples(
        write(dir, "a.json", a),
        write(dir, "b.json", b),
        write(dir, "patch.json", patch),
        write(dir, "merge.json", mergePatch),
        write(dir, "failing.json", failingPatch),
        write(dir, "schema.json", schema),
        write(dir, "invalid.json", invalid),
        dir.resolve("missing.json").toString(),
        write(dir, "broken.json", "{\"name\": \"landing\", \"version\": "));
  }

  private static String write(Path dir, String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8).toString();
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(Train::delete);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private static void delete(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
