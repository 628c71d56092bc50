package dev.cfgctl.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cfgctl.app.Stores;
import dev.cfgctl.client.HttpConfigStore;
import dev.cfgctl.server.TestServer;
import dev.cfgctl.store.ConfigStore.Write;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store contract over HTTP: an {@link HttpConfigStore} against a real server on a random port,
 * backed by SQLite and the test clock. Each principal of the contract calls with a token of its own
 * (same user, name, tenant and role), made through the admin API.
 */
class HttpStoreTest extends ConfigStoreContract {
  @TempDir Path dir;
  TestServer server;
  final Map<Principal, String> tokens = new ConcurrentHashMap<>();

  @Override
  protected ConfigStore open(TestClock clock, Tunables options) {
    server = new TestServer(Stores.sqlite(dir.resolve("cfgctl.db"), options, clock), clock);
    return new HttpConfigStore(server.base, who -> tokens.computeIfAbsent(who, server::token));
  }

  @AfterEach
  void stopServer() {
    if (server != null) server.close();
  }

  @Override
  @Test
  @Disabled(
      "the API has no route that tells who a token stands for; tokensWorkUntilRevokedOrExpired"
          + " checks tokens over HTTP by using them")
  void tokensAuthenticateUntilRevokedOrExpired() {}

  @Override
  @Test
  @Disabled(
      "one server per database here; SqliteStoreTest and PostgresStoreTest run it with two"
          + " stores on one database")
  void anotherStoreOnTheDatabaseReadsWhatWasWritten() {}

  @Test
  void tokensWorkUntilRevokedOrExpired() {
    create("{}");
    Principal root = new Principal("root", "Root", Principal.ALL_TENANTS, Role.ADMIN);
    Token.Issued t =
        store.createToken(root, new Principal("sarah", "Sarah", "acme", Role.EDITOR), 1);
    assertThat(t.secret()).hasSizeGreaterThan(40);
    assertThat(t.token().principal())
        .isEqualTo(new Principal("sarah", "Sarah", "acme", Role.EDITOR));
    assertThat(store.tokens(root)).extracting(Token::id).contains(t.token().id());
    refused(() -> store.createToken(ALICE, ALICE, null), Problem.FORBIDDEN);
    refused(() -> store.createToken(ADMIN, OTHER, null), Problem.FORBIDDEN);
    try (HttpConfigStore sarah = new HttpConfigStore(server.base, t.secret());
        HttpConfigStore wrong = new HttpConfigStore(server.base, t.secret() + "x")) {
      Document d =
          sarah.patch(
              root,
              LANDING,
              patch("[{\"op\":\"add\",\"path\":\"/a\",\"value\":1}]"),
              null,
              Write.PLAIN);
      // the server decides who calls, from the token, whatever principal the caller names
      assertThat(d.updatedBy()).isEqualTo(new Author("sarah", "Sarah"));
      refused(() -> wrong.get(ALICE, LANDING), Problem.UNAUTHORIZED);
      clock.advance(Duration.ofDays(2));
      refused(() -> sarah.get(ALICE, LANDING), Problem.UNAUTHORIZED);
    }
    Token.Issued u = store.createToken(root, new Principal("sam", "", "acme", Role.VIEWER), null);
    try (HttpConfigStore sam = new HttpConfigStore(server.base, u.secret())) {
      assertThat(sam.get(root, LANDING).version()).isEqualTo(2);
      store.revokeToken(root, u.token().id());
      refused(() -> sam.get(root, LANDING), Problem.UNAUTHORIZED);
    }
    refused(() -> store.revokeToken(root, "tok_nope"), Problem.NOT_FOUND);
    assertThat(refused(() -> store.authenticate(t.secret()), Problem.INVALID_REQUEST).getMessage())
        .contains(server.base)
        .contains("no route");
  }

  @Test
  void authorNamesAndMessagesKeepTheirCharacters() {
    Principal zoe = new Principal("zoë", "Zoë Ruiz 山田 %41", "acme", Role.EDITOR);
    Document d =
        store.create(zoe, LANDING, json("{\"é\":\"ü\"}"), new Write(null, "été ✓ 100%", false));
    assertThat(d.updatedBy()).isEqualTo(new Author("zoë", "Zoë Ruiz 山田 %41"));
    assertThat(store.get(VIEWER, LANDING).updatedBy()).isEqualTo(zoe.author());
    assertThat(store.revision(VIEWER, LANDING, 1).message()).isEqualTo("été ✓ 100%");
    assertThat(store.get(VIEWER, LANDING).content().get("é").asText()).isEqualTo("ü");
  }
}
