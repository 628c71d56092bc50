package dev.cfgctl.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the PEM files of TLS: certificates ({@code BEGIN CERTIFICATE}) and unencrypted private
 * keys, PKCS#8 ({@code BEGIN PRIVATE KEY}: RSA, EC, EdDSA) or PKCS#1 ({@code BEGIN RSA PRIVATE
 * KEY}). The JDK reads PEM certificates but not PEM keys; these few lines spare the server a
 * dependency (Bouncy Castle, okhttp-tls). Every failure is a {@link PemException} that names the
 * file and, for keys in other formats, the openssl command that converts them; a key's content is
 * never part of a message. Stateless and thread-safe.
 */
public final class Pem {
  /** Larger than any certificate chain or key; a bigger file is the wrong file. */
  private static final int MAX_BYTES = 1 << 20;

  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);

  /** The AlgorithmIdentifier of rsaEncryption (OID 1.2.840.113549.1.1.1, NULL parameters). */
  private static final byte[] RSA_ALGORITHM = {
    0x30,
    0x0d,
    0x06,
    0x09,
    0x2a,
    (byte) 0x86,
    0x48,
    (byte) 0x86,
    (byte) 0xf7,
    0x0d,
    0x01,
    0x01,
    0x01,
    0x05,
    0x00
  };

  private Pem() {}

  /** One {@code -----BEGIN type-----} block: its type, whether it is encrypted, its DER bytes. */
  private record Block(String type, boolean encrypted, byte[] der) {}

  /** The certificates in {@code file}, in file order; at least one. */
  public static List<X509Certificate> certificates(Path file) throws PemException {
    List<Block> blocks = blocks(file);
    List<X509Certificate> certificates = new ArrayList<>();
    CertificateFactory factory;
    try {
      factory = CertificateFactory.getInstance("X.509");
    } catch (CertificateException e) {
      throw new IllegalStateException("the JDK has no X.509 certificate factory", e);
    }
    for (Block b : blocks) {
      if (!b.type().equals("CERTIFICATE")) continue;
      try {
        certificates.add(
            (X509Certificate) factory.generateCertificate(new ByteArrayInputStream(b.der())));
      } catch (CertificateException | ClassCastException e) {
        throw new PemException(
            file
                + ": certificate "
                + (certificates.size() + 1)
                + " is not a valid X.509 certificate",
            null);
      }
    }
    if (certificates.isEmpty()) {
      boolean key = blocks.stream().anyMatch(b -> b.type().endsWith("PRIVATE KEY"));
      throw new PemException(
          file
              + (key
                  ? " holds a private key, not a certificate"
                  : " holds no certificate (-----BEGIN CERTIFICATE-----)"),
          key ? "are the certificate and key files swapped?" : null);
    }
    return certificates;
  }

  /** The private key in {@code file}: its first PEM block that is one. */
  public static PrivateKey privateKey(Path file) throws PemException {
    List<Block> blocks = blocks(file);
    Block key =
        blocks.stream().filter(b -> b.type().endsWith("PRIVATE KEY")).findFirst().orElse(null);
    String convert =
        "convert it to unencrypted PKCS#8: openssl pkcs8 -topk8 -nocrypt -in "
            + file
            + " -out key.pem";
    if (key == null) {
      boolean cert = blocks.stream().anyMatch(b -> b.type().equals("CERTIFICATE"));
      throw new PemException(
          file
              + (cert
                  ? " holds a certificate, not a private key"
                  : " holds no private key (-----BEGIN PRIVATE KEY-----)"),
          cert ? "are the certificate and key files swapped?" : null);
    }
    if (key.encrypted() || key.type().equals("ENCRYPTED PRIVATE KEY")) {
      throw new PemException(
          file
              + " holds an encrypted private key; cfgctl needs it unencrypted"
              + " (and readable only by the server's user)",
          convert);
    }
    byte[] pkcs8 =
        switch (key.type()) {
          case "PRIVATE KEY" -> key.der();
          case "RSA PRIVATE KEY" -> pkcs8(RSA_ALGORITHM, key.der());
          default ->
              throw new PemException(
                  file + " holds a key in a format cfgctl does not read (" + key.type() + ")",
                  convert);
        };
    for (String algorithm : List.of("RSA", "EC", "EdDSA", "RSASSA-PSS")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
      } catch (GeneralSecurityException | RuntimeException e) {
        // not this algorithm (or not available on this JDK): try the next
      }
    }
    throw new PemException(
        file
            + " holds a private key of an algorithm cfgctl cannot use"
            + " (RSA, EC and Ed25519 work)",
        null);
  }

  /**
   * Whether {@code key} is the private half of {@code certificate}'s public key: a signature made
   * with one verifies with the other. True when the algorithm is one this cannot test.
   */
  public static boolean matches(PrivateKey key, X509Certificate certificate) {
    PublicKey pub = certificate.getPublicKey();
    if (!pub.getAlgorithm().equals(key.getAlgorithm())) return false;
    String algorithm =
        switch (key.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC" -> "SHA256withECDSA";
          case "EdDSA", "Ed25519", "Ed448" -> key.getAlgorithm();
          default -> null;
        };
    if (algorithm == null) return true; // the handshake will tell
    try {
      byte[] challenge = new byte[32];
      new SecureRandom().nextBytes(challenge);
      Signature sign = Signature.getInstance(algorithm);
      sign.initSign(key);
      sign.update(challenge);
      byte[] signature = sign.sign();
      Signature verify = Signature.getInstance(algorithm);
      verify.initVerify(pub);
      verify.update(challenge);
      return verify.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static List<Block> blocks(Path file) throws PemException {
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(MAX_BYTES + 1);
    } catch (NoSuchFileException e) {
      throw new PemException(file + " does not exist", null);
    } catch (AccessDeniedException e) {
      throw new PemException("cannot read " + file + ": permission denied", null);
    } catch (IOException e) {
      throw new PemException("cannot read " + file + ": " + e.getMessage(), null);
    }
    if (bytes.length > MAX_BYTES) {
      throw new PemException(file + " is larger than 1 MiB: not a PEM certificate or key", null);
    }
    // ISO-8859-1 maps every byte, so a binary file becomes text without matches, not an error
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    List<Block> blocks = new ArrayList<>();
    Matcher m = BLOCK.matcher(text);
    while (m.find()) {
      StringBuilder base64 = new StringBuilder();
      boolean encrypted = false;
      for (String line : m.group(2).split("\r?\n")) {
        if (line.contains(":")) { // an RFC 1421 header, e.g. "Proc-Type: 4,ENCRYPTED"
          encrypted |= line.startsWith("Proc-Type:") && line.contains("ENCRYPTED");
        } else {
          base64.append(line.strip());
        }
      }
      try {
        blocks.add(new Block(m.group(1), encrypted, Base64.getDecoder().decode(base64.toString())));
      } catch (IllegalArgumentException e) {
        throw new PemException(file + ": the " + m.group(1) + " block is not valid base64", null);
      }
    }
    if (blocks.isEmpty()) {
      throw new PemException(
          file + " is not a PEM file (no -----BEGIN …----- line)",
          bytes.length > 0 && bytes[0] == 0x30
              ? "it looks like DER; convert it: openssl x509 -inform der -in "
                  + file
                  + " -out cert.pem (a certificate), openssl pkey -inform der -in "
                  + file
                  + " -out key.pem (a key)"
              : null);
    }
    return blocks;
  }

  /** A PKCS#8 PrivateKeyInfo (version 0) of the key {@code der} of {@code algorithm}. */
  private static byte[] pkcs8(byte[] algorithm, byte[] der) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(new byte[] {0x02, 0x01, 0x00});
    body.writeBytes(algorithm);
    body.writeBytes(tlv(0x04, der));
    return tlv(0x30, body.toByteArray());
  }

  /** A DER tag-length-value. */
  private static byte[] tlv(int tag, byte[] value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    int n = value.length;
    if (n < 0x80) {
      out.write(n);
    } else {
      int bytes = n > 0xffffff ? 4 : n > 0xffff ? 3 : n > 0xff ? 2 : 1;
      out.write(0x80 | bytes);
      for (int i = bytes - 1; i >= 0; i--) out.write(n >>> (8 * i));
    }
    out.writeBytes(value);
    return out.toByteArray();
  }
}
