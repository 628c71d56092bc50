package dev.cfgctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cfgctl __complete}, which the completion scripts ask for context names, tenants and refs:
 * the candidates come from where the commands take them, and each one is accepted when fed back.
 */
class CompleteCommandTest {
  @TempDir Path tmp;
  CliRunner cli;
  Map<String, String> env = new HashMap<>();

  @BeforeEach
  void setUp() {
    env.put("XDG_CONFIG_HOME", tmp.resolve("config").toString());
    env.put("XDG_DATA_HOME", tmp.resolve("data").toString());
    cli = new CliRunner(tmp).env(env);
  }

  @Test
  void contextNamesAndTenantsComeFromTheContextsFile() {
    assertThat(complete("contexts", "context", "use", "")).isEmpty();
    cli.run("context", "set", "prod", "--server", "http://127.0.0.1:1", "--tenant", "acme");
    cli.run("context", "set", "lab", "--store", cli.path("lab"), "--tenant", "beta");
    cli.run("context", "set", "plain", "--store", cli.path("plain"));

    List<String> names = complete("contexts", "context", "use", "");
    assertThat(names).containsExactly("lab", "plain", "prod");
    assertThat(complete("contexts", "get", "--context", "p")).containsExactly("plain", "prod");
    assertThat(complete("tenants", "list", "--tenant", "")).containsExactly("acme", "beta");
    for (String name : names) {
      assertThat(cli.run("context", "use", name).exit()).as("context use %s", name).isZero();
    }
  }

  @Test
  void refsComeFromTheStoreTheCommandLineNames() {
    String doc = cli.write("d.json", "{\"a\":1}");
    String store = cli.path("store");
    for (String ref : List.of("acme/landing", "acme/pricing", "beta/other")) {
      assertThat(cli.run("save", "--store", store, ref, doc, "--create").exit()).isZero();
    }

    List<String> refs = complete("refs", "get", "--store", store, "--tenant", "acme", "");
    assertThat(refs).containsExactly("landing", "pricing");
    assertThat(complete("refs", "diff", "--store=" + store, "--tenant=acme", "-c", "l"))
        .containsExactly("landing");
    assertThat(complete("refs", "history", "--store", store, "beta/"))
        .containsExactly("beta/other");
    for (String ref : refs) {
      assertThat(cli.run("get", "--store", store, "--tenant", "acme", ref).exit())
          .as("get %s", ref)
          .isZero();
    }
    // a context names the store and the tenant
    cli.run("context", "set", "shop", "--store", store, "--tenant", "beta");
    assertThat(complete("refs", "get", "")).containsExactly("other");
    assertThat(complete("refs", "get", "--tenant", "acme", "p")).containsExactly("pricing");
  }

  @Test
  void failuresOfferNothingAndCreateNothing() {
    String none = cli.path("none");
    assertThat(complete("refs", "get", "--store", none, "--tenant", "acme", "")).isEmpty();
    assertThat(complete("refs", "get", "")).isEmpty(); // the default store, which does not exist
    assertThat(Files.exists(Path.of(none))).isFalse();
    assertThat(Files.exists(tmp.resolve("data/cfgctl/cfgctl.db"))).isFalse();
    assertThat(complete("refs", "get", "--context", "nope", "")).isEmpty();
    assertThat(complete("refs", "get", "--server", "http://127.0.0.1:1", "--token-file", none, ""))
        .isEmpty();
    assertThat(complete("nonsense", "get", "")).isEmpty();
  }

  /** The candidates for the last word, after the others; checks that nothing else was printed. */
  private List<String> complete(String kind, String... line) {
    List<String> args = new ArrayList<>(List.of("__complete", kind, "--"));
    args.addAll(List.of(line));
    CliRunner.Result r = cli.run(args.toArray(new String[0]));
    assertThat(r.exit()).as(r.describe()).isZero();
    assertThat(r.err()).as(r.describe()).isEmpty();
    return r.out().isEmpty() ? List.of() : List.of(r.out().split("\n"));
  }
}
