package io.keikomon.render;

import io.keikomon.config.KeikoConfig;
import io.keikomon.core.ProtectedEndpoint;
import io.keikomon.core.crypto.Bcrypt;
import io.keikomon.core.crypto.CertificateStore;
import io.keikomon.core.crypto.LocalCa;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code security:} needs to render: each protected endpoint's password and its bcrypt hash, and (with TLS)
 * the CA certificate and each server's certificate and key. {@link SecurityPreparation} makes it from .env and
 * the certificate store; {@link #ephemeral} makes a throwaway one for an in-memory render.
 */
public record SecurityMaterial(
    KeikoConfig.Security mode,
    Map<ProtectedEndpoint, String> passwords,
    Map<ProtectedEndpoint, String> hashes,
    Optional<CertificateStore.Material> pki) {

  public SecurityMaterial {
    passwords = Map.copyOf(passwords);
    hashes = Map.copyOf(hashes);
  }

  /** Security off: nothing to render. */
  public static SecurityMaterial none(KeikoConfig cfg) {
    return new SecurityMaterial(cfg.security(), Map.of(), Map.of(), Optional.empty());
  }

  /**
   * Random passwords and a new CA in memory (cost-4 hashes): for a render that is checked and thrown away, never one
   * a stack runs with.
   */
  public static SecurityMaterial ephemeral(KeikoConfig cfg) {
    Map<ProtectedEndpoint, String> passwords = new EnumMap<>(ProtectedEndpoint.class);
    Map<ProtectedEndpoint, String> hashes = new EnumMap<>(ProtectedEndpoint.class);
    SecureRandom random = new SecureRandom();
    for (ProtectedEndpoint p : cfg.security().auth() ? enabled(cfg) : List.<ProtectedEndpoint>of()) {
      byte[] b = new byte[18];
      random.nextBytes(b);
      String pw = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
      passwords.put(p, pw);
      hashes.put(p, Bcrypt.hash(pw, 4));
    }
    Optional<CertificateStore.Material> pki = Optional.empty();
    if (cfg.security().tls()) {
      Instant now = Instant.now();
      LocalCa ca = LocalCa.create("keiko-mon ephemeral CA", now, CertificateStore.CA_VALIDITY);
      Map<String, LocalCa.Issued> servers = new java.util.LinkedHashMap<>();
      for (CertificateStore.Server s : servers(cfg)) {
        servers.put(s.name(), ca.issue(s.dnsNames(), s.ipAddresses(), now, CertificateStore.SERVER_VALIDITY));
      }
      pki = Optional.of(new CertificateStore.Material(ca.certificatePem(), servers, List.of()));
    }
    return new SecurityMaterial(cfg.security(), passwords, hashes, pki);
  }

  /** The protected endpoints {@code cfg} runs (node-exporter and Alertmanager only when enabled). */
  public static List<ProtectedEndpoint> enabled(KeikoConfig cfg) {
    List<ProtectedEndpoint> out = new ArrayList<>();
    out.add(ProtectedEndpoint.PROMETHEUS);
    if (cfg.components().alertmanager()) {
      out.add(ProtectedEndpoint.ALERTMANAGER);
    }
    if (cfg.components().nodeExporter()) {
      out.add(ProtectedEndpoint.NODE_EXPORTER);
    }
    return out;
  }

  /**
   * The server certificates {@code cfg} needs: each service's own name (how containers reach it), {@code localhost}
   * and 127.0.0.1 (its healthcheck, keiko-mon on this host) and the bind address when it is a specific one.
   */
  public static List<CertificateStore.Server> servers(KeikoConfig cfg) {
    List<CertificateStore.Server> out = new ArrayList<>();
    for (ProtectedEndpoint p : enabled(cfg)) {
      java.util.Set<String> names = new java.util.LinkedHashSet<>(
          List.of(p.component().host(), p.component().service(), "localhost"));
      List<String> dns = new ArrayList<>(names);
      List<String> ips = new ArrayList<>(List.of("127.0.0.1"));
      String bind = cfg.bind();
      if (bind != null && !bind.isEmpty() && !bind.equals("0.0.0.0") && !bind.equals("::") && !ips.contains(bind)) {
        ips.add(bind);
      }
      out.add(new CertificateStore.Server(p.component().service(), dns, ips));
    }
    return out;
  }

  /** {@code Basic <base64(user:password)>} for {@code p}. */
  public String authHeader(ProtectedEndpoint p) {
    String pair = p.user() + ":" + passwords.get(p);
    return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
  }

  /** Never the passwords. */
  @Override
  public String toString() {
    return "SecurityMaterial[" + mode + ", passwords for " + passwords.keySet() + ", tls " + pki.isPresent() + "]";
  }
}
