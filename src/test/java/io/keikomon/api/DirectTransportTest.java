package io.keikomon.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keikomon.core.OperationFailedException;
import io.keikomon.testing.HttpStandIn.Answer;
import io.keikomon.testing.HttpStandIn.Fault;
import io.keikomon.testing.PrometheusStandIn;
import io.keikomon.testing.Tool;
import com.sun.net.httpserver.HttpServer;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The transport's contract: real statuses, named connection failures, TLS with a private CA, no leaked secrets. */
class DirectTransportTest {
  @TempDir Path dir;

  @Test
  void httpsWithThePemCaCertificateWorksAndWithoutItIsATlsFailure() throws Exception {
    char[] pass = "changeit".toCharArray();
    Path keystore = dir.resolve("server.p12");
    Path pem = dir.resolve("ca.pem");
    mustRun("keytool", "-genkeypair", "-alias", "server", "-keyalg", "EC", "-dname", "CN=localhost",
        "-ext", "san=ip:127.0.0.1,dns:localhost", "-validity", "2", "-storetype", "PKCS12",
        "-keystore", keystore.toString(), "-storepass", "changeit");
    mustRun("keytool", "-exportcert", "-rfc", "-alias", "server", "-keystore", keystore.toString(),
        "-storepass", "changeit", "-file", pem.toString());
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      ks.load(in, pass);
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, pass);
    SSLContext server = SSLContext.getInstance("TLS");
    server.init(kmf.getKeyManagers(), null, null);

    try (PrometheusStandIn standIn = new PrometheusStandIn()) {
      standIn.start(server);
      PrometheusClient trusting = new PrometheusClient(DirectTransport.builder("127.0.0.1", standIn.port())
          .tls(Tls.caCertificate(pem)).build());
      assertEquals(URI.create("https://127.0.0.1:" + standIn.port()), trusting.transport().base());
      assertTrue(trusting.ready());

      PrometheusClient defaultTrust = new PrometheusClient(DirectTransport.builder("127.0.0.1", standIn.port())
          .tls(Tls.systemTrust()).build());
      ApiException e = assertThrows(ApiException.class, defaultTrust::ready);
      assertEquals(ApiException.Failure.TLS, e.failure().orElseThrow(), e.getMessage());
      assertTrue(e.getMessage().startsWith("check Prometheus readiness failed: GET https://127.0.0.1:"
          + standIn.port() + "/-/ready: TLS handshake failed"), e.getMessage());
      assertTrue(e.hint().contains("CA certificate"), e.hint());
    }
  }

  @Test
  void aFileWithoutCertificatesIsRefusedWithAHint() throws Exception {
    Path notPem = Files.writeString(dir.resolve("ca.pem"), "not a certificate\n");
    OperationFailedException e = assertThrows(OperationFailedException.class, () -> Tls.caCertificate(notPem));
    assertTrue(e.getMessage().startsWith("cannot use " + notPem + " as CA certificate"), e.getMessage());
    assertTrue(e.hint().contains("PEM"));
  }

  @Test
  void transportsToOnePortShareOneKeptAliveConnection() throws Exception {
    // up reloads Prometheus and then reports its targets through two transports: the second must not pay for a
    // new connection (with TLS: a new context and handshake)
    List<Integer> clientPorts = new CopyOnWriteArrayList<>();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", x -> {
      clientPorts.add(x.getRemoteAddress().getPort());
      byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
      x.sendResponseHeaders(200, body.length);
      x.getResponseBody().write(body);
      x.close();
    });
    server.start();
    try {
      for (int i = 0; i < 2; i++) {
        DirectTransport t = DirectTransport.builder("127.0.0.1", server.getAddress().getPort()).build();
        assertEquals(200, t.send(ApiRequest.get("read", "/api/v1/status/runtimeinfo")).status());
      }
    } finally {
      server.stop(0);
    }
    assertEquals(2, clientPorts.size());
    assertEquals(clientPorts.get(0), clientPorts.get(1), "both requests on one connection: " + clientPorts);
  }

  @Test
  void oneCaFileIsOneContextUntilItsContentChanges() throws Exception {
    Path pem = dir.resolve("ca.crt");
    Files.writeString(pem, certificatePem("CN=first"));
    Tls first = Tls.caCertificate(pem);
    assertSame(first, Tls.caCertificate(pem));
    Files.writeString(pem, certificatePem("CN=renewed"));
    assertNotSame(first, Tls.caCertificate(pem), "a renewed CA must be trusted from the next transport on");
  }

  private String certificatePem(String dname) throws Exception {
    Path keystore = dir.resolve(dname.substring(3) + ".p12");
    Path pem = dir.resolve(dname.substring(3) + ".pem");
    mustRun("keytool", "-genkeypair", "-alias", "ca", "-keyalg", "EC", "-dname", dname, "-validity", "2",
        "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", "changeit");
    mustRun("keytool", "-exportcert", "-rfc", "-alias", "ca", "-keystore", keystore.toString(),
        "-storepass", "changeit", "-file", pem.toString());
    return Files.readString(pem);
  }

  @Test
  void unknownHostIsADnsFailure() {
    DirectTransport t = DirectTransport.builder("keiko-mon-no-such-host.invalid", 9090)
        .connectTimeout(Duration.ofSeconds(2)).requestTimeout(Duration.ofSeconds(3)).build();
    ApiException e = assertThrows(ApiException.class, () -> t.send(ApiRequest.get("check Prometheus health",
        "/-/healthy")));
    assertEquals(ApiException.Failure.DNS, e.failure().orElseThrow(), e.getMessage());
    assertEquals("check Prometheus health failed: GET http://keiko-mon-no-such-host.invalid:9090/-/healthy: host name"
        + " not found (keiko-mon-no-such-host.invalid)", e.getMessage());
  }

  @Test
  void theMessageKeepsTheFirst500CharactersOfTheBody() {
    try (PrometheusStandIn standIn = new PrometheusStandIn()) {
      standIn.start();
      String body = "x".repeat(450) + "y".repeat(100) + "z".repeat(2000);
      standIn.breakWith(new Fault.Fixed(Answer.text(502, body)));
      ApiException e = assertThrows(ApiException.class, () -> new PrometheusClient(
          DirectTransport.builder("127.0.0.1", standIn.port()).build()).targets());
      assertEquals(502, e.status().getAsInt());
      assertTrue(e.getMessage().endsWith("answered HTTP 502 Bad Gateway: " + "x".repeat(450) + "y".repeat(50) + "…"),
          e.getMessage());
      assertEquals(501, e.body().length());
    }
  }

  @Test
  void credentialsNeverShowInNames() throws Exception {
    DirectTransport t = DirectTransport.builder("::1", 3000).basicAuth(new BasicAuth("admin", () -> "hunter2"))
        .build();
    assertEquals(URI.create("http://[::1]:3000"), t.base());
    assertFalse(t.toString().contains("hunter2"), t.toString());
    assertTrue(t.toString().contains("admin"), t.toString());
  }

  @Test
  void anUnreadableSecretFileNamesTheFile() {
    Path missing = dir.resolve("grafana_admin_password");
    try (PrometheusStandIn standIn = new PrometheusStandIn()) {
      standIn.start();
      DirectTransport t = DirectTransport.builder("127.0.0.1", standIn.port())
          .basicAuth(BasicAuth.fromSecretFile("admin", missing)).build();
      OperationFailedException e = assertThrows(OperationFailedException.class,
          () -> t.send(ApiRequest.get("check Grafana health", "/api/health")));
      assertTrue(e.getMessage().startsWith("cannot read the password of admin from " + missing), e.getMessage());
      assertTrue(standIn.requests().isEmpty(), "nothing sent without the password");
    }
  }

  private static void mustRun(String... command) {
    Tool t = Tool.run(Path.of("/"), command);
    assertEquals(0, t.exitCode(), t.toString());
  }
}
