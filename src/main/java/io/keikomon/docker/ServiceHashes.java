package io.keikomon.docker;

import io.keikomon.core.FileDigest;
import io.keikomon.docker.ComposeModel.MountType;
import io.keikomon.docker.ComposeModel.Service;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
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

  public static String spec(ComposeModel model, Service s) {
    StringBuilder b = new StringBuilder();
    b.append("image=").append(s.image()).append('\n');
    b.append("command=").append(s.command()).append('\n');
    b.append("entrypoint=").append(s.entrypoint()).append('\n');
    b.append("environment=").append(s.environment()).append('\n');
    b.append("ports=").append(s.ports()).append('\n');
    for (ComposeModel.Mount m : s.mounts()) {
      String source = m.type() == MountType.VOLUME ? "volume:" + model.volumeName(m.source()) : m.source();
      b.append("mount=").append(source).append('|').append(m.target()).append('|').append(m.readOnly())
          .append('|').append(m.propagation()).append('\n');
    }
    b.append("healthcheck=").append(s.healthcheck()).append('\n');
    b.append("extra_hosts=").append(s.extraHosts()).append('\n');
    b.append("restart=").append(s.restart()).append('\n');
    b.append("container_name=").append(s.containerName()).append('\n');
    b.append("network=").append(s.networkMode().orElse(model.defaultNetworkName())).append('\n');
    b.append("pid=").append(s.pid()).append('\n');
    b.append("labels=").append(s.labels()).append('\n');
    b.append("user=").append(s.user()).append('\n');
    return sha256(b.toString().getBytes(StandardCharsets.UTF_8));
  }

  public static String config(ComposeModel model, Service s) {
    MessageDigest d = digest();
    Path root = model.workingDir();
    for (ComposeModel.Mount m : s.mounts()) {
      if (m.type() != MountType.BIND) {
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
        throw new UncheckedIOException("cannot read " + source + ": " + e.getMessage(), e);
      }
    }
    return HexFormat.of().formatHex(d.digest());
  }

  private static void update(MessageDigest d, String s) {
    d.update(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String sha256(byte[] bytes) {
    return HexFormat.of().formatHex(digest().digest(bytes));
  }

  private static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK always has SHA-256", e);
    }
  }
}
