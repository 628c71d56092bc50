package dev.cfgctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cfgctl.app.Stores;
import dev.cfgctl.patch.Json;
import dev.cfgctl.server.ServerTls;
import dev.cfgctl.server.TestServer;
import dev.cfgctl.server.TestTls;
import dev.cfgctl.store.Tunables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line against a server that speaks TLS with a certificate of a private CA: trusted
 * through {@code --ca-file}, {@code CFGCTL_CA_FILE} or a context's CA file, and refused, with what
 * to do, when the CA is not trusted or the certificate is for another host. Real sockets, real TLS.
 */
class TlsCommandsTest {
  @TempDir Path tmp;
  final HeldCertificate ca = TestTls.ca("cfgctl test CA");
  TestServer server;
  CliRunner cli;
  String caFile;
  final Map<String, String> env = new HashMap<>();

  @BeforeEach
  void start() throws Exception {
    // for the IP address only: https://localhost:PORT is then a host the certificate does not name
    TestTls.write(
        TestTls.server(ca, 1, "127.0.0.1"),
        tmp.resolve("tls/cert.pem"),
        tmp.resolve("tls/key.pem"));
    ServerTls tls = ServerTls.load(tmp.resolve("tls/cert.pem"), tmp.resolve("tls/key.pem"));
    server =
        new TestServer(
            Stores.sqlite(tmp.resolve("server/cfgctl.db"), Tunables.DEFAULT, Clock.systemUTC()),
            Clock.systemUTC(),
            tls,
            TestTls.trusting(ca));
    caFile = TestTls.write(tmp.resolve("ca.pem"), ca.certificatePem()).toString();
    env.put("CFGCTL_SERVER", server.base);
    env.put("CFGCTL_TOKEN", server.adminToken);
    env.put("XDG_CONFIG_HOME", tmp.resolve("config").toString());
    env.put("XDG_DATA_HOME", tmp.resolve("data").toString());
    cli = new CliRunner(tmp).env(env);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void commandsTalkHttpsToAServerOfAPrivateCaGivenByCaFileOrVariable() {
    String doc = cli.write("landing.json", "{\"title\":\"Spring\"}");
    CliRunner.Result saved = cli.run("save", "acme/landing", doc, "--create", "--ca-file", caFile);
    assertThat(saved.exit()).as(saved.describe()).isZero();
    CliRunner.Result got = cli.run("get", "acme/landing", "--ca-file", caFile);
    assertThat(got.out()).as(got.describe()).isEqualTo("{\"title\":\"Spring\"}\n");
    env.put("CFGCTL_CA_FILE", caFile);
    assertThat(cli.run("get", "acme/landing").out()).isEqualTo("{\"title\":\"Spring\"}\n");
  }

  @Test
  void aContextRemembersItsCaFile() throws Exception {
    env.remove("CFGCTL_SERVER");
    env.remove("CFGCTL_TOKEN");
    String token = cli.write("admin.token", server.adminToken + "\n");
    CliRunner.Result set =
        cli.run(
            "context",
            "set",
            "lab",
            "--server",
            server.base,
            "--token-file",
            token,
            "--ca-file",
            caFile,
            "--tenant",
            "acme");
    assertThat(set.exit()).as(set.describe()).isZero();
    assertThat(
            Json.parse(cli.run("context", "list", "-o", "json").out())
                .at("/contexts/lab/caFile")
                .asText())
        .isEqualTo("$TMP/ca.pem");
    cli.run("save", "landing", cli.write("d.json", "{\"a\":1}"), "--create");
    assertThat(cli.run("get", "landing").out()).isEqualTo("{\"a\":1}\n");
    // changing another field keeps the CA file
    cli.run("context", "set", "lab", "--tenant", "acme");
    assertThat(cli.run("get", "landing").exit()).isZero();
    // a context that switches to an embedded store drops it
    cli.run("context", "set", "lab", "--store", cli.path("store"));
    assertThat(Files.readString(tmp.resolve("config/cfgctl/config.json"))).doesNotContain("caFile");
  }

  @Test
  void aServerOfAnUntrustedCaIsExitSevenWithHowToTrustIt() {
    CliRunner.Result r = cli.fails(ExitCode.UNAVAILABLE, "get", "acme/landing");
    assertThat(r.err())
        .startsWith("cfgctl: cannot reach " + server.base)
        .contains(": the server's certificate is not signed by a CA you trust\n")
        .contains("hint: pass the certificate of the CA that signed it with --ca-file FILE");
    String other =
        TestTls.write(tmp.resolve("other-ca.pem"), TestTls.ca("other").certificatePem()).toString();
    assertThat(cli.fails(ExitCode.UNAVAILABLE, "get", "acme/landing", "--ca-file", other).err())
        .contains("the server's certificate is not signed by a CA in $TMP/other-ca.pem\n");
    // -o json: the problem object says why, for scripts
    CliRunner.Result json = cli.run("get", "acme/landing", "-o", "json");
    assertThat(Json.parse(json.err()).get("tls").asText()).isEqualTo("untrusted");
  }

  @Test
  void aCertificateForAnotherHostNameIsRefused() {
    String byName = server.base.replace("127.0.0.1", "localhost");
    CliRunner.Result r =
        cli.fails(
            ExitCode.UNAVAILABLE, "get", "acme/landing", "--server", byName, "--ca-file", caFile);
    assertThat(r.err())
        .contains("the server's certificate is not valid for localhost (it names" + " [127.0.0.1])")
        .contains("hint: use a host name the certificate names in --server");
  }

  @Test
  void httpsToAPlainHttpServerSaysItDoesNotSpeakTls() {
    try (TestServer plain =
        new TestServer(
            Stores.sqlite(tmp.resolve("plain/cfgctl.db"), Tunables.DEFAULT, Clock.systemUTC()),
            Clock.systemUTC())) {
      String url = plain.base.replace("http://", "https://");
      assertThat(cli.fails(ExitCode.UNAVAILABLE, "get", "acme/x", "--server", url).err())
          .contains("the server does not speak TLS")
          .contains("hint: use an http:// URL");
    }
  }

  @Test
  void plainHttpToATlsServerSuggestsHttps() {
    String url = server.base.replace("https://", "http://");
    assertThat(cli.fails(ExitCode.UNAVAILABLE, "get", "acme/x", "--server", url).err())
        .contains("if the server speaks TLS, use https://");
  }

  @Test
  void aCaFileThatCannotBeUsedIsAUsageErrorBeforeAnythingIsSent() {
    assertThat(cli.fails(ExitCode.USAGE, "get", "acme/x", "--ca-file", cli.path("nope.pem")).err())
        .contains("cannot use the CA file: $TMP/nope.pem does not exist");
    String key = cli.write("key.pem", TestTls.server(ca, 5, "x").privateKeyPkcs8Pem());
    assertThat(cli.fails(ExitCode.USAGE, "get", "acme/x", "--ca-file", key).err())
        .contains("$TMP/key.pem holds a private key, not a certificate");
    assertThat(
            cli.fails(
                    ExitCode.USAGE,
                    "get",
                    "acme/x",
                    "--ca-file",
                    caFile,
                    "--server",
                    "http://127.0.0.1:9")
                .err())
        .contains("--ca-file is for https:// servers");
    assertThat(
            cli.fails(
                    ExitCode.USAGE,
                    "context",
                    "set",
                    "x",
                    "--server",
                    "http://127.0.0.1:9",
                    "--ca-file",
                    caFile)
                .err())
        .contains("--ca-file is for https:// servers");
  }

  @Test
  void serveRefusesTlsFilesItCannotUseBeforeListening() {
    String cert = tmp.resolve("tls/cert.pem").toString();
    String key = tmp.resolve("tls/key.pem").toString();
    String otherKey = cli.write("other.key", TestTls.server(ca, 2, "x").privateKeyPkcs8Pem());
    String sec1 =
        cli.write(
            "ec.key", "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEE\n-----END EC PRIVATE KEY-----\n");
    String data = cli.path("serve-data");
    assertThat(
            cli.fails(
                    ExitCode.USAGE,
                    "serve",
                    "--listen",
                    "127.0.0.1:0",
                    "--data-dir",
                    data,
                    "--tls-cert",
                    cert)
                .err())
        .contains("--tls-cert and --tls-key go together");
    assertThat(
            cli.fails(
                    ExitCode.USAGE,
                    "serve",
                    "--listen",
                    "127.0.0.1:0",
                    "--data-dir",
                    data,
                    "--tls-cert",
                    cert,
                    "--tls-key",
                    otherKey)
                .err())
        .contains(
            "the key in $TMP/other.key does not belong to the certificate in"
                + " $TMP/tls/cert.pem");
    assertThat(
            cli.fails(
                    ExitCode.USAGE,
                    "serve",
                    "--listen",
                    "127.0.0.1:0",
                    "--data-dir",
                    data,
                    "--tls-cert",
                    key,
                    "--tls-key",
                    cert)
                .err())
        .contains("holds a private key, not a certificate")
        .contains("hint: are the certificate");
    assertThat(
            cli.fails(
                    ExitCode.USAGE,
                    "serve",
                    "--listen",
                    "127.0.0.1:0",
                    "--data-dir",
                    data,
                    "--tls-cert",
                    cert,
                    "--tls-key",
                    sec1)
                .err())
        .contains("hint: convert it to unencrypted PKCS#8: openssl pkcs8 -topk8 -nocrypt -in");
    assertThat(tmp.resolve("serve-data")).as("nothing was created").doesNotExist();
  }
}
