package dev.cfgctl.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import okhttp3.tls.HeldCertificate;

/** Throwaway certificate authorities and server certificates for TLS tests, as PEM files. */
public final class TestTls {
  private TestTls() {}

  /** A new CA that can sign server certificates. */
  public static HeldCertificate ca(String name) {
    return new HeldCertificate.Builder().certificateAuthority(0).commonName(name).build();
  }

  /** A server certificate (EC P-256) that {@code ca} signed, for {@code names} (hosts or IPs). */
  public static HeldCertificate server(HeldCertificate ca, long serial, String... names) {
    HeldCertificate.Builder b =
        new HeldCertificate.Builder()
            .signedBy(ca)
            .serialNumber(serial)
            .commonName(names[0])
            .duration(1, TimeUnit.DAYS);
    for (String n : names) b.addSubjectAlternativeName(n);
    return b.build();
  }

  /** Writes the certificate (then {@code chain}) to {@code cert}, its PKCS#8 key to {@code key}. */
  public static void write(HeldCertificate held, Path cert, Path key, HeldCertificate... chain) {
    StringBuilder pem = new StringBuilder(held.certificatePem());
    for (HeldCertificate c : chain) pem.append(c.certificatePem());
    write(cert, pem.toString());
    write(key, held.privateKeyPkcs8Pem());
  }

  public static Path write(Path file, String content) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      return Files.writeString(file, content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A client-side TLS context that trusts {@code ca} only. */
  public static SSLContext trusting(HeldCertificate ca) {
    try {
      KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
      trusted.load(null, null);
      trusted.setCertificateEntry("ca", ca.certificate());
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trusted);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, tmf.getTrustManagers(), null);
      return context;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The serial number of the certificate a new TLS connection to {@code port} is shown. */
  public static BigInteger servedSerial(int port, HeldCertificate ca) {
    try (SSLSocket s =
        (SSLSocket) trusting(ca).getSocketFactory().createSocket("127.0.0.1", port)) {
      s.setSoTimeout(10_000);
      s.startHandshake();
      return ((X509Certificate) s.getSession().getPeerCertificates()[0]).getSerialNumber();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
