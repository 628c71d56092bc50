package dev.cfgctl.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cfgctl.app.Stores;
import dev.cfgctl.internal.PemException;
import dev.cfgctl.store.Tunables;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cfgctl serve --tls-cert --tls-key}: a real server over real TLS sockets, with certificates
 * of a throwaway CA; key formats; reloading the files (what SIGHUP does) without a restart.
 */
class TlsServerTest {
  @TempDir Path dir;
  final HeldCertificate ca = TestTls.ca("cfgctl test CA");
  TestServer server;

  @AfterEach
  void stop() {
    if (server != null) server.close();
  }

  private TestServer start(ServerTls tls) {
    server =
        new TestServer(
            Stores.sqlite(dir.resolve("cfgctl.db"), Tunables.DEFAULT, Clock.systemUTC()),
            Clock.systemUTC(),
            tls,
            TestTls.trusting(ca));
    return server;
  }

  private ServerTls load(HeldCertificate held) throws PemException {
    TestTls.write(held, dir.resolve("cert.pem"), dir.resolve("key.pem"));
    return ServerTls.load(dir.resolve("cert.pem"), dir.resolve("key.pem"));
  }

  private OkHttpClient client() {
    HandshakeCertificates trust =
        new HandshakeCertificates.Builder().addTrustedCertificate(ca.certificate()).build();
    return new OkHttpClient.Builder()
        .sslSocketFactory(trust.sslSocketFactory(), trust.trustManager())
        .build();
  }

  @Test
  void servesTheApiOverHttpsWithAnEcKeyAndItsChain() throws Exception {
    HeldCertificate intermediate =
        new HeldCertificate.Builder()
            .certificateAuthority(0)
            .commonName("intermediate")
            .signedBy(ca)
            .build();
    HeldCertificate leaf = TestTls.server(intermediate, 7, "127.0.0.1", "localhost");
    TestTls.write(leaf, dir.resolve("chain.pem"), dir.resolve("key.pem"), intermediate);
    ServerTls tls = ServerTls.load(dir.resolve("chain.pem"), dir.resolve("key.pem"));
    start(tls);
    assertThat(server.base).startsWith("https://127.0.0.1:");
    TestServer.Response r = server.send("GET", "/v1/health", null, null, (String) null);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    assertThat(TestTls.servedSerial(server.server.port(), ca)).isEqualTo(BigInteger.valueOf(7));
    assertThat(tls.describe()).contains("CN=127.0.0.1").contains("serial 7");
  }

  @Test
  void readsRsaKeysInPkcs8AndPkcs1() throws Exception {
    HeldCertificate rsa =
        new HeldCertificate.Builder()
            .signedBy(ca)
            .rsa2048()
            .serialNumber(3)
            .addSubjectAlternativeName("127.0.0.1")
            .build();
    TestTls.write(dir.resolve("cert.pem"), rsa.certificatePem());
    TestTls.write(dir.resolve("pkcs8.pem"), rsa.privateKeyPkcs8Pem());
    TestTls.write(dir.resolve("pkcs1.pem"), rsa.privateKeyPkcs1Pem());
    assertThat(
            ServerTls.load(dir.resolve("cert.pem"), dir.resolve("pkcs8.pem"))
                .certificate()
                .getSerialNumber())
        .isEqualTo(BigInteger.valueOf(3));
    start(ServerTls.load(dir.resolve("cert.pem"), dir.resolve("pkcs1.pem")));
    assertThat(TestTls.servedSerial(server.server.port(), ca)).isEqualTo(BigInteger.valueOf(3));
  }

  @Test
  void reloadServesTheNewCertificateToNewConnectionsAndKeepsOpenOnes() throws Exception {
    ServerTls tls = load(TestTls.server(ca, 1, "127.0.0.1"));
    start(tls);
    OkHttpClient client = client();
    Request health = new Request.Builder().url(server.base + "/v1/health").build();
    try (Response r = client.newCall(health).execute()) {
      assertThat(r.code()).isEqualTo(200);
      assertThat(serial(r)).isEqualTo(1);
    }

    // a renewal: new files in place, then what SIGHUP does
    TestTls.write(
        TestTls.server(ca, 2, "127.0.0.1"), dir.resolve("cert.pem"), dir.resolve("key.pem"));
    assertThat(tls.reload()).contains("serial 2");

    assertThat(TestTls.servedSerial(server.server.port(), ca)).isEqualTo(BigInteger.valueOf(2));
    try (Response r = client.newCall(health).execute()) { // the pooled connection, still open
      assertThat(r.code()).isEqualTo(200);
      assertThat(serial(r)).as("the connection made before the reload").isEqualTo(1);
    }
    assertThat(client.connectionPool().connectionCount()).isEqualTo(1);
    try (Response r = client().newCall(health).execute()) {
      assertThat(serial(r)).as("a new connection").isEqualTo(2);
    }
    client.connectionPool().evictAll();
  }

  @Test
  void aFailedReloadKeepsServingTheOldCertificate() throws Exception {
    ServerTls tls = load(TestTls.server(ca, 1, "127.0.0.1"));
    start(tls);
    // certbot half-way: a new certificate next to the old key
    TestTls.write(dir.resolve("cert.pem"), TestTls.server(ca, 2, "127.0.0.1").certificatePem());
    assertThatThrownBy(tls::reload)
        .isInstanceOf(PemException.class)
        .hasMessageContaining("does not belong to the certificate");
    TestTls.write(dir.resolve("cert.pem"), "not a certificate\n");
    assertThatThrownBy(tls::reload).hasMessageContaining("is not a PEM file");
    TestTls.write(dir.resolve("cert.pem"), TestTls.server(ca, 3, "127.0.0.1").certificatePem());
    Files.delete(dir.resolve("key.pem"));
    assertThatThrownBy(tls::reload).hasMessageContaining("does not exist");
    assertThat(TestTls.servedSerial(server.server.port(), ca)).isEqualTo(BigInteger.ONE);
    assertThat(tls.describe()).contains("serial 1");
  }

  @Test
  void filesThatCannotServeTlsAreRefusedWithTheReasonAndTheFix() throws Exception {
    HeldCertificate held = TestTls.server(ca, 1, "127.0.0.1");
    Path cert = TestTls.write(dir.resolve("cert.pem"), held.certificatePem());
    Path key = TestTls.write(dir.resolve("key.pem"), held.privateKeyPkcs8Pem());
    Path other =
        TestTls.write(
            dir.resolve("other.pem"), TestTls.server(ca, 2, "127.0.0.1").privateKeyPkcs8Pem());
    Path sec1 =
        TestTls.write(
            dir.resolve("ec.pem"),
            "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEE\n-----END EC PRIVATE KEY-----\n");
    Path encrypted =
        TestTls.write(
            dir.resolve("enc.pem"),
            "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIFHDBO\n-----END ENCRYPTED PRIVATE KEY-----\n");
    Path legacyEncrypted =
        TestTls.write(
            dir.resolve("enc1.pem"),
            "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\n"
                + "MIIEow==\n-----END RSA PRIVATE KEY-----\n");
    Path der = dir.resolve("cert.der");
    Files.write(der, held.certificate().getEncoded());
    Path empty = TestTls.write(dir.resolve("empty.pem"), "");

    refused(
        cert,
        other,
        "the key in " + other + " does not belong to the certificate in " + cert,
        "must come first");
    refused(key, cert, key + " holds a private key, not a certificate", "swapped");
    refused(
        cert,
        sec1,
        sec1 + " holds a key in a format cfgctl does not read (EC PRIVATE KEY)",
        "openssl pkcs8 -topk8 -nocrypt -in " + sec1);
    refused(
        cert,
        encrypted,
        encrypted + " holds an encrypted private key",
        "openssl pkcs8 -topk8 -nocrypt -in " + encrypted);
    refused(cert, legacyEncrypted, " holds an encrypted private key", "openssl pkcs8");
    refused(der, key, der + " is not a PEM file", "openssl x509 -inform der -in " + der);
    refused(empty, key, empty + " is not a PEM file", null);
    refused(dir.resolve("missing.pem"), key, dir.resolve("missing.pem") + " does not exist", null);
  }

  private static void refused(Path cert, Path key, String message, String hint) {
    assertThatThrownBy(() -> ServerTls.load(cert, key))
        .isInstanceOfSatisfying(
            PemException.class,
            e -> {
              assertThat(e.getMessage()).contains(message).doesNotContain("\n");
              if (hint == null) assertThat(e.hint()).isNull();
              else assertThat(e.hint()).contains(hint);
            });
  }

  @Test
  void theServedCertificateIsWarnedAboutWhenExpired() throws Exception {
    long now = System.currentTimeMillis();
    HeldCertificate old =
        new HeldCertificate.Builder()
            .signedBy(ca)
            .serialNumber(9)
            .addSubjectAlternativeName("127.0.0.1")
            .validityInterval(now - TimeUnit.DAYS.toMillis(10), now - TimeUnit.DAYS.toMillis(1))
            .build();
    ServerTls tls = load(old);
    assertThat(tls.validityWarning(java.time.Instant.now())).contains("expired on");
    assertThat(load(TestTls.server(ca, 1, "x")).validityWarning(java.time.Instant.now())).isNull();
  }

  private static long serial(Response r) {
    return ((X509Certificate) r.handshake().peerCertificates().get(0))
        .getSerialNumber()
        .longValueExact();
  }
}
