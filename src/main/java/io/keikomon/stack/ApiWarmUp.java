package io.keikomon.stack;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.keikomon.api.ApiRequest;
import io.keikomon.api.BasicAuth;
import io.keikomon.api.DirectTransport;
import io.keikomon.api.Tls;
import io.keikomon.core.crypto.LocalCa;
import io.keikomon.core.crypto.Pem;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * One authenticated HTTPS request through keiko-mon's own client to a loopback server with a certificate of a
 * throwaway local CA, so the launcher's class-data-sharing training run records the TLS and HTTP client classes
 * (several hundred; without them every reload and status call of a secured stack loads them from the JDK image).
 */
public final class ApiWarmUp {
  private ApiWarmUp() {}

  /** Best effort: a failure only leaves those classes out of the archive. */
  public static void run(Path scratch) {
    HttpsServer server = null;
    try {
      Instant now = Instant.now();
      LocalCa ca = LocalCa.create("keiko-mon cds training", now, Duration.ofDays(1));
      LocalCa.Issued cert = ca.issue(List.of("localhost"), List.of("127.0.0.1"), now, Duration.ofDays(1));
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      char[] pass = "training".toCharArray();
      keys.setKeyEntry("server", Pem.ecPrivateKey(cert.keyPem()), pass,
          new Certificate[] {cert.certificate(), ca.certificate()});
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keys, pass);
      SSLContext tls = SSLContext.getInstance("TLS");
      tls.init(kmf.getKeyManagers(), null, null);
      server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.setHttpsConfigurator(new HttpsConfigurator(tls));
      server.createContext("/", x -> {
        byte[] body = "{\"status\":\"success\",\"data\":{}}".getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().add("Content-Type", "application/json");
        x.sendResponseHeaders(200, body.length);
        x.getResponseBody().write(body);
        x.close();
      });
      server.start();
      Path caFile = Files.writeString(scratch.resolve("cds-training-ca.crt"), ca.certificatePem());
      Path password = Files.writeString(scratch.resolve("cds-training-password"), "training\n");
      DirectTransport.builder("127.0.0.1", server.getAddress().getPort()).tls(Tls.caCertificate(caFile))
          .basicAuth(BasicAuth.fromSecretFile("admin", password)).build()
          .send(ApiRequest.get("training request", "/api/v1/status/runtimeinfo"));
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      // nothing to record then
    } finally {
      if (server != null) {
        server.stop(0);
      }
    }
  }
}
