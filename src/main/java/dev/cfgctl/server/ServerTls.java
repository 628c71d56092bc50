package dev.cfgctl.server;

import dev.cfgctl.internal.Pem;
import dev.cfgctl.internal.PemException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The server's TLS certificate chain and private key, read from two PEM files, and the Jetty {@link
 * SslContextFactory.Server} that serves them. {@link #reload()} reads the files again (after a
 * renewal) and swaps them in: handshakes from then on get the new certificate, connections already
 * open keep theirs, nothing restarts. A reload that fails changes nothing.
 *
 * <p>TLS 1.2 and 1.3 only, with Jetty's default cipher suites (no weak ones). Thread-safe: reloads
 * are serialized, and may run on a signal thread while the server accepts connections.
 */
public final class ServerTls {
  /** The password of an in-memory key store that is never written anywhere; Jetty needs one. */
  private static final String STORE_PASSWORD = "cfgctl";

  private final Path certFile;
  private final Path keyFile;
  private final SslContextFactory.Server factory = new SslContextFactory.Server();
  private volatile X509Certificate current;
  private KeyStore store; // guarded by this

  private ServerTls(Path certFile, Path keyFile) {
    this.certFile = certFile;
    this.keyFile = keyFile;
  }

  /** Reads and checks the certificate chain and the key; refuses files that cannot serve TLS. */
  public static ServerTls load(Path certFile, Path keyFile) throws PemException {
    ServerTls tls = new ServerTls(certFile, keyFile);
    Loaded loaded = tls.read();
    // Jetty's cipher suites; the protocols pinned, in case a JDK's java.security re-enables 1.0/1.1
    tls.factory.setIncludeProtocols("TLSv1.3", "TLSv1.2");
    tls.store = loaded.store();
    tls.factory.setKeyStore(loaded.store());
    tls.factory.setKeyStorePassword(STORE_PASSWORD);
    tls.factory.setKeyManagerPassword(STORE_PASSWORD);
    tls.current = loaded.leaf();
    return tls;
  }

  /**
   * Reads the files again and serves what they hold from the next handshake on; returns a
   * description of the new certificate. On failure the old certificate stays in service.
   */
  public synchronized String reload() throws PemException {
    Loaded loaded = read();
    KeyStore old = store;
    try {
      factory.reload(f -> f.setKeyStore(loaded.store()));
    } catch (Exception e) {
      // checked in read() already; should Jetty still refuse, put the old store back
      try {
        factory.reload(f -> f.setKeyStore(old));
      } catch (Exception again) {
        e.addSuppressed(again);
      }
      throw new PemException(
          "Jetty refused the certificate in " + certFile + ": " + e.getMessage(), null);
    }
    store = loaded.store();
    current = loaded.leaf();
    return describe();
  }

  /** The certificate served now: subject, serial number, expiry; for the server's log. */
  public String describe() {
    X509Certificate c = current;
    return c.getSubjectX500Principal().getName()
        + ", serial "
        + c.getSerialNumber().toString(16)
        + ", valid until "
        + c.getNotAfter().toInstant();
  }

  /** The certificate served now. */
  public X509Certificate certificate() {
    return current;
  }

  /** A warning when the served certificate has expired or is not valid yet; else null. */
  public String validityWarning(Instant now) {
    X509Certificate c = current;
    if (now.isAfter(c.getNotAfter().toInstant())) {
      return "the certificate in "
          + certFile
          + " expired on "
          + c.getNotAfter().toInstant()
          + "; clients will refuse it";
    }
    if (now.isBefore(c.getNotBefore().toInstant())) {
      return "the certificate in "
          + certFile
          + " is valid only from "
          + c.getNotBefore().toInstant()
          + "; clients will refuse it until then";
    }
    return null;
  }

  SslContextFactory.Server factory() {
    return factory;
  }

  private record Loaded(KeyStore store, X509Certificate leaf) {}

  private Loaded read() throws PemException {
    List<X509Certificate> chain = Pem.certificates(certFile);
    PrivateKey key = Pem.privateKey(keyFile);
    if (!Pem.matches(key, chain.get(0))) {
      throw new PemException(
          "the key in " + keyFile + " does not belong to the certificate in " + certFile,
          "the server's own certificate must come first in "
              + certFile
              + ", followed by its intermediates");
    }
    try {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      keys.setKeyEntry(
          "server", key, STORE_PASSWORD.toCharArray(), chain.toArray(new X509Certificate[0]));
      // what Jetty will do with it on start or reload: fail here, while the old one still serves
      KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm())
          .init(keys, STORE_PASSWORD.toCharArray());
      return new Loaded(keys, chain.get(0));
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new PemException(
          "cannot use the certificate in "
              + certFile
              + " with the key in "
              + keyFile
              + ": "
              + e.getMessage(),
          null);
    }
  }
}
