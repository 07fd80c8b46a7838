package io.keikomon.core.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.keikomon.core.crypto.CertificateStore.Server;
import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalCaTest {
  private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

  @Test
  void issuedCertificateCarriesItsNamesAndChainsToTheCa() throws Exception {
    LocalCa ca = LocalCa.create("test CA", NOW, Duration.ofDays(10));
    LocalCa.Issued s = ca.issue(List.of("prometheus", "localhost"), List.of("127.0.0.1"), NOW, Duration.ofDays(5));

    assertTrue(ca.issued(s.certificate()));
    assertEquals(Set.of("prometheus", "localhost", "127.0.0.1"), Set.copyOf(LocalCa.subjectAltNames(s.certificate())));
    assertEquals(List.of("1.3.6.1.5.5.7.3.1"), s.certificate().getExtendedKeyUsage());
    assertEquals(-1, s.certificate().getBasicConstraints());
    assertEquals(0, ca.certificate().getBasicConstraints());
    assertTrue(LocalCa.isKeyOf(s.certificate(), s.keyPem()));
    assertFalse(LocalCa.isKeyOf(s.certificate(), ca.keyPem()));
    assertFalse(LocalCa.create("other", NOW, Duration.ofDays(1)).issued(s.certificate()));
    assertEquals(NOW.plus(Duration.ofDays(5)), s.certificate().getNotAfter().toInstant());
  }

  @Test
  void caRoundTripsThroughPemAndRefusesAForeignKey() throws Exception {
    LocalCa ca = LocalCa.create("test CA", NOW, Duration.ofDays(10));
    LocalCa back = LocalCa.load(ca.certificatePem(), ca.keyPem());
    assertEquals(ca.certificate(), back.certificate());
    String otherKey = LocalCa.create("x", NOW, Duration.ofDays(1)).keyPem();
    assertThrows(java.security.GeneralSecurityException.class, () -> LocalCa.load(ca.certificatePem(), otherKey));
  }

  /** openssl, as an independent parser: the chain verifies for the TLS server purpose and the host name. */
  @Test
  void opensslVerifiesTheChain(@TempDir Path dir) throws Exception {
    LocalCa ca = LocalCa.create("test CA", Instant.now(), Duration.ofDays(10));
    LocalCa.Issued s = ca.issue(List.of("alertmanager", "localhost"), List.of("127.0.0.1"), Instant.now(),
        Duration.ofDays(5));
    Files.writeString(dir.resolve("ca.crt"), ca.certificatePem());
    Files.writeString(dir.resolve("s.crt"), s.certificatePem());
    Process p = new ProcessBuilder("openssl", "verify", "-purpose", "sslserver", "-verify_hostname", "alertmanager",
        "-verify_ip", "127.0.0.1", "-CAfile", dir.resolve("ca.crt").toString(), dir.resolve("s.crt").toString())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
    assertTrue(out.contains(": OK"), out);
  }

  /** A real TLS handshake with host-name checking: it verifies with the CA and fails without it. */
  @Test
  void httpsServerWithIssuedCertificateVerifiesOnlyWithTheCa() throws Exception {
    LocalCa ca = LocalCa.create("test CA", Instant.now(), Duration.ofDays(10));
    LocalCa.Issued s = ca.issue(List.of("localhost"), List.of("127.0.0.1"), Instant.now(), Duration.ofDays(5));
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry("server", Pem.ecPrivateKey(s.keyPem()), new char[0], new Certificate[] {s.certificate()});
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, new char[0]);
    SSLContext serverSsl = SSLContext.getInstance("TLS");
    serverSsl.init(kmf.getKeyManagers(), null, null);
    HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(serverSsl));
    server.createContext("/", x -> {
      x.sendResponseHeaders(200, 2);
      x.getResponseBody().write("ok".getBytes(StandardCharsets.US_ASCII));
      x.close();
    });
    server.start();
    try {
      URI uri = URI.create("https://127.0.0.1:" + server.getAddress().getPort() + "/");
      HttpResponse<String> r = client(trusting(ca.certificatePem())).send(HttpRequest.newBuilder(uri).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals("ok", r.body());
      HttpClient system = HttpClient.newBuilder().sslContext(SSLContext.getDefault()).build();
      assertThrows(SSLHandshakeException.class, () -> system.send(HttpRequest.newBuilder(uri).build(),
          HttpResponse.BodyHandlers.ofString()));
    } finally {
      server.stop(0);
    }
  }

  @Test
  void storeKeepsValidCertificatesAndRenewsExpiringOnes(@TempDir Path dir) throws Exception {
    CertificateStore store = new CertificateStore(dir.resolve("pki"));
    List<Server> servers = List.of(new Server("prometheus", List.of("prometheus", "localhost"), List.of("127.0.0.1")));
    CertificateStore.Material first = store.ensure(servers, NOW, false);
    assertEquals(2, first.changes().size(), first.changes().toString());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("pki/ca.key"))));
    assertEquals("rw-------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("pki/prometheus.key"))));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("pki"))));

    CertificateStore.Material again = store.ensure(servers, NOW.plus(Duration.ofDays(100)), false);
    assertEquals(List.of(), again.changes());
    assertEquals(first.servers().get("prometheus").certificatePem(), again.servers().get("prometheus").certificatePem());

    // a new SAN (another bind address) gives a new certificate from the same CA
    List<Server> moved = List.of(new Server("prometheus", List.of("prometheus", "localhost"), List.of("10.0.0.5")));
    CertificateStore.Material other = store.ensure(moved, NOW.plus(Duration.ofDays(100)), false);
    assertEquals(1, other.changes().size());
    assertEquals(first.caPem(), other.caPem());

    // 20 days before the end: renewed
    Instant late = other.servers().get("prometheus").certificate().getNotAfter().toInstant().minus(Duration.ofDays(20));
    CertificateStore.Material renewed = store.ensure(moved, late, false);
    assertEquals(1, renewed.changes().size(), renewed.changes().toString());
    assertNotEquals(other.servers().get("prometheus").certificatePem(),
        renewed.servers().get("prometheus").certificatePem());
    assertEquals(List.of("ca", "prometheus"), store.expiries().stream().map(CertificateStore.Expiry::name).toList());

    // a corrupted CA key: a new CA, and every server certificate re-issued from it
    Files.writeString(dir.resolve("pki/ca.key"), "garbage");
    CertificateStore.Material fresh = store.ensure(moved, late, false);
    assertNotEquals(first.caPem(), fresh.caPem());
    assertEquals(2, fresh.changes().size());
  }

  private static SSLContext trusting(String caPem) throws Exception {
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(caPem.getBytes(StandardCharsets.US_ASCII))));
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    return ssl;
  }

  private static HttpClient client(SSLContext ssl) {
    return HttpClient.newBuilder().sslContext(ssl).build();
  }
}
