package io.keikomon.core.crypto;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * A local certificate authority: an EC P-256 key and a self-signed CA certificate, issuing server certificates with
 * DNS and IP subject alternative names. Certificates are built with a small DER encoder and signed with
 * {@link Signature} (SHA256withECDSA), since the JDK has no public API to make one.
 */
public final class LocalCa {
  private static final String ECDSA_SHA256 = "1.2.840.10045.4.3.2";
  private static final String COMMON_NAME = "2.5.4.3";
  private static final String ORGANIZATION = "2.5.4.10";
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A certificate and its key, parsed and as PEM text. */
  public record Issued(X509Certificate certificate, String certificatePem, String keyPem) {
    @Override
    public String toString() {
      return "Issued[" + certificate.getSubjectX500Principal() + ", until " + certificate.getNotAfter() + "]";
    }
  }

  private final X509Certificate certificate;
  private final PrivateKey key;
  private final String certificatePem;
  private final String keyPem;

  private LocalCa(X509Certificate certificate, PrivateKey key, String certificatePem, String keyPem) {
    this.certificate = certificate;
    this.key = key;
    this.certificatePem = certificatePem;
    this.keyPem = keyPem;
  }

  /** A new CA valid from {@code now} (minus an hour of clock skew) for {@code validity}. */
  public static LocalCa create(String commonName, Instant now, Duration validity) {
    try {
      KeyPair pair = keyPair();
      byte[] name = name(commonName);
      byte[] ski = keyId(pair.getPublic());
      byte[] extensions = Der.sequence(
          extension("2.5.29.19", true, Der.sequence(Der.bool(true), Der.integer(BigInteger.ZERO))),
          // keyCertSign (bit 5) and cRLSign (bit 6)
          extension("2.5.29.15", true, Der.bits(new byte[] {0x06}, 1)),
          extension("2.5.29.14", false, Der.octets(ski)));
      X509Certificate cert = sign(pair.getPrivate(), name, name, pair.getPublic(), now, validity, extensions);
      return new LocalCa(cert, pair.getPrivate(), Pem.certificate(cert), Pem.privateKey(pair.getPrivate()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK cannot make an EC P-256 certificate: " + e.getMessage(), e);
    }
  }

  /**
   * The CA stored as PEM.
   *
   * @throws GeneralSecurityException when the texts do not parse, the certificate is no CA, or the key is not its key
   */
  public static LocalCa load(String certificatePem, String keyPem) throws GeneralSecurityException {
    X509Certificate cert = Pem.certificate(certificatePem);
    PrivateKey key = Pem.ecPrivateKey(keyPem);
    if (cert.getBasicConstraints() < 0) {
      throw new GeneralSecurityException("the certificate is not a CA certificate");
    }
    if (!matches(cert.getPublicKey(), key)) {
      throw new GeneralSecurityException("the key is not the certificate's key");
    }
    return new LocalCa(cert, key, certificatePem, keyPem);
  }

  public X509Certificate certificate() {
    return certificate;
  }

  public String certificatePem() {
    return certificatePem;
  }

  public String keyPem() {
    return keyPem;
  }

  /**
   * A server certificate for {@code dnsNames} and {@code ipAddresses} (the first DNS name is also its common name),
   * for TLS server authentication.
   */
  public Issued issue(List<String> dnsNames, List<String> ipAddresses, Instant now, Duration validity) {
    if (dnsNames.isEmpty()) {
      throw new IllegalArgumentException("a server certificate needs a DNS name");
    }
    try {
      KeyPair pair = keyPair();
      List<byte[]> names = new ArrayList<>();
      for (String dns : dnsNames) {
        names.add(Der.implicit(2, dns.getBytes(StandardCharsets.US_ASCII)));
      }
      for (String ip : ipAddresses) {
        names.add(Der.implicit(7, ipBytes(ip)));
      }
      byte[] extensions = Der.sequence(
          extension("2.5.29.19", true, Der.sequence()),
          // digitalSignature (bit 0): ECDHE key exchange signs with it
          extension("2.5.29.15", true, Der.bits(new byte[] {(byte) 0x80}, 7)),
          extension("2.5.29.37", false, Der.sequence(Der.oid("1.3.6.1.5.5.7.3.1"))),
          extension("2.5.29.17", false, Der.sequence(names.toArray(byte[][]::new))),
          extension("2.5.29.14", false, Der.octets(keyId(pair.getPublic()))),
          extension("2.5.29.35", false, Der.sequence(Der.implicit(0, keyId(certificate.getPublicKey())))));
      X509Certificate cert = sign(key, name(dnsNames.get(0)),
          certificate.getSubjectX500Principal().getEncoded(), pair.getPublic(), now, validity, extensions);
      return new Issued(cert, Pem.certificate(cert), Pem.privateKey(pair.getPrivate()));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot issue a certificate: " + e.getMessage(), e);
    }
  }

  /** True when this CA signed {@code cert}. */
  public boolean issued(X509Certificate cert) {
    try {
      cert.verify(certificate.getPublicKey());
      return cert.getIssuerX500Principal().equals(certificate.getSubjectX500Principal());
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  /** The DNS and IP subject alternative names of {@code cert}, as strings. */
  public static List<String> subjectAltNames(X509Certificate cert) {
    List<String> out = new ArrayList<>();
    try {
      Collection<List<?>> names = cert.getSubjectAlternativeNames();
      if (names != null) {
        for (List<?> n : names) {
          out.add(String.valueOf(n.get(1)));
        }
      }
    } catch (CertificateParsingException e) {
      // no usable names
    }
    return out;
  }

  /** True when {@code keyPem} is the private key of {@code cert}. */
  public static boolean isKeyOf(X509Certificate cert, String keyPem) {
    try {
      return matches(cert.getPublicKey(), Pem.ecPrivateKey(keyPem));
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static boolean matches(PublicKey pub, PrivateKey priv) throws GeneralSecurityException {
    byte[] probe = "keiko-mon key check".getBytes(StandardCharsets.US_ASCII);
    Signature s = Signature.getInstance("SHA256withECDSA");
    s.initSign(priv);
    s.update(probe);
    byte[] sig = s.sign();
    Signature v = Signature.getInstance("SHA256withECDSA");
    v.initVerify(pub);
    v.update(probe);
    return v.verify(sig);
  }

  private static KeyPair keyPair() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
    return g.generateKeyPair();
  }

  private static X509Certificate sign(PrivateKey signer, byte[] subject, byte[] issuer, PublicKey subjectKey,
      Instant now, Duration validity, byte[] extensions) throws GeneralSecurityException {
    byte[] serial = new byte[16];
    RANDOM.nextBytes(serial);
    serial[0] &= 0x7f;
    serial[0] |= 0x01;
    byte[] algorithm = Der.sequence(Der.oid(ECDSA_SHA256));
    Instant from = now.minus(Duration.ofHours(1)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    byte[] tbs = Der.sequence(
        Der.explicit(0, Der.integer(BigInteger.TWO)),
        Der.integer(new BigInteger(serial)),
        algorithm,
        issuer,
        Der.sequence(Der.time(from), Der.time(now.plus(validity).truncatedTo(java.time.temporal.ChronoUnit.SECONDS))),
        subject,
        subjectKey.getEncoded(),
        Der.explicit(3, extensions));
    Signature s = Signature.getInstance("SHA256withECDSA");
    s.initSign(signer);
    s.update(tbs);
    byte[] der = Der.sequence(tbs, algorithm, Der.bits(s.sign()));
    return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
  }

  private static byte[] name(String commonName) {
    return Der.sequence(
        Der.set(Der.sequence(Der.oid(ORGANIZATION), Der.utf8("keiko-mon"))),
        Der.set(Der.sequence(Der.oid(COMMON_NAME), Der.utf8(commonName))));
  }

  private static byte[] extension(String oid, boolean critical, byte[] value) {
    return critical ? Der.sequence(Der.oid(oid), Der.bool(true), Der.octets(value))
        : Der.sequence(Der.oid(oid), Der.octets(value));
  }

  /** RFC 5280 4.2.1.2 method 1: SHA-1 of the public key's bits. */
  private static byte[] keyId(PublicKey pub) throws GeneralSecurityException {
    byte[] spki = pub.getEncoded();
    // SubjectPublicKeyInfo ::= SEQUENCE { algorithm, BIT STRING }; for P-256 the BIT STRING is the last 66 bytes
    byte[] bits = java.util.Arrays.copyOfRange(spki, spki.length - 65, spki.length);
    return MessageDigest.getInstance("SHA-1").digest(bits);
  }

  private static byte[] ipBytes(String ip) {
    Objects.requireNonNull(ip);
    if (!ip.matches("[0-9.]+|[0-9a-fA-F:]+")) {
      throw new IllegalArgumentException("not an IP address: " + ip);
    }
    try {
      return InetAddress.getByName(ip).getAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IP address: " + ip, e);
    }
  }
}
