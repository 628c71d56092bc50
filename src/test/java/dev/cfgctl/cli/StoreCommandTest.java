package dev.cfgctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cfgctl.app.ConfigService;
import dev.cfgctl.app.Stores;
import dev.cfgctl.patch.Json;
import dev.cfgctl.server.TestServer;
import dev.cfgctl.store.ConfigRef;
import dev.cfgctl.store.Databases;
import dev.cfgctl.store.Document;
import dev.cfgctl.store.Principal;
import dev.cfgctl.store.Role;
import dev.cfgctl.store.Tunables;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cfgctl store backup} and {@code store copy} on real stores, in-process. */
class StoreCommandTest {
  @TempDir Path tmp;
  CliRunner cli;
  Path data;

  @BeforeEach
  void setUp() {
    data = tmp.resolve("data/cfgctl");
    cli =
        new CliRunner(tmp)
            .env(
                Map.of(
                    "XDG_DATA_HOME",
                    tmp.resolve("data").toString(),
                    "XDG_CONFIG_HOME",
                    tmp.resolve("config").toString()));
  }

  private CliRunner.Result ok(String... args) {
    CliRunner.Result r = cli.run(args);
    assertThat(r.exit()).as(r.describe()).isZero();
    return r;
  }

  /** The default store with three configs and some history, made on the command line. */
  private void fill() {
    ok(
        "save",
        "acme/landing",
        cli.write("landing.json", "{\"title\":\"Spring\",\"n\":0}"),
        "--create");
    for (int i = 1; i <= 4; i++) {
      ok(
          "patch",
          "-c",
          "acme/landing",
          cli.write("p.json", "[{\"op\":\"replace\",\"path\":\"/n\",\"value\":" + i + "}]"),
          "-m",
          "step " + i);
    }
    ok("save", "acme/pricing", cli.write("pricing.json", "{\"price\":9}"), "--create");
    ok("save", "globex/home", cli.write("home.json", "{\"hero\":\"hi\"}"), "--create");
    ok("delete", "globex/home", "--expect-version", "1");
  }

  private static String perms(Path p) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  @Test
  void aBackupTakenWhileAServerWritesIsAStoreOfVersionsThatExisted() throws Exception {
    ConfigService live =
        Stores.sqlite(data.resolve("cfgctl.db"), Tunables.DEFAULT, Clock.systemUTC());
    List<String> names = List.of("a", "b", "c", "d");
    try (TestServer server = new TestServer(live, Clock.systemUTC())) {
      for (String n : names) {
        TestServer.Response r =
            server.send(
                "PUT",
                "/v1/tenants/acme/configs/" + n,
                server.adminToken,
                "application/json",
                "{\"n\":0,\"pad\":\"" + "x".repeat(2000) + "\"}",
                "If-None-Match",
                "*");
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
      }
      AtomicBoolean stop = new AtomicBoolean();
      AtomicLong writes = new AtomicLong();
      List<Thread> writers = new ArrayList<>();
      for (String n : names) {
        Thread t =
            new Thread(
                () -> {
                  for (int i = 1; !stop.get(); i++) {
                    TestServer.Response r =
                        server.send(
                            "PATCH",
                            "/v1/tenants/acme/configs/" + n,
                            server.adminToken,
                            "application/json-patch+json",
                            "[{\"op\":\"replace\",\"path\":\"/n\",\"value\":" + i + "}]");
                    if (r.status() != 200) throw new IllegalStateException(r.toString());
                    writes.incrementAndGet();
                  }
                });
        t.start();
        writers.add(t);
      }
      List<Path> backups = new ArrayList<>();
      try {
        for (int i = 0; i < 4; i++) {
          while (writes.get() < 40L * (i + 1)) Thread.sleep(5);
          CliRunner.Result r = ok("store", "backup", cli.path("b" + i + ".db"));
          assertThat(r.out()).isEmpty();
          assertThat(r.err())
              .startsWith("backed up 4 configs (")
              .contains(" of 1 tenants from ")
              .contains(" to $TMP/b" + i + ".db: ")
              .endsWith(" s\n");
          backups.add(tmp.resolve("b" + i + ".db"));
        }
      } finally {
        stop.set(true);
        for (Thread t : writers) t.join();
      }
      Principal admin = TestServer.admin();
      long newest = 0;
      for (Path b : backups) {
        assertThat(perms(b)).isEqualTo("rw-------");
        try (ConfigService copy = Stores.sqlite(b, Tunables.DEFAULT, Clock.systemUTC())) {
          for (String n : names) {
            ConfigRef ref = new ConfigRef("acme", n);
            Document d = copy.get(admin, ref);
            assertThat(d.content())
                .as("%s in %s", ref, b)
                .isEqualTo(live.get(admin, ref, d.version()).content());
            newest = Math.max(newest, d.version());
          }
        }
      }
      assertThat(newest).as("the backups saw the writes").isGreaterThan(10);
    }
    try (Stream<Path> files = Files.list(tmp)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .as("no temporary files left")
          .noneMatch(f -> f.endsWith(".tmp"));
    }
  }

  @Test
  void aBackupRefusesToReplaceAFileUnlessForcedAndOpensAsAStore() throws IOException {
    fill();
    ok("store", "backup", cli.path("b.db"));
    // an existing file is a usage error everywhere (token create --secret-file, patch -o FILE too)
    CliRunner.Result again = cli.fails(ExitCode.USAGE, "store", "backup", cli.path("b.db"));
    assertThat(again.err())
        .isEqualTo(
            "cfgctl: $TMP/b.db already exists\n"
                + "hint: choose another file, or replace it with --force\n");
    ok("store", "backup", cli.path("b.db"), "--force", "--store", data.toString());
    assertThat(perms(tmp.resolve("b.db"))).isEqualTo("rw-------");

    Files.createDirectories(tmp.resolve("nightly"));
    CliRunner.Result json = ok("store", "backup", cli.path("nightly"), "-o", "json");
    JsonNode o = Json.parse(json.out());
    assertThat(o.get("file").asText()).isEqualTo("$TMP/nightly/cfgctl.db");
    assertThat(o.get("configs").asInt()).isEqualTo(3);
    assertThat(o.get("revisions").asInt()).isEqualTo(5 + 1 + 2);
    assertThat(o.get("tenants").asInt()).isEqualTo(2);
    assertThat(o.get("bytes").asLong()).isEqualTo(Files.size(tmp.resolve("nightly/cfgctl.db")));
    assertThat(ok("get", "acme/landing@3", "--store", cli.path("nightly")).out())
        .isEqualTo(ok("get", "acme/landing@3").out());

    cli.fails(
        ExitCode.NOT_FOUND,
        "store",
        "backup",
        cli.path("x.db"),
        "--store",
        cli.path("nothing-here"));
    CliRunner.Result pg =
        cli.fails(
            ExitCode.USAGE,
            "store",
            "backup",
            cli.path("x.db"),
            "--store",
            "jdbc:postgresql://db/cfgctl?user=u&password=hunter2");
    assertThat(pg.err()).doesNotContain("hunter2").contains("password=…").contains("pg_dump");
  }

  @Test
  void copyToPostgresAndBackKeepsHistoryVersionsUndoAndTokens() {
    fill();
    String secret;
    try (ConfigService s =
        Stores.sqlite(data.resolve("cfgctl.db"), Tunables.DEFAULT, Clock.systemUTC())) {
      secret =
          s.createToken(TestServer.admin(), new Principal("ci", "CI", "acme", Role.EDITOR), null)
              .secret();
    }
    String pg = Databases.freshPostgresSchema();
    CliRunner.Result there = ok("store", "copy", "--from", data.toString(), "--to", pg, "--tokens");
    assertThat(there.out()).isEmpty();
    assertThat(there.err())
        .startsWith("copied $TMP/data/cfgctl/cfgctl.db -> jdbc:postgresql:")
        .contains(": 3 configs of 2 tenants (3 copied); 8 revisions, ")
        .contains("tokens: 1 copied, 0 already there")
        .contains("verified 3 in ")
        .doesNotContain("\r");
    CliRunner.Result json =
        ok("store", "copy", "--from", data.toString(), "--to", pg, "--tokens", "-o", "json");
    JsonNode again = Json.parse(json.out());
    assertThat(again.get("configs").get("alreadyThere").asInt()).isEqualTo(3);
    assertThat(again.get("revisions").asInt()).isZero();
    assertThat(again.get("tokens").get("alreadyThere").asInt()).isEqualTo(1);
    assertThat(again.get("mismatches")).isEmpty();

    Path back = tmp.resolve("back");
    ok("store", "copy", "--from", pg, "--to", back.toString());
    for (String version : List.of("1", "2", "3", "4", "5")) {
      assertThat(ok("get", "acme/landing@" + version, "--store", back.toString()).out())
          .isEqualTo(ok("get", "acme/landing@" + version).out());
    }
    assertThat(ok("history", "acme/landing", "-o", "json", "--store", back.toString()).out())
        .isEqualTo(ok("history", "acme/landing", "-o", "json").out());
    // the local user's own changes undo on the copy as on the original
    ok("undo", "globex/home", "--store", back.toString());
    assertThat(ok("get", "globex/home", "--store", back.toString()).out()).contains("hi");
    try (ConfigService s =
        Stores.sqlite(back.resolve("cfgctl.db"), Tunables.DEFAULT, Clock.systemUTC())) {
      assertThat(s.tokens(TestServer.admin())).as("tokens only with --tokens").isEmpty();
    }
    try (ConfigService s = Stores.open(pg, Tunables.DEFAULT, Clock.systemUTC())) {
      assertThat(s.authenticate(secret).id()).isEqualTo("ci");
    }
  }

  @Test
  void aTargetWithAnotherHistoryIsRefusedWithExitThreeAndTheBarShowsOnATerminal() {
    fill();
    Path other = tmp.resolve("other");
    ok(
        "save",
        "acme/pricing",
        cli.write("x.json", "{\"price\":1}"),
        "--create",
        "--store",
        other.toString());
    CliRunner.Result r =
        cli.run("store", "copy", "--from", data.toString(), "--to", other.toString());
    assertThat(r.exit()).as(r.describe()).isEqualTo(ExitCode.CONFLICT);
    assertThat(r.err())
        .startsWith(
            "refused: acme/pricing: the target has it with another"
                + " history: version 1 differs\n")
        .contains("(2 copied, 1 refused)")
        .endsWith(
            "cfgctl: 1 configs or tokens not copied: the target holds them with another"
                + " history\nhint: copy to an empty store, or replace them there with --overwrite"
                + " (their history on the target is lost)\n");
    assertThat(ok("get", "acme/pricing", "--store", other.toString()).out()).contains("1");
    CliRunner.Result json =
        cli.run("store", "copy", "--from", data.toString(), "--to", other.toString(), "-o", "json");
    assertThat(json.exit()).isEqualTo(ExitCode.CONFLICT);
    assertThat(json.out()).as("no report on stdout when the copy failed").isEmpty();

    CliRunner.Result forced =
        cli.onTerminal(Map.of())
            .run(
                "store",
                "copy",
                "--from",
                data.toString(),
                "--to",
                other.toString(),
                "--overwrite");
    assertThat(forced.exit()).as(forced.describe()).isZero();
    assertThat(forced.err())
        .contains("\rcopy [##############################] 3/3 configs\n")
        .contains("\rverify [")
        .contains("(0 copied, 2 already there, 1 replaced)");
    assertThat(ok("get", "acme/pricing", "--store", other.toString()).out()).contains("9");
  }

  /**
   * The README's `store copy … --to ./laptop-store --dry-run`: "nothing written" holds for a new
   * target.
   */
  @Test
  void aDryRunToATargetThatDoesNotExistCreatesNothing() {
    fill();
    Path laptop = tmp.resolve("laptop-store");
    CliRunner.Result r =
        ok("store", "copy", "--from", data.toString(), "--to", laptop.toString(), "--dry-run");
    assertThat(r.err())
        .as(r.describe())
        .startsWith("dry run, nothing written: ")
        .contains(" -> " + "$TMP/laptop-store/cfgctl.db: 3 configs of 2 tenants (3 to copy)");
    assertThat(laptop).as("the target of a dry run").doesNotExist();
    // a real copy then makes it, with what the dry run said
    assertThat(ok("store", "copy", "--from", data.toString(), "--to", laptop.toString()).err())
        .contains("(3 copied)");
    assertThat(laptop.resolve("cfgctl.db")).isRegularFile();
  }

  @Test
  void storeLocationsAreCheckedAndPasswordsNeverShown() {
    fill();
    cli.fails(
        ExitCode.USAGE,
        "store",
        "copy",
        "--from",
        data.toString(),
        "--to",
        data.resolve("cfgctl.db").toString());
    CliRunner.Result missing =
        cli.fails(
            ExitCode.NOT_FOUND,
            "store",
            "copy",
            "--from",
            cli.path("nowhere"),
            "--to",
            cli.path("t"));
    assertThat(missing.err()).startsWith("cfgctl: there is no store at $TMP/nowhere/cfgctl.db\n");
    assertThat(tmp.resolve("t")).as("nothing made for a copy that cannot start").doesNotExist();
    CliRunner.Result mysql =
        cli.fails(
            ExitCode.USAGE,
            "store",
            "copy",
            "--from",
            data.toString(),
            "--to",
            "jdbc:mysql://db/x?user=u&password=hunter2");
    assertThat(mysql.err()).doesNotContain("hunter2").contains("password=…");
    CliRunner.Result down =
        cli.fails(
            ExitCode.UNAVAILABLE,
            "store",
            "copy",
            "--from",
            data.toString(),
            "--to",
            "jdbc:postgresql://127.0.0.1:1/x?user=u&password=hunter2");
    assertThat(down.err()).doesNotContain("hunter2").contains("password=…");
  }
}
