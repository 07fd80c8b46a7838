package io.keikomon.render;

import io.keikomon.config.KeikoConfig;
import io.keikomon.config.Passwords;
import io.keikomon.config.SecretsResolver;
import io.keikomon.core.AtomicFiles;
import io.keikomon.core.Console;
import io.keikomon.core.FileAccessException;
import io.keikomon.core.ProtectedEndpoint;
import io.keikomon.core.Workspace;
import io.keikomon.core.crypto.Bcrypt;
import io.keikomon.core.crypto.CertificateStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Gathers the {@link SecurityMaterial} for a render of the workspace: passwords from the environment or .env (else
 * the one rendered before, else a new one saved to .env), bcrypt hashes (kept in a cache beside the CA, since one
 * costs about a tenth of a second), and the CA and server certificates of the {@linkplain #store store} in
 * {@code <output>/pki/}.
 */
public final class SecurityPreparation {
  /** The folder (below the output folder) with the CA, the server certificates and the hash cache. */
  public static final String PKI_DIR = "pki";
  private static final String HASH_CACHE = "bcrypt-cache";

  private SecurityPreparation() {}

  public static CertificateStore store(Path outputDir) {
    return new CertificateStore(outputDir.resolve(PKI_DIR));
  }

  /**
   * {@code write}: generate what is missing and keep it (.env, the store); otherwise change nothing and fill gaps
   * with throwaway values (validate, render --dry-run).
   */
  public static SecurityMaterial prepare(Workspace ws, KeikoConfig cfg, Path out, Console console, boolean write) {
    Prepared p = plan(ws, cfg, out, write);
    p.commit(console);
    return p.material();
  }

  /**
   * The material and what keeping it needs (passwords for .env, hash cache, CA files), written only by
   * {@link Prepared#commit}: render commits after the templates rendered, so a failing render writes nothing.
   */
  public record Prepared(SecurityMaterial material, Map<String, String> newPasswords, Path envFile,
      Runnable writeCache, CertificateStore store, List<String> messages) {
    public void commit(Console console) {
      try {
        for (Map.Entry<String, String> e : newPasswords.entrySet()) {
          GrafanaPassword.saveToEnvFile(envFile, e.getKey(), e.getValue(), e.getKey() + " (basic auth)");
        }
      } catch (IOException e) {
        throw FileAccessException.of("write", envFile, e);
      }
      writeCache.run();
      material.pki().ifPresent(store::commit);
      messages.forEach(console::info);
      material.pki().ifPresent(m -> m.changes().forEach(console::info));
    }
  }

  /** {@link #prepare} without writing: see {@link Prepared#commit}. */
  public static Prepared plan(Workspace ws, KeikoConfig cfg, Path out, boolean write) {
    CertificateStore store = store(out);
    if (!cfg.security().any()) {
      return new Prepared(SecurityMaterial.none(cfg), Map.of(), ws.envFile(), () -> { }, store, List.of());
    }
    Map<String, String> newPasswords = new LinkedHashMap<>();
    List<String> messages = new java.util.ArrayList<>();
    Runnable writeCache = () -> { };
    SecurityMaterial throwaway = null;
    Map<ProtectedEndpoint, String> passwords = new EnumMap<>(ProtectedEndpoint.class);
    Map<ProtectedEndpoint, String> hashes = new EnumMap<>(ProtectedEndpoint.class);
    try {
      Map<String, String> cache = readCache(out);
      boolean cacheChanged = false;
      for (ProtectedEndpoint p : cfg.security().auth() ? SecurityMaterial.enabled(cfg) : java.util.List.<ProtectedEndpoint>of()) {
        Optional<String> pw = SecretsResolver.lookup(ws, p.envVariable());
        if (pw.isEmpty()) {
          pw = previous(out, p);
          if (write) {
            String value = pw.orElseGet(Passwords::generate);
            newPasswords.put(p.envVariable(), value);
            messages.add((pw.isPresent() ? "kept the " : "generated a ") + p.component().service() + " password (user "
                + p.user() + "); saved as " + p.envVariable() + " in " + ws.envFile().getFileName());
            pw = Optional.of(value);
          }
        }
        if (pw.isEmpty()) {
          throwaway = throwaway == null ? SecurityMaterial.ephemeral(cfg) : throwaway;
          passwords.put(p, throwaway.passwords().get(p));
          hashes.put(p, throwaway.hashes().get(p));
          continue;
        }
        passwords.put(p, pw.get());
        String key = p.name() + " " + digest(p.user() + ":" + pw.get());
        String hash = cache.get(key);
        if (hash == null || !hash.startsWith("$2")) {
          hash = Bcrypt.hash(pw.get(), Bcrypt.DEFAULT_COST);
          cache.put(key, hash);
          cacheChanged = true;
        }
        hashes.put(p, hash);
      }
      if (write && cacheChanged) {
        Map<ProtectedEndpoint, String> current = Map.copyOf(passwords);
        writeCache = () -> {
          try {
            writeCache(out, cache, current);
          } catch (IOException e) {
            throw FileAccessException.of("write", out.resolve(PKI_DIR), e);
          }
        };
      }
    } catch (IOException e) {
      throw FileAccessException.of("read", out, e);
    }
    Optional<CertificateStore.Material> pki = Optional.empty();
    if (cfg.security().tls()) {
      if (write) {
        pki = Optional.of(store.plan(SecurityMaterial.servers(cfg), ws.clock().instant(), false));
      } else {
        pki = store.read(SecurityMaterial.servers(cfg)).or(() -> SecurityMaterial.ephemeral(cfg).pki());
      }
    }
    return new Prepared(new SecurityMaterial(cfg.security(), passwords, hashes, pki), newPasswords, ws.envFile(),
        writeCache, store, messages);
  }

  /**
   * Issues every server certificate anew from the CA (a new CA too when it is expiring or unreadable); the next
   * render copies them into secrets/ and `up` recreates the services that mount them.
   */
  public static CertificateStore.Material renew(Workspace ws, KeikoConfig cfg, Path out) {
    return store(out).ensure(SecurityMaterial.servers(cfg), ws.clock().instant(), true);
  }

  /** One line per stored certificate: name, end of validity, days left, and "renew now" within 30 days. */
  public static List<String> expiryLines(Path out, java.time.Instant now) {
    List<String> lines = new java.util.ArrayList<>();
    for (CertificateStore.Expiry e : store(out).expiries()) {
      long days = java.time.Duration.between(now, e.notAfter()).toDays();
      String state = e.notAfter().isBefore(now) ? "EXPIRED: run `keiko-mon certs renew`"
          : e.notAfter().isBefore(now.plus(CertificateStore.RENEW_BEFORE))
              ? "expires soon: run `keiko-mon certs renew` (render and up renew it too)" : "ok";
      lines.add(String.format("%-14s valid until %s (%d days)  %s", e.name(), e.notAfter(), days, state));
    }
    return lines;
  }

  /** The password rendered before (secrets/&lt;service&gt;_password), so a lost .env line does not change it. */
  private static Optional<String> previous(Path out, ProtectedEndpoint p) throws IOException {
    Path file = out.resolve(RenderedTree.SECRETS_DIR + p.passwordFile());
    if (!Files.isRegularFile(file) || Files.size(file) > 4096) {
      return Optional.empty();
    }
    String v = Files.readString(file, StandardCharsets.UTF_8).strip();
    return v.isEmpty() ? Optional.empty() : Optional.of(v);
  }

  private static Map<String, String> readCache(Path out) throws IOException {
    Map<String, String> cache = new LinkedHashMap<>();
    Path file = out.resolve(PKI_DIR).resolve(HASH_CACHE);
    if (!Files.isRegularFile(file) || Files.size(file) > 64 * 1024) {
      return cache;
    }
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      String[] parts = line.split(" ");
      if (parts.length == 3) {
        cache.put(parts[0] + " " + parts[1], parts[2]);
      }
    }
    return cache;
  }

  /** Only the current passwords' entries: a rotated password's hash is dropped. */
  private static void writeCache(Path out, Map<String, String> cache, Map<ProtectedEndpoint, String> passwords)
      throws IOException {
    StringBuilder b = new StringBuilder();
    for (Map.Entry<ProtectedEndpoint, String> e : passwords.entrySet()) {
      String key = e.getKey().name() + " " + digest(e.getKey().user() + ":" + e.getValue());
      if (cache.containsKey(key)) {
        b.append(key).append(' ').append(cache.get(key)).append('\n');
      }
    }
    Path dir = out.resolve(PKI_DIR);
    Files.createDirectories(dir);
    AtomicFiles.setPermissions(dir, AtomicFiles.PRIVATE_DIR);
    AtomicFiles.write(dir.resolve(HASH_CACHE), b.toString().getBytes(StandardCharsets.UTF_8), AtomicFiles.PRIVATE);
  }

  private static String digest(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
