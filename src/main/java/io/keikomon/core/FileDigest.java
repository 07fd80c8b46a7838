package io.keikomon.core;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;

/** Feeds a file to a digest through a small buffer: memory stays bounded whatever the file's size. */
public final class FileDigest {
  private FileDigest() {}

  public static void update(MessageDigest d, Path file) throws IOException {
    byte[] buffer = new byte[64 << 10];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buffer)) > 0; ) {
        d.update(buffer, 0, n);
      }
    }
  }
}
