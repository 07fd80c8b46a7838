package io.keikomon.core.crypto;

import io.keikomon.core.AtomicFiles;
import io.keikomon.core.FileAccessException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The local CA and the server certificates it issued, kept as PEM files in one folder (keys mode 0600, the folder
 * 0700). {@link #ensure} keeps what is there while it is valid: the same CA, the SANs asked for, and more than
 * {@link #RENEW_BEFORE} left; anything else is issued anew (a new CA re-issues every server certificate).
 */
public final class CertificateStore {
  public static final Duration CA_VALIDITY = Duration.ofDays(3650);
  /** Below the 398 days browsers accept for a server certificate. */
  public static final Duration SERVER_VALIDITY = Duration.ofDays(397);
  /** A certificate with less time than this left is renewed by the next render (or `certs renew`). */
  public static final Duration RENEW_BEFORE = Duration.ofDays(30);
  public static final String CA = "ca";

  /** A server certificate to keep: its file name and its SANs. */
  public record Server(String name, List<String> dnsNames, List<String> ipAddresses) {
    public Server {
      dnsNames = List.copyOf(dnsNames);
      ipAddresses = List.copyOf(ipAddresses);
    }
  }

  /**
   * The CA certificate and each server's certificate and key, as PEM, plus what {@link #ensure} changed and the
   * files {@link #commit} still has to write (file name to PEM text).
   */
  public record Material(String caPem, Map<String, LocalCa.Issued> servers, List<String> changes,
      Map<String, String> pending) {
    public Material {
      servers = Map.copyOf(servers);
      changes = List.copyOf(changes);
      pending = Map.copyOf(pending);
    }

    public Material(String caPem, Map<String, LocalCa.Issued> servers, List<String> changes) {
      this(caPem, servers, changes, Map.of());
    }
  }

  /** When one certificate of the store runs out. */
  public record Expiry(String name, Instant notAfter) {}

  private final Path dir;

  public CertificateStore(Path dir) {
    this.dir = dir;
  }

  public Path dir() {
    return dir;
  }

  public Path caCertificate() {
    return dir.resolve(CA + ".crt");
  }

  /**
   * The CA and a certificate for every server, issuing what is missing, invalid, for other SANs, or expiring
   * ({@code renewAll}: everything but a still-valid CA is issued anew), and writes what it issued.
   */
  public Material ensure(List<Server> servers, Instant now, boolean renewAll) {
    Material m = plan(servers, now, renewAll);
    commit(m);
    return m;
  }

  /** Writes the files {@link #plan} issued (keys 0600, the folder 0700). */
  public void commit(Material m) {
    if (m.pending().isEmpty()) {
      return;
    }
    try {
      Files.createDirectories(dir);
      AtomicFiles.setPermissions(dir, AtomicFiles.PRIVATE_DIR);
      // keys first: a certificate is never on disk without its key
      for (boolean keys : new boolean[] {true, false}) {
        for (Map.Entry<String, String> f : m.pending().entrySet()) {
          if (f.getKey().endsWith(".key") == keys) {
            write(f.getKey(), f.getValue(), keys);
          }
        }
      }
    } catch (IOException e) {
      throw FileAccessException.of("write", dir, e);
    }
  }

  /** What {@link #ensure} would keep and issue, without writing anything. */
  public Material plan(List<Server> servers, Instant now, boolean renewAll) {
    {
      Map<String, String> pending = new LinkedHashMap<>();
      List<String> changes = new ArrayList<>();
      LocalCa ca = loadCa().filter(c -> fresh(c.certificate(), now)).orElse(null);
      boolean newCa = ca == null;
      if (newCa) {
        ca = LocalCa.create("keiko-mon local CA", now, CA_VALIDITY);
        pending.put(CA + ".key", ca.keyPem());
        pending.put(CA + ".crt", ca.certificatePem());
        changes.add("created the local CA " + caCertificate() + " (valid until " + ca.certificate().getNotAfter().toInstant() + ")");
      }
      Map<String, LocalCa.Issued> issued = new LinkedHashMap<>();
      for (Server s : servers) {
        Optional<LocalCa.Issued> kept = newCa || renewAll ? Optional.empty() : loadServer(s.name());
        LocalCa c = ca;
        kept = kept.filter(i -> c.issued(i.certificate()) && fresh(i.certificate(), now) && sansMatch(i.certificate(), s));
        if (kept.isPresent()) {
          issued.put(s.name(), kept.get());
          continue;
        }
        LocalCa.Issued fresh = ca.issue(s.dnsNames(), s.ipAddresses(), now, SERVER_VALIDITY);
        pending.put(s.name() + ".key", fresh.keyPem());
        pending.put(s.name() + ".crt", fresh.certificatePem());
        issued.put(s.name(), fresh);
        changes.add("issued a certificate for " + s.name() + " (" + String.join(", ", sans(s)) + "), valid until "
            + fresh.certificate().getNotAfter().toInstant());
      }
      return new Material(ca.certificatePem(), issued, changes, pending);
    }
  }

  /** What is stored, changing nothing; empty when the CA or a server's certificate is missing or unreadable. */
  public Optional<Material> read(List<Server> servers) {
    Optional<LocalCa> ca = loadCa();
    if (ca.isEmpty()) {
      return Optional.empty();
    }
    Map<String, LocalCa.Issued> issued = new LinkedHashMap<>();
    for (Server s : servers) {
      Optional<LocalCa.Issued> i = loadServer(s.name());
      if (i.isEmpty()) {
        return Optional.empty();
      }
      issued.put(s.name(), i.get());
    }
    return Optional.of(new Material(ca.get().certificatePem(), issued, List.of()));
  }

  /** Expiry of the CA and of every stored server certificate, CA first; empty without a store. */
  public List<Expiry> expiries() {
    List<Expiry> out = new ArrayList<>();
    loadCa().ifPresent(ca -> out.add(new Expiry(CA, ca.certificate().getNotAfter().toInstant())));
    if (out.isEmpty()) {
      return out;
    }
    try (var files = Files.list(dir)) {
      for (Path p : (Iterable<Path>) files.sorted()::iterator) {
        String f = p.getFileName().toString();
        if (f.endsWith(".crt") && !f.equals(CA + ".crt")) {
          String name = f.substring(0, f.length() - 4);
          loadServer(name).ifPresent(i -> out.add(new Expiry(name, i.certificate().getNotAfter().toInstant())));
        }
      }
    } catch (IOException e) {
      throw FileAccessException.of("read", dir, e);
    }
    return out;
  }

  private static boolean fresh(X509Certificate c, Instant now) {
    return c.getNotAfter().toInstant().isAfter(now.plus(RENEW_BEFORE)) && !c.getNotBefore().toInstant().isAfter(now);
  }

  private static boolean sansMatch(X509Certificate c, Server s) {
    return new HashSet<>(LocalCa.subjectAltNames(c)).equals(new HashSet<>(sans(s)));
  }

  private static List<String> sans(Server s) {
    List<String> all = new ArrayList<>(s.dnsNames());
    all.addAll(s.ipAddresses());
    return all;
  }

  private Optional<LocalCa> loadCa() {
    Optional<String> cert = text(CA + ".crt");
    Optional<String> key = text(CA + ".key");
    if (cert.isEmpty() || key.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(LocalCa.load(cert.get(), key.get()));
    } catch (GeneralSecurityException e) {
      return Optional.empty();
    }
  }

  private Optional<LocalCa.Issued> loadServer(String name) {
    Optional<String> cert = text(name + ".crt");
    Optional<String> key = text(name + ".key");
    if (cert.isEmpty() || key.isEmpty()) {
      return Optional.empty();
    }
    try {
      X509Certificate c = Pem.certificate(cert.get());
      return LocalCa.isKeyOf(c, key.get()) ? Optional.of(new LocalCa.Issued(c, cert.get(), key.get())) : Optional.empty();
    } catch (GeneralSecurityException e) {
      return Optional.empty();
    }
  }

  private Optional<String> text(String file) {
    Path p = dir.resolve(file);
    if (!Files.isRegularFile(p)) {
      return Optional.empty();
    }
    try {
      if (Files.size(p) > 64 * 1024) {
        return Optional.empty();
      }
      return Optional.of(Files.readString(p, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw FileAccessException.of("read", p, e);
    }
  }

  private void write(String file, String text, boolean secret) throws IOException {
    AtomicFiles.write(dir.resolve(file), text.getBytes(StandardCharsets.UTF_8),
        secret ? AtomicFiles.PRIVATE : AtomicFiles.READABLE);
  }
}
