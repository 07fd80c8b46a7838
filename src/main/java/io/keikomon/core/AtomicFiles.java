package io.keikomon.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes whole files so that a reader (or a crash) sees either the old or the new content: a temporary
 * file in the same folder, then an atomic rename over the target.
 */
public final class AtomicFiles {
  /** Readable by the containers' own users (nobody, grafana, ...), which bind mounts expose them to. */
  public static final Set<PosixFilePermission> READABLE = PosixFilePermissions.fromString("rw-r--r--");
  public static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rw-------");
  public static final Set<PosixFilePermission> PRIVATE_DIR = PosixFilePermissions.fromString("rwx------");

  private static final long PID = ProcessHandle.current().pid();
  private static final AtomicLong COUNTER = new AtomicLong();

  private AtomicFiles() {}

  public static void write(Path target, byte[] content, Set<PosixFilePermission> permissions) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    // Not Files.createTempFile: its random names cost a SecureRandom, a noticeable share of a render's
    // start-up. CREATE_NEW still refuses to reuse a name that exists.
    Path temp = dir.resolve("." + target.getFileName() + "." + PID + "-" + COUNTER.incrementAndGet() + ".tmp");
    try {
      try (SeekableByteChannel channel = create(temp, permissions)) {
        ByteBuffer buffer = ByteBuffer.wrap(content);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
      }
      setPermissions(temp, permissions);
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /**
   * Rewrites an existing file in place: same inode, so a container that bind-mounts this one file (a Compose file
   * secret) sees the new content, which a rename over it ({@link #write}) would hide from it. Not atomic: a reader in
   * the microseconds of the write may see a torn value; the secrets written this way are re-read at each use.
   */
  public static void overwriteInPlace(Path target, byte[] content) throws IOException {
    try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(target, StandardOpenOption.WRITE)) {
      ByteBuffer buffer = ByteBuffer.wrap(content);
      long position = 0;
      while (buffer.hasRemaining()) {
        position += channel.write(buffer, position);
      }
      // no fsync: it would widen the moment in which a rotated password and its hash disagree
      channel.truncate(content.length);
    }
  }

  /** Born with (at most) its final permissions, so a private file is never readable by others, even briefly. */
  private static SeekableByteChannel create(Path temp, Set<PosixFilePermission> permissions) throws IOException {
    Set<StandardOpenOption> options = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    if (Files.getFileAttributeView(temp.getParent(), PosixFileAttributeView.class) == null) {
      return Files.newByteChannel(temp, options);
    }
    return Files.newByteChannel(temp, options, PosixFilePermissions.asFileAttribute(permissions));
  }

  /** Sets POSIX permissions where the file system has them (not on Windows). */
  public static void setPermissions(Path path, Set<PosixFilePermission> permissions) throws IOException {
    PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
    if (view != null) {
      view.setPermissions(permissions);
    }
  }
}
