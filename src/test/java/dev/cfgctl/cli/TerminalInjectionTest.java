package dev.cfgctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cfgctl.app.Stores;
import dev.cfgctl.server.TestServer;
import dev.cfgctl.store.Role;
import dev.cfgctl.store.TestClock;
import dev.cfgctl.store.Tunables;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Text another user chose (a lock's client and note) reaches a terminal only without control
 * characters: escape sequences can retitle the window, clear the screen or, on some terminals,
 * write the clipboard. Found while attacking the server around ApiFuzzTest.
 */
class TerminalInjectionTest {
  @TempDir Path tmp;
  final TestClock clock = new TestClock();
  TestServer server;

  @AfterEach
  void stop() {
    if (server != null) server.close();
  }

  @Test
  void aLockClientWithEscapeSequencesReachesNoTerminal() {
    server =
        new TestServer(
            Stores.sqlite(tmp.resolve("cfgctl.db"), new Tunables(1000, 1, 3600, 300, 100), clock),
            clock);
    String alice = server.token("alice", "acme", Role.EDITOR);
    String bob = server.token("bob", "acme", Role.EDITOR);
    assertThat(
            server
                .send(
                    "PUT",
                    "/v1/tenants/acme/configs/landing",
                    alice,
                    "application/json",
                    "{\"a\":1}",
                    "If-None-Match",
                    "*")
                .status())
        .isEqualTo(201);
    assertThat(
            server
                .send(
                    "POST",
                    "/v1/tenants/acme/configs/landing/lock",
                    alice,
                    "application/json",
                    "{\"client\":\"tab \\u001b]2;owned\\u0007\\u001b[2J\",\"note\":\"\\u001b[5m\"}")
                .status())
        .isEqualTo(201);
    CliRunner asBob =
        new CliRunner(tmp)
            .env(
                Map.of(
                    "CFGCTL_SERVER",
                    server.base,
                    "CFGCTL_TOKEN",
                    bob,
                    "XDG_CONFIG_HOME",
                    tmp.resolve("config").toString()));
    CliRunner.Result status = asBob.run("lock", "status", "acme/landing");
    CliRunner.Result locked =
        asBob
            .stdin("[{\"op\":\"replace\",\"path\":\"/a\",\"value\":2}]")
            .run("patch", "-c", "acme/landing", "-");
    assertThat(locked.exit()).as(locked.toString()).isEqualTo(ExitCode.LOCKED);
    for (CliRunner.Result r : new CliRunner.Result[] {status, locked}) {
      assertThat(r.out() + r.err())
          .as(r.toString())
          .doesNotContain("\u001b")
          .doesNotContain("\u0007");
    }
  }
}
