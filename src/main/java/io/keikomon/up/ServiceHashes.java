package io.keikomon.up;

import io.keikomon.core.FileAccessException;
import io.keikomon.compose.ComposeModel;
import io.keikomon.compose.ComposeModel.MountType;
import io.keikomon.compose.ComposeModel.Service;
import io.keikomon.core.Digests;
import io.keikomon.engine.Hardening;
import io.keikomon.core.FileDigest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The two fingerprints of a service that decide between keep, reload and recreate.
 *
 * <p>The spec hash covers everything that is fixed when a container is created (so a change needs a new
 * container); depends_on is left out, as Compose does, because it only orders start-up. The config hash covers
 * the bytes of the files the service bind-mounts from the rendered folder: they are read live by the container,
 * so a change there may only need a reload. Files are streamed: a stray tarball in a mounted folder costs time,
 * never memory. Binds outside the rendered folder (such as node-exporter's
 * {@code /}) are not the stack's configuration and are not hashed.
 */
public final class ServiceHashes {
  private ServiceHashes() {}

  /**
   * Hash of the listed fields only, each written out explicitly (never a record's {@code toString()}), so a
   * field added to {@link Service} or its parts in a later keiko-mon does not change the hash of every
   * existing container. The text is the one earlier versions hashed, so upgrading recreates nothing.
   */
  public static String spec(ComposeModel model, Service s) {
    StringBuilder b = new StringBuilder();
    b.append("image=").append(s.image()).append('\n');
    b.append("command=").append(optional(s.command().map(ServiceHashes::list))).append('\n');
    b.append("entrypoint=").append(optional(s.entrypoint().map(ServiceHashes::list))).append('\n');
    b.append("environment=").append(map(s.environment())).append('\n');
    b.append("ports=").append(list(s.ports().stream().map(ServiceHashes::port).toList())).append('\n');
    for (ComposeModel.Mount m : s.mounts()) {
      String source = m.type() == MountType.VOLUME ? "volume:" + model.volumeName(m.source()) : m.source();
      b.append("mount=").append(source).append('|').append(m.target()).append('|').append(m.readOnly())
          .append('|').append(m.propagation()).append('\n');
    }
    b.append("healthcheck=").append(optional(s.healthcheck().map(ServiceHashes::health))).append('\n');
    b.append("extra_hosts=").append(list(s.extraHosts())).append('\n');
    b.append("restart=").append(s.restart()).append('\n');
    b.append("container_name=").append(s.containerName()).append('\n');
    b.append("network=").append(s.networkMode().orElse(model.defaultNetworkName())).append('\n');
    b.append("pid=").append(optional(s.pid())).append('\n');
    b.append("labels=").append(map(s.labels())).append('\n');
    b.append("user=").append(optional(s.user())).append('\n');
    if (!s.hardening().isNone()) {
      // only when set, so the hash of a service without it stays what earlier versions computed
      b.append("hardening=").append(hardening(s.hardening())).append('\n');
    }
    return Digests.sha256Hex(b.toString());
  }

  private static String hardening(Hardening h) {
    return "security_opt=" + list(h.securityOpt()) + " cap_add=" + list(h.capAdd()) + " cap_drop=" + list(h.capDrop())
        + " read_only=" + h.readOnlyRootfs() + " tmpfs=" + list(h.tmpfs()) + " memory=" + h.memoryBytes()
        + " log=" + h.logDriver() + map(h.logOptions());
  }

  private static String port(ComposeModel.Port p) {
    return (p.hostIp().isEmpty() ? "" : p.hostIp() + ":") + (p.published() == 0 ? "" : p.published() + ":")
        + p.target() + "/" + p.protocol();
  }

  private static String health(ComposeModel.Health h) {
    return "Health[test=" + list(h.test()) + ", intervalNanos=" + h.intervalNanos() + ", timeoutNanos="
        + h.timeoutNanos() + ", startPeriodNanos=" + h.startPeriodNanos() + ", retries=" + h.retries() + "]";
  }

  private static String optional(Optional<String> value) {
    return value.map(v -> "Optional[" + v + "]").orElse("Optional.empty");
  }

  private static String list(List<String> items) {
    return "[" + String.join(", ", items) + "]";
  }

  /** Keys in sorted order (the model sorts them already; sorting here keeps the hash independent of that). */
  private static String map(Map<String, String> entries) {
    StringBuilder b = new StringBuilder("{");
    new TreeMap<>(entries).forEach((k, v) -> b.append(b.length() > 1 ? ", " : "").append(k).append('=').append(v));
    return b.append('}').toString();
  }

  public static String config(ComposeModel model, Service s) {
    return config(model, s, m -> true);
  }

  /**
   * The config hash of the mounted files {@code s} does not reload live although it reloads others (Grafana's
   * admin password secret is read only at start); the hash of nothing for every other service.
   */
  public static String fixedConfig(ComposeModel model, Service s) {
    Optional<ReloadKind> kind = ReloadKind.of(s);
    return config(model, s, m -> kind.isPresent() && !kind.get().reloads(s, m));
  }

  private static String config(ComposeModel model, Service s, Predicate<ComposeModel.Mount> include) {
    MessageDigest d = Digests.sha256();
    Path root = model.workingDir();
    for (ComposeModel.Mount m : s.mounts()) {
      if (m.type() != MountType.BIND || !include.test(m)) {
        continue;
      }
      Path source = root.resolve(m.source());
      if (!source.normalize().startsWith(root.normalize())) {
        continue;
      }
      update(d, "mount " + m.target() + "\n");
      try {
        if (Files.isDirectory(source)) {
          List<Path> files;
          try (Stream<Path> walk = Files.walk(source)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
          }
          for (Path f : files) {
            update(d, "file " + source.relativize(f) + "\n");
            FileDigest.update(d, f);
          }
        } else if (Files.isRegularFile(source)) {
          FileDigest.update(d, source);
        } else {
          update(d, "missing\n");
        }
      } catch (IOException e) {
        throw FileAccessException.of("read", source, e);
      }
    }
    return HexFormat.of().formatHex(d.digest());
  }

  private static void update(MessageDigest d, String s) {
    d.update(s.getBytes(StandardCharsets.UTF_8));
  }
}
