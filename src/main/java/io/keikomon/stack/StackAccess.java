package io.keikomon.stack;

import io.keikomon.api.BasicAuth;
import io.keikomon.api.DirectTransport;
import io.keikomon.api.Tls;
import io.keikomon.core.Component;
import io.keikomon.core.ProtectedEndpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * How keiko-mon's own clients (reload, readiness, status, doctor, and later backup) authenticate to a component and
 * which CA they trust, read from what render wrote into the output folder: {@code secrets/<service>_password} means
 * the component asks for basic auth, {@code secrets/<service>.crt} with {@code secrets/ca.crt} that it speaks TLS
 * with a certificate of keiko-mon's CA. Nothing there (security off, or a component that has none): plain HTTP.
 * The one place credentials flow from; every transport to the stack is built through it.
 */
public final class StackAccess {
  /** Plain HTTP, no credentials. */
  public static final StackAccess PLAIN = new StackAccess(null);

  private final Path secretsDir;

  private StackAccess(Path secretsDir) {
    this.secretsDir = secretsDir;
  }

  /** The access the stack rendered into {@code outputDir} (null: plain). */
  public static StackAccess of(Path outputDir) {
    return outputDir == null ? PLAIN : new StackAccess(outputDir.resolve("secrets"));
  }

  /** Basic auth from the rendered password file (read at each request, so a rotation applies at once). */
  public Optional<BasicAuth> auth(Component c) {
    return ProtectedEndpoint.of(c).filter(p -> exists(p.passwordFile()))
        .map(p -> BasicAuth.fromSecretFile(p.user(), secretsDir.resolve(p.passwordFile())));
  }

  /** True when {@code c} serves HTTPS with a certificate of the local CA. */
  public boolean tls(Component c) {
    return ProtectedEndpoint.of(c).filter(p -> exists(p.certificateFile()) && exists(ProtectedEndpoint.CA_FILE))
        .isPresent();
  }

  /** HTTPS trusting only the local CA for a TLS component, else plain HTTP. */
  public Tls transportSecurity(Component c) {
    return tls(c) ? Tls.caCertificate(secretsDir.resolve(ProtectedEndpoint.CA_FILE)) : Tls.PLAIN_HTTP;
  }

  /** A transport builder to {@code host:port} (where {@code c} is published) with its credentials and CA. */
  public DirectTransport.Builder direct(Component c, String host, int port) {
    DirectTransport.Builder b = DirectTransport.builder(host, port).tls(transportSecurity(c));
    auth(c).ifPresent(b::basicAuth);
    return b;
  }

  /** The CA certificate file, when the stack has one. */
  public Optional<Path> caFile() {
    return secretsDir != null && exists(ProtectedEndpoint.CA_FILE)
        ? Optional.of(secretsDir.resolve(ProtectedEndpoint.CA_FILE)) : Optional.empty();
  }

  private boolean exists(String file) {
    return secretsDir != null && Files.isRegularFile(secretsDir.resolve(file));
  }

  @Override
  public String toString() {
    return "StackAccess[" + (secretsDir == null ? "plain" : secretsDir) + "]";
  }
}
