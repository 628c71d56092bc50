package dev.cfgctl.client;

import java.nio.file.Path;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * Why a TLS connection failed, as a sentence and a kind that the command line turns into a hint:
 * {@code untrusted} (no trusted CA signed the server's certificate), {@code hostname} (the
 * certificate is for another name), {@code expired}, {@code not-tls} (the server answered in plain
 * HTTP) or {@code handshake} (anything else). The JDK's own messages name its internal exception
 * classes and span lines; these never do.
 */
record TlsFailure(String kind, String message) {
  private static final Pattern NAMES = Pattern.compile("subjectAltNames: (\\[[^\\]]*\\])");
  private static final Pattern CLASS_NAME =
      Pattern.compile("\\b[a-z][a-z0-9_]*(\\.[a-z0-9_]+)*\\.[A-Z]\\w*(Exception|Error):\\s*");

  static TlsFailure of(SSLException e, String host, Path caFile) {
    String text = e.getMessage() == null ? "" : e.getMessage();
    if (e instanceof SSLPeerUnverifiedException && text.startsWith("Hostname ")) {
      Matcher names = NAMES.matcher(text); // okhttp's message lists the names the certificate has
      return new TlsFailure(
          "hostname",
          "the server's certificate is not valid for "
              + host
              + (names.find() ? " (it names " + names.group(1) + ")" : ""));
    }
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof CertificateExpiredException
          || c instanceof CertificateNotYetValidException) {
        return new TlsFailure(
            "expired", "the server's certificate has expired or is not valid yet");
      }
    }
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof CertPathBuilderException || c instanceof CertPathValidatorException) {
        return new TlsFailure(
            "untrusted",
            "the server's certificate is not signed by "
                + (caFile != null ? "a CA in " + caFile : "a CA you trust"));
      }
    }
    if (text.contains("Unsupported or unrecognized SSL message")) {
      return new TlsFailure("not-tls", "the server does not speak TLS (is it plain http://?)");
    }
    String first = CLASS_NAME.matcher(text.lines().findFirst().orElse("")).replaceAll("").strip();
    return new TlsFailure(
        "handshake", "the TLS handshake failed" + (first.isEmpty() ? "" : ": " + first));
  }
}
