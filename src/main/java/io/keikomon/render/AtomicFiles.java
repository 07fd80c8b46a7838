package io.keikomon.render;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Writes whole files so that a reader (or a crash) sees either the old or the new content: a temporary
 * file in the same folder, then an atomic rename over the target.
 */
final class AtomicFiles {
  /** Readable by the containers' own users (nobody, grafana, ...), which bind mounts expose them to. */
  static final Set<PosixFilePermission> READABLE = PosixFilePermissions.fromString("rw-r--r--");
  static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rw-------");
  static final Set<PosixFilePermission> PRIVATE_DIR = PosixFilePermissions.fromString("rwx------");

  private AtomicFiles() {}

  static void write(Path target, byte[] content, Set<PosixFilePermission> permissions) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path temp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
    try {
      Files.write(temp, content);
      setPermissions(temp, permissions);
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** Sets POSIX permissions where the file system has them (not on Windows). */
  static void setPermissions(Path path, Set<PosixFilePermission> permissions) throws IOException {
    PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
    if (view != null) {
      view.setPermissions(permissions);
    }
  }
}
