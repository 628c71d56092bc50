package dev.cfgctl.client;

import dev.cfgctl.internal.Pem;
import dev.cfgctl.internal.PemException;
import dev.cfgctl.store.Problem;
import dev.cfgctl.store.StoreException;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.OkHttpClient;

/**
 * Makes an okhttp client trust the certificate authorities of one PEM file, and only those: the
 * JDK's trusted CAs are left out, as curl's --cacert and kubectl's certificate-authority leave
 * theirs out, so a server that should carry a certificate of the private CA cannot pass with one
 * that any public CA issued. The host name is still checked (okhttp's verifier). Kept apart from
 * {@link Transport} so that plain-HTTP commands load none of this. Stateless and thread-safe.
 */
final class CaTrust {
  private CaTrust() {}

  /** Sets {@code builder}'s TLS socket factory to one trusting the CAs in {@code caFile}. */
  static void trust(OkHttpClient.Builder builder, Path caFile) {
    List<X509Certificate> authorities;
    try {
      authorities = Pem.certificates(caFile);
    } catch (PemException e) {
      throw new StoreException(
          Problem.INVALID_REQUEST, "cannot use the CA file: " + e.getMessage());
    }
    try {
      KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
      trusted.load(null, null);
      for (int i = 0; i < authorities.size(); i++) {
        trusted.setCertificateEntry("ca-" + i, authorities.get(i));
      }
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(trusted);
      X509TrustManager manager = (X509TrustManager) factory.getTrustManagers()[0];
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {manager}, null);
      builder.sslSocketFactory(context.getSocketFactory(), manager);
    } catch (GeneralSecurityException | IOException e) {
      throw new StoreException(
          Problem.INVALID_REQUEST,
          "cannot trust the certificates in " + caFile + ": " + e.getMessage());
    }
  }
}
