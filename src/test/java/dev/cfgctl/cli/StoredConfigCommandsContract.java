package dev.cfgctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cfgctl.patch.Json;
import dev.cfgctl.store.ConfigRef;
import dev.cfgctl.store.ConfigStore;
import dev.cfgctl.store.Principal;
import dev.cfgctl.store.Role;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands on stored configs (get, save, patch -c, delete, list, history, show, undo, redo,
 * rollback), their output and exit codes. Runs on the embedded store and against a real server: the
 * same command lines must behave the same.
 */
abstract class StoredConfigCommandsContract {
  @TempDir Path tmp;
  CliRunner cli;
  String doc;

  /** The environment that points the CLI at the store under test (and keeps it out of $HOME). */
  protected abstract Map<String, String> environment(Path tmp);

  /**
   * The store the CLI works on, opened directly: other users act through it. Closed by the caller.
   */
  protected abstract ConfigStore direct(Path tmp);

  static final Principal SARAH = new Principal("sarah", "Sarah", "acme", Role.EDITOR);

  @BeforeEach
  void setUp() {
    cli = new CliRunner(tmp).env(environment(tmp));
    doc =
        cli.write(
            "landing.json",
            "{\"title\":\"Spring\",\"sections\":[{\"id\":\"a\",\"text\":\"x\"}],"
                + "\"theme\":{\"color\":\"blue\"}}");
  }

  private JsonNode json(CliRunner.Result r) {
    assertThat(r.exit()).as(r.describe()).isZero();
    return Json.parse(r.out());
  }

  private CliRunner.Result ok(String... args) {
    CliRunner.Result r = cli.run(args);
    assertThat(r.exit()).as(r.describe()).isZero();
    return r;
  }

  @Test
  void createGetAndSaveWithAVersionCheck() {
    assertThat(ok("save", "acme/landing", doc, "--create").out())
        .isEqualTo("acme/landing: created, now at version 1\n");
    assertThat(json(cli.run("get", "acme/landing")))
        .isEqualTo(Json.parse(cli.read("landing.json")));
    JsonNode got = json(cli.run("get", "acme/landing", "-o", "json"));
    assertThat(got.get("version").asLong()).isEqualTo(1);
    assertThat(got.get("content").get("title").asText()).isEqualTo("Spring");
    assertThat(ok("get", "acme/landing", "--pointer", "/theme/color").out())
        .isEqualTo("\"blue\"\n");

    String changed = cli.write("changed.json", "{\"title\":\"Summer\"}");
    JsonNode saved =
        json(
            cli.run(
                "save",
                "acme/landing",
                changed,
                "--expect-version",
                "1",
                "-o",
                "json",
                "-m",
                "summer"));
    assertThat(saved.get("version").asLong()).isEqualTo(2);
    assertThat(ok("get", "acme/landing@1", "--pointer", "/title").out()).isEqualTo("\"Spring\"\n");
    assertThat(ok("get", "acme/landing", "--at", "2", "--pointer", "/title").out())
        .isEqualTo("\"Summer\"\n");

    // a stale save names the change made since; nothing is written
    CliRunner.Result stale =
        cli.fails(ExitCode.CONFLICT, "save", "acme/landing", doc, "--expect-version", "1");
    assertThat(stale.err())
        .contains("acme/landing is at version 2, not 1; since then: v2 save by ")
        .contains("ago: ")
        .contains("(summer)")
        .contains("hint: apply your change on top of theirs with --rebase");
    assertThat(json(cli.run("get", "acme/landing", "-o", "json")).get("version").asLong())
        .isEqualTo(2);

    cli.fails(ExitCode.CONFLICT, "save", "acme/landing", doc, "--create");
    CliRunner.Result problem =
        cli.run("save", "acme/landing", doc, "--expect-version", "1", "-o", "json");
    assertThat(problem.exit()).isEqualTo(ExitCode.CONFLICT);
    JsonNode p = Json.parse(problem.err());
    assertThat(p.get("type").asText()).isEqualTo("/problems/version-conflict");
    assertThat(p.get("currentVersion").asLong()).isEqualTo(2);
    assertThat(p.get("since").get(0).get("message").asText()).isEqualTo("summer");
    assertThat(cli.fails(ExitCode.USAGE, "save", "acme/landing", doc).err())
        .contains("save needs --expect-version N, --create or --force");
    assertThat(ok("save", "acme/landing", doc, "--force").out()).contains("now at version 3");
  }

  @Test
  void patchAStoredConfig() {
    ok("save", "acme/landing", doc, "--create");
    String title =
        cli.write("title.json", "[{\"op\":\"replace\",\"path\":\"/title\",\"value\":\"Sale\"}]");
    String color =
        cli.write(
            "color.json", "[{\"op\":\"replace\",\"path\":\"/theme/color\",\"value\":\"red\"}]");
    assertThat(ok("patch", "-c", "acme/landing", title, "--expect-version", "1").out())
        .isEqualTo("acme/landing: patched, now at version 2\n");
    // stale: refused, then rebased over the disjoint change
    CliRunner.Result stale =
        cli.fails(ExitCode.CONFLICT, "patch", "-c", "acme/landing", color, "--expect-version", "1");
    assertThat(stale.err()).contains("v2 patch by ").contains(": /title");
    assertThat(ok("patch", "-c", "acme/landing", color, "--expect-version", "1", "--rebase").out())
        .contains("now at version 3");
    JsonNode now = json(cli.run("get", "acme/landing"));
    assertThat(now.get("title").asText()).isEqualTo("Sale");
    assertThat(now.get("theme").get("color").asText()).isEqualTo("red");
    // a rebase onto a change of the same place is refused, even when it is the same change (a
    // read-modify-write based on a stale value is not a change of its own)
    String other =
        cli.write("other.json", "[{\"op\":\"replace\",\"path\":\"/title\",\"value\":\"Other\"}]");
    assertThat(
            cli.fails(
                    ExitCode.CONFLICT,
                    "patch",
                    "-c",
                    "acme/landing",
                    other,
                    "--expect-version",
                    "1",
                    "--rebase")
                .err())
        .contains("/title");
    assertThat(
            cli.fails(
                    ExitCode.CONFLICT,
                    "patch",
                    "-c",
                    "acme/landing",
                    title,
                    "--expect-version",
                    "1",
                    "--rebase")
                .err())
        .containsPattern(
            "cfgctl: cannot rebase: your change to /title collides with v2 by [^(]+ \\(/title\\)\n");
    // a patch that changes nothing says so, and makes no version
    String already =
        cli.write("already.json", "[{\"op\":\"test\",\"path\":\"/title\",\"value\":\"Sale\"}]");
    assertThat(ok("patch", "-c", "acme/landing", already).out())
        .isEqualTo("acme/landing: unchanged, still at version 3 (nothing to change)\n");
    assertThat(
            json(cli.run("patch", "-c", "acme/landing", already, "-o", "json"))
                .get("changed")
                .asBoolean())
        .isFalse();

    // dry run: nothing written; a failing test op: exit 1
    String test =
        cli.write("test.json", "[{\"op\":\"test\",\"path\":\"/title\",\"value\":\"nope\"}]");
    assertThat(ok("patch", "-c", "acme/landing", title, "--dry-run").err()).contains("dry run");
    cli.fails(ExitCode.NEGATIVE, "patch", "-c", "acme/landing", test);
    String merge = cli.write("merge.json", "{\"theme\":{\"color\":null}}");
    ok("patch", "-c", "acme/landing", merge, "--format", "merge-patch");
    assertThat(json(cli.run("get", "acme/landing")).get("theme").size()).isZero();
    assertThat(json(cli.run("get", "acme/landing", "-o", "json")).get("version").asLong())
        .isEqualTo(4);

    cli.fails(ExitCode.USAGE, "patch", "-c", "acme/landing", doc, title);
    cli.fails(ExitCode.USAGE, "patch", "-c", "acme/landing", title, "--in-place");
    cli.fails(ExitCode.NOT_FOUND, "patch", "-c", "acme/nothing", title);
  }

  @Test
  void historyShowUndoRedoRollbackDelete() {
    ok("save", "acme/landing", doc, "--create", "-m", "first");
    String title =
        cli.write("title.json", "[{\"op\":\"replace\",\"path\":\"/title\",\"value\":\"Sale\"}]");
    ok("patch", "-c", "acme/landing", title, "-m", "sale");
    String history = ok("history", "acme/landing").out();
    assertThat(history.split("\n")[0]).startsWith("VERSION  KIND");
    assertThat(history).contains("/title").contains("sale").contains("first");
    CliRunner.Result none =
        ok("history", "acme/landing", "--author", "nobody", "--since", "2026-01-01T00:00:00Z");
    assertThat(none.out()).as("no table header over no revisions\n%s", none.describe()).isEmpty();
    assertThat(none.err())
        .isEqualTo("no revisions of acme/landing by nobody since 2026-01-01T00:00:00Z\n");
    assertThat(
            json(cli.run("history", "acme/landing", "--author", "nobody", "-o", "json"))
                .get("items"))
        .isEmpty();
    JsonNode h = json(cli.run("history", "acme/landing", "-o", "json", "--limit", "1"));
    assertThat(h.get("items")).hasSize(1);
    assertThat(h.get("items").get(0).get("version").asLong()).isEqualTo(2);
    assertThat(h.get("next").asText()).isNotEmpty();

    JsonNode shown = json(cli.run("show", "acme/landing@2", "-o", "json"));
    assertThat(shown.get("patch").get(0).get("path").asText()).isEqualTo("/title");
    assertThat(shown.get("inverse").get(0).get("value").asText()).isEqualTo("Spring");
    assertThat(ok("show", "acme/landing@2").out())
        .contains("version 2 of acme/landing: patch")
        .contains("inverse:");
    cli.fails(ExitCode.USAGE, "show", "acme/landing");

    assertThat(ok("undo", "acme/landing").out())
        .isEqualTo("acme/landing: version 3 undoes version 2 (/title)\n");
    assertThat(ok("get", "acme/landing", "--pointer", "/title").out()).isEqualTo("\"Spring\"\n");
    assertThat(ok("redo", "acme/landing").out()).contains("version 4 redoes version 3");
    assertThat(ok("get", "acme/landing", "--pointer", "/title").out()).isEqualTo("\"Sale\"\n");
    cli.fails(ExitCode.NEGATIVE, "redo", "acme/landing");

    assertThat(ok("rollback", "acme/landing", "--to", "1").out())
        .isEqualTo("acme/landing: rolled back to version 1, now at version 5\n");
    assertThat(ok("get", "acme/landing", "--pointer", "/title").out()).isEqualTo("\"Spring\"\n");

    cli.fails(ExitCode.USAGE, "delete", "acme/landing");
    CliRunner.Result staleDelete =
        cli.fails(ExitCode.CONFLICT, "delete", "acme/landing", "--expect-version", "4");
    assertThat(staleDelete.err())
        .as("delete takes no --rebase\n%s", staleDelete.describe())
        .doesNotContain("--rebase")
        .endsWith(
            "\nhint: look at what changed since (cfgctl history), and if you still"
                + " mean it, run it again with --expect-version 5\n");
    assertThat(ok("delete", "acme/landing", "--expect-version", "5").out())
        .contains("deleted as version 6");
    assertThat(cli.run("get", "acme/landing").exit()).isEqualTo(ExitCode.NOT_FOUND);
    assertThat(ok("undo", "acme/landing").out())
        .isEqualTo("acme/landing: version 7 undoes version 6 (whole document)\n");
    assertThat(ok("get", "acme/landing", "--pointer", "/title").out()).isEqualTo("\"Spring\"\n");
  }

  @Test
  void migrateCountsEachOutcomeAndIsSafeToRerun() throws Exception {
    for (int i = 0; i < 20; i++) {
      String cta = i < 3 ? "Other" : "Buy"; // three configs drifted
      ok(
          "save",
          "acme/landing-" + i,
          cli.write("l" + i + ".json", "{\"cta\":\"" + cta + "\"}"),
          "--create");
    }
    ok("save", "acme/pricing", cli.write("p.json", "{\"cta\":\"Buy\"}"), "--create");
    String patch =
        cli.write(
            "cta.json",
            "[{\"op\":\"test\",\"path\":\"/cta\",\"value\":\"Buy\"},"
                + "{\"op\":\"replace\",\"path\":\"/cta\",\"value\":\"Shop\"}]");
    try (ConfigStore other = direct(tmp)) { // sarah is editing two of them
      other.acquire(
          SARAH,
          new ConfigRef("acme", "landing-18"),
          new ConfigStore.LockRequest(null, "web", null, false, null));
      other.acquire(
          SARAH,
          new ConfigRef("acme", "landing-19"),
          new ConfigStore.LockRequest(null, "web", null, false, null));
    }

    CliRunner.Result dry =
        cli.run(
            "migrate",
            patch,
            "--match",
            "landing-*",
            "--tenant",
            "acme",
            "--dry-run",
            "-o",
            "json");
    JsonNode d = Json.parse(dry.out());
    assertThat(d.get("summary").get("applied").asInt()).as(dry.describe()).isEqualTo(15);
    assertThat(d.get("summary").get("locked").asInt()).isEqualTo(2);
    assertThat(d.get("summary").get("failed-test-op").asInt()).isEqualTo(3);
    assertThat(ok("get", "acme/landing-5", "--pointer", "/cta").out()).isEqualTo("\"Buy\"\n");

    String report = cli.path("migrate.xml");
    CliRunner.Result run =
        cli.run("migrate", patch, "--match", "landing-*", "--tenant", "acme", "--report", report);
    assertThat(run.exit()).as(run.describe()).isEqualTo(ExitCode.NEGATIVE);
    assertThat(run.out())
        .containsPattern("applied\\s+15")
        .containsPattern("failed test op\\s+3")
        .containsPattern("locked\\s+2")
        .containsPattern("total\\s+20");
    assertThat(run.err()).contains("acme/landing-18: locked: Sarah (web) has held acme/landing-18");
    assertThat(ok("get", "acme/landing-5", "--pointer", "/cta").out()).isEqualTo("\"Shop\"\n");
    assertThat(ok("get", "acme/pricing", "--pointer", "/cta").out()).isEqualTo("\"Buy\"\n");
    String xml = cli.read("migrate.xml");
    assertThat(xml).startsWith("<?xml").contains("tests=\"20\"").contains("failures=\"5\"");
    assertThat(xml.split("<testcase ", -1)).hasSize(21);
    assertThat(xml.split("<failure type=\"locked\"", -1)).hasSize(3);
    assertThat(xml.split("<failure type=\"failed-test-op\"", -1)).hasSize(4);

    // again: nothing changes twice
    JsonNode again =
        Json.parse(
            cli.run("migrate", patch, "--match", "landing-*", "--tenant", "acme", "-o", "json")
                .out());
    assertThat(again.get("summary").get("already-applied").asInt()).isEqualTo(15);
    assertThat(again.get("summary").get("applied").asInt()).isZero();
    assertThat(json(cli.run("get", "acme/landing-5", "-o", "json")).get("version").asLong())
        .isEqualTo(2);

    cli.fails(ExitCode.USAGE, "migrate", patch);
    cli.fails(ExitCode.USAGE, "migrate", doc, "--match", "*", "--tenant", "acme");
  }

  @Test
  void diffStoredVersionsAndFiles() {
    ok("save", "acme/landing", doc, "--create");
    String title =
        cli.write("title.json", "[{\"op\":\"replace\",\"path\":\"/title\",\"value\":\"Sale\"}]");
    ok("patch", "-c", "acme/landing", title);
    CliRunner.Result d = cli.run("diff", "-c", "acme/landing@1", "-c", "acme/landing");
    assertThat(d.exit()).as(d.describe()).isEqualTo(ExitCode.NEGATIVE);
    assertThat(Json.parse(d.out())).isEqualTo(Json.parse(cli.read("title.json")));
    assertThat(cli.run("diff", "-c", "acme/landing@1", doc).exit()).isZero();
    assertThat(cli.run("diff", "-o", "text", "-c", "acme/landing@1", "-c", "acme/landing@2").out())
        .contains("/title");
    cli.fails(ExitCode.USAGE, "diff", "-c", "acme/landing");
    cli.fails(ExitCode.NOT_FOUND, "diff", "-c", "acme/landing@9", doc);
  }

  @Test
  void locksForHoldersAndForSupport() throws Exception {
    ok("save", "acme/landing", doc, "--create");
    String title =
        cli.write("title.json", "[{\"op\":\"replace\",\"path\":\"/title\",\"value\":\"Sale\"}]");
    ConfigRef landing = new ConfigRef("acme", "landing");
    try (ConfigStore other = direct(tmp)) {
      other.acquire(
          SARAH, landing, new ConfigStore.LockRequest(null, "web tab 3", "hero", false, null));
      CliRunner.Result held = cli.fails(ExitCode.LOCKED, "lock", "acquire", "acme/landing");
      assertThat(held.err())
          .contains("Sarah (web tab 3) has held acme/landing since")
          .contains("cfgctl lock acquire acme/landing --take-over --reason TEXT")
          .contains("cfgctl lock release acme/landing --force --reason TEXT");
      CliRunner.Result waited = cli.run("lock", "acquire", "acme/landing", "--wait", "1s");
      assertThat(waited.exit()).isEqualTo(ExitCode.LOCKED);
      assertThat(waited.err())
          .startsWith("waiting for the lock on acme/landing: Sarah")
          .contains("cfgctl: still locked after waiting 1s: Sarah (web tab 3)");
      CliRunner.Result locked = cli.fails(ExitCode.LOCKED, "patch", "-c", "acme/landing", title);
      assertThat(locked.err())
          .contains("locked: Sarah (web tab 3) has held acme/landing")
          .contains("--lock-id")
          .as("the hint's commands name the config, ready to run")
          .contains(
              " cfgctl lock acquire acme/landing --take-over --reason TEXT (admins: cfgctl lock release"
                  + " acme/landing --force --reason TEXT)\n");
      assertThat(ok("lock", "status", "acme/landing").out())
          .contains("Sarah (web tab 3) has held acme/landing")
          .contains("note: hero");
      String list = ok("lock", "list", "--tenant", "acme").out();
      assertThat(list.split("\n")[0]).startsWith("CONFIG");
      assertThat(list).contains("acme/landing").contains("Sarah (sarah)").contains("web tab 3");
      assertThat(
              json(cli.run("lock", "list", "--tenant", "acme", "-o", "json"))
                  .get(0)
                  .has("heartbeatAgeSeconds"))
          .isTrue();
      CliRunner.Result fresh = cli.run("lock", "list", "--tenant", "acme", "--stale", "1h");
      assertThat(fresh.out()).as("no table header over no locks\n%s", fresh.describe()).isEmpty();
      assertThat(fresh.err()).isEqualTo("no locks in acme without a heartbeat for 1h\n");
      assertThat(ok("lock", "release", "acme/landing", "--force", "--reason", "laptop died").err())
          .contains("released Sarah's lock on acme/landing");
      assertThat(ok("lock", "status", "acme/landing").out())
          .isEqualTo("acme/landing is not locked\n");

      // the CLI's own lock: writes need its id; a take-over needs a reason
      String id =
          ok("lock", "acquire", "acme/landing", "--ttl", "2m", "--note", "migration").out().trim();
      assertThat(id).isNotEmpty().doesNotContain(" ");
      cli.fails(ExitCode.LOCKED, "patch", "-c", "acme/landing", title);
      ok("patch", "-c", "acme/landing", title, "--lock-id", id);
      assertThat(ok("lock", "extend", "acme/landing", "--lock-id", id, "--ttl", "5m").out().trim())
          .isEqualTo(id);
      ok("lock", "release", "acme/landing", "--lock-id", id);
      cli.fails(ExitCode.LOCKED, "lock", "extend", "acme/landing", "--lock-id", id);

      other.acquire(SARAH, landing, new ConfigStore.LockRequest(null, "web", null, false, null));
      cli.fails(ExitCode.USAGE, "lock", "acquire", "acme/landing", "--take-over");
      String mine =
          ok("lock", "acquire", "acme/landing", "--take-over", "--reason", "urgent fix")
              .out()
              .trim();
      ok("lock", "release", "acme/landing", "--lock-id", mine);
    }
    cli.fails(ExitCode.USAGE, "lock", "acquire", "acme/landing", "--ttl", "5 minutes");
    cli.fails(ExitCode.USAGE, "lock", "release", "acme/landing");
    cli.fails(ExitCode.USAGE, "lock", "release", "acme/landing", "--force");
    cli.fails(ExitCode.USAGE, "lock", "acquire", "acme/landing", "--reason", "why");
  }

  @Test
  void lockExecHoldsTheLockWhileTheCommandRuns() {
    ok("save", "acme/landing", doc, "--create");
    CliRunner.Result r =
        cli.run("lock", "exec", "acme/landing", "--", "sh", "-c", "echo \"id=$CFGCTL_LOCK_ID\"");
    assertThat(r.exit()).as(r.describe()).isZero();
    assertThat(r.out()).startsWith("id=").hasSizeGreaterThan(8);
    assertThat(cli.run("lock", "exec", "acme/landing", "--", "sh", "-c", "exit 3").exit())
        .isEqualTo(3);
    // a cfgctl in the command uses what this command line chose
    CliRunner.Result chosen =
        cli.run(
            "lock",
            "exec",
            "landing",
            "--tenant",
            "acme",
            "--",
            "sh",
            "-c",
            "echo \"tenant=$CFGCTL_TENANT\"");
    assertThat(chosen.out()).as(chosen.describe()).isEqualTo("tenant=acme\n");
    assertThat(ok("lock", "status", "acme/landing").out())
        .isEqualTo("acme/landing is not locked\n");
    // the command writes under the lock with the id it was given
    String title =
        cli.write("title.json", "[{\"op\":\"replace\",\"path\":\"/title\",\"value\":\"Sale\"}]");
    assertThat(
            cli.run("lock", "exec", "acme/landing", "--", "sh", "-c", "test -n \"$CFGCTL_LOCK_ID\"")
                .exit())
        .isZero();
    assertThat(
            cli.fails(ExitCode.NOT_FOUND, "lock", "exec", "acme/landing", "--", "/no/such/command")
                .err())
        .isEqualTo("cfgctl: cannot run /no/such/command: no such command\n");
    assertThat(
            cli.fails(ExitCode.NOT_FOUND, "lock", "exec", "acme/landing", "--", "nosuchcmd").err())
        .isEqualTo(
            "cfgctl: cannot run nosuchcmd: no such command\nhint: check its name and the PATH (a"
                + " script here: ./nosuchcmd)\n");
    assertThat(ok("lock", "status", "acme/landing").out())
        .isEqualTo("acme/landing is not locked\n");
    ok("patch", "-c", "acme/landing", title);
  }

  @Test
  void tokensAreCreatedListedAndRevoked() {
    CliRunner.Result created =
        cli.run(
            "token",
            "create",
            "--user",
            "tom",
            "--name",
            "Tom",
            "--role",
            "editor",
            "--tenant",
            "acme",
            "-o",
            "json");
    JsonNode t = json(created);
    assertThat(t.get("token").asText()).startsWith("cfgctl_");
    String id = t.get("id").asText();
    assertThat(ok("token", "list").out()).contains(id).contains("tom").contains("editor");
    assertThat(ok("token", "revoke", id).err()).contains("revoked token " + id);
    assertThat(json(cli.run("token", "list", "-o", "json")).findValuesAsText("id")).contains(id);
    cli.fails(
        ExitCode.USAGE, "token", "create", "--user", "tom", "--role", "boss", "--tenant", "acme");
    cli.fails(ExitCode.NOT_FOUND, "token", "revoke", "tok_nothing");
  }

  @Test
  void tokenCreateWritesTheSecretToANewOwnerOnlyFile() throws Exception {
    CliRunner.Result r =
        ok(
            "token",
            "create",
            "--user",
            "ann",
            "--role",
            "viewer",
            "--tenant",
            "acme",
            "--secret-file",
            cli.path("ann.token"));
    assertThat(r.out()).as("the secret never reaches stdout").isEmpty();
    assertThat(r.err())
        .matches(
            "created token tok_\\S+ for ann \\(viewer in acme\\); its secret is in"
                + " \\$TMP/ann.token \\(owner-only\\)\n");
    String secret = cli.read("ann.token");
    assertThat(secret).matches("cfgctl_\\S+\n");
    assertThat(
            PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve("ann.token"))))
        .isEqualTo("rw-------");
    int tokens = json(cli.run("token", "list", "-o", "json")).size();

    // an existing file is kept, and no token is made whose secret would go nowhere
    assertThat(
            cli.fails(
                    ExitCode.USAGE,
                    "token",
                    "create",
                    "--user",
                    "ann",
                    "--role",
                    "viewer",
                    "--tenant",
                    "acme",
                    "--secret-file",
                    cli.path("ann.token"))
                .err())
        .isEqualTo(
            "cfgctl: $TMP/ann.token already exists\nhint: choose another file, or replace it with --force\n");
    assertThat(
            cli.fails(
                    ExitCode.NOT_FOUND,
                    "token",
                    "create",
                    "--user",
                    "ann",
                    "--role",
                    "viewer",
                    "--tenant",
                    "acme",
                    "--secret-file",
                    cli.path("no/such/dir/ann.token"))
                .err())
        .isEqualTo("cfgctl: cannot write $TMP/no/such/dir/ann.token: no such directory\n");
    assertThat(json(cli.run("token", "list", "-o", "json"))).hasSize(tokens);
    assertThat(cli.read("ann.token")).isEqualTo(secret);

    // --force replaces a plain file only: a link (to /dev/stdout, say) stays as it is
    Files.writeString(tmp.resolve("kept.txt"), "kept\n");
    Files.createSymbolicLink(tmp.resolve("link.token"), tmp.resolve("kept.txt"));
    assertThat(
            cli.fails(
                    ExitCode.USAGE,
                    "token",
                    "create",
                    "--user",
                    "ann",
                    "--role",
                    "viewer",
                    "--tenant",
                    "acme",
                    "--secret-file",
                    cli.path("link.token"),
                    "--force")
                .err())
        .startsWith("cfgctl: cannot replace $TMP/link.token: it is not a plain file\n");
    assertThat(Files.isSymbolicLink(tmp.resolve("link.token"))).isTrue();
    assertThat(cli.read("kept.txt")).isEqualTo("kept\n");
    assertThat(json(cli.run("token", "list", "-o", "json"))).hasSize(tokens);

    JsonNode replaced =
        json(
            cli.run(
                "token",
                "create",
                "--user",
                "ann",
                "--role",
                "viewer",
                "--tenant",
                "acme",
                "--secret-file",
                cli.path("ann.token"),
                "--force",
                "-o",
                "json"));
    assertThat(replaced.has("token")).as("no secret in the JSON either").isFalse();
    assertThat(replaced.get("secretFile").asText()).isEqualTo("$TMP/ann.token");
    assertThat(cli.read("ann.token")).matches("cfgctl_\\S+\n").isNotEqualTo(secret);
    assertThat(
            PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp.resolve("ann.token"))))
        .isEqualTo("rw-------");
  }

  @Test
  void listAndRefs() {
    ok("save", "acme/landing", doc, "--create");
    ok("save", "acme/landing-b", doc, "--create");
    ok("save", "acme/pricing", doc, "--create");
    ok("save", "other/landing", doc, "--create");
    String listed = ok("list", "--tenant", "acme", "--prefix", "landing").out();
    assertThat(listed).contains("landing").contains("landing-b").doesNotContain("pricing");
    assertThat(json(cli.run("list", "--tenant", "acme", "-o", "json"))).hasSize(3);
    CliRunner.Result none = ok("list", "--tenant", "acme", "--prefix", "nothing");
    assertThat(none.out()).as("no table header over no configs\n%s", none.describe()).isEmpty();
    assertThat(none.err()).isEqualTo("no configs in acme named nothing…\n");
    assertThat(ok("list", "--tenant", "acme", "--prefix", "nothing", "-o", "json").out())
        .isEqualTo("[]\n");
    // a bare name takes the tenant from --tenant
    assertThat(ok("get", "pricing", "--tenant", "acme", "--pointer", "/title").out())
        .isEqualTo("\"Spring\"\n");

    for (String bad :
        new String[] {
          "acme/../etc", "acme/Landing", "acme/landing@x", "acme/landing@0", "a/b/c", "acme/"
        }) {
      assertThat(cli.fails(ExitCode.USAGE, "get", bad).err()).as(bad).contains("bad ref");
    }
    cli.fails(ExitCode.NOT_FOUND, "get", "acme/missing");
    cli.fails(ExitCode.NOT_FOUND, "get", "acme/landing@99");
    cli.fails(ExitCode.USAGE, "get", "acme/landing", "--pointer", "title");
    cli.fails(ExitCode.NOT_FOUND, "get", "acme/landing", "--pointer", "/nope");
    cli.fails(ExitCode.USAGE, "history", "acme/landing", "--since", "yesterday");
    cli.fails(ExitCode.USAGE, "save", "acme/landing@1", doc, "--expect-version", "1");
  }
}
