package io.keikomon.render;

import io.keikomon.config.KeikoConfig;
import io.keikomon.config.Secrets;
import io.keikomon.core.ProtectedEndpoint;
import io.keikomon.core.crypto.Bcrypt;
import io.keikomon.core.crypto.CertificateStore;
import io.keikomon.core.crypto.LocalCa;
import io.keikomon.core.crypto.Pem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Fixed secrets for render tests, so rendered files are stable. */
final class RenderFixtures {
  private RenderFixtures() {}

  /** Every secret set, with fixed values so rendered files are stable. */
  static Secrets allSecrets() {
    return new Secrets(Optional.of("test-grafana-password"), Optional.of("https://hooks.slack.invalid/services/T0/B0/XYZ"),
        Optional.of("test-pg-password"), Optional.of("test-redis-password"));
  }

  /**
   * Fixed security material: passwords "test-<service>-password", cost-4 hashes with a fixed salt, and a CA with
   * server certificates made once by {@code CertificateStore} (src/test/resources/security; test-only keys).
   */
  static SecurityMaterial security(KeikoConfig cfg) {
    Map<ProtectedEndpoint, String> passwords = new EnumMap<>(ProtectedEndpoint.class);
    Map<ProtectedEndpoint, String> hashes = new EnumMap<>(ProtectedEndpoint.class);
    if (cfg.security().auth()) {
      for (ProtectedEndpoint p : SecurityMaterial.enabled(cfg)) {
        String pw = "test-" + p.component().service() + "-password";
        passwords.put(p, pw);
        hashes.put(p, Bcrypt.hash(pw, 4, "keiko-mon-salt!!".getBytes(StandardCharsets.US_ASCII)));
      }
    }
    Optional<CertificateStore.Material> pki = Optional.empty();
    if (cfg.security().tls()) {
      Map<String, LocalCa.Issued> servers = new LinkedHashMap<>();
      for (CertificateStore.Server s : SecurityMaterial.servers(cfg)) {
        String cert = resource(s.name() + ".crt");
        try {
          servers.put(s.name(), new LocalCa.Issued(Pem.certificate(cert), cert, resource(s.name() + ".key")));
        } catch (GeneralSecurityException e) {
          throw new IllegalStateException(e);
        }
      }
      pki = Optional.of(new CertificateStore.Material(resource("ca.crt"), servers, List.of()));
    }
    return new SecurityMaterial(cfg.security(), passwords, hashes, pki);
  }

  private static String resource(String name) {
    try {
      return Files.readString(Path.of("src/test/resources/security", name), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Only the Grafana password (what a fresh `init` gives). */
  static Secrets grafanaOnly() {
    return new Secrets(Optional.of("test-grafana-password"), Optional.empty(), Optional.empty(), Optional.empty());
  }
}
