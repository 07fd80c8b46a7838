package io.keikomon.api;

import io.keikomon.core.OperationFailedException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Whether a transport speaks plain HTTP or HTTPS, and which certificates it trusts for HTTPS.
 * {@code context} is null for plain HTTP.
 */
public record Tls(boolean plainHttp, SSLContext context) {
  /** Plain HTTP: the stack's default, on loopback ports. */
  public static final Tls PLAIN_HTTP = new Tls(true, null);

  public Tls {
    if (!plainHttp && context == null) {
      throw new IllegalArgumentException("HTTPS needs an SSLContext");
    }
  }

  public String scheme() {
    return plainHttp ? "http" : "https";
  }

  /** HTTPS trusting the JDK's default CA certificates. */
  public static Tls systemTrust() {
    try {
      return new Tls(false, SSLContext.getDefault());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK has no default TLS context", e);
    }
  }

  /**
   * One context per CA file content: every client of one run shares it (and so, through {@link DirectTransport},
   * one HttpClient and its kept-alive connections); a renewed CA is a new entry.
   */
  private static final Map<String, Tls> BY_CA = new ConcurrentHashMap<>();

  /** HTTPS trusting exactly the certificates in a PEM file (a private CA, or a self-signed server certificate). */
  public static Tls caCertificate(Path pemFile) {
    byte[] pem;
    try {
      pem = Files.readAllBytes(pemFile);
    } catch (IOException e) {
      throw unusable(pemFile, e);
    }
    String key = pemFile.toAbsolutePath().normalize() + "\n" + new String(pem, StandardCharsets.US_ASCII);
    return BY_CA.computeIfAbsent(key, k -> load(pemFile, pem));
  }

  private static Tls load(Path pemFile, byte[] pem) {
    try (InputStream in = new ByteArrayInputStream(pem)) {
      Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
      if (certs.isEmpty()) {
        throw new GeneralSecurityException("no certificate in the file");
      }
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      int i = 0;
      for (Certificate c : certs) {
        trust.setCertificateEntry("ca-" + i++, c);
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ssl = SSLContext.getInstance("TLS");
      ssl.init(null, tmf.getTrustManagers(), null);
      return new Tls(false, ssl);
    } catch (IOException | GeneralSecurityException e) {
      throw unusable(pemFile, e);
    }
  }

  private static OperationFailedException unusable(Path pemFile, Exception e) {
    return new OperationFailedException("cannot use " + pemFile + " as CA certificate: " + e.getMessage(),
        "the file must hold one or more PEM certificates (-----BEGIN CERTIFICATE-----)", e);
  }
}
