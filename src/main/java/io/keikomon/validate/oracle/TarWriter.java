package io.keikomon.validate.oracle;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a POSIX ustar archive, the format the engine takes for build contexts and for copying files into
 * a container. Only what keiko-mon needs: directories, regular files and symlinks, names up to 255 bytes.
 */
public final class TarWriter implements Closeable {
  private static final int BLOCK = 512;
  private final OutputStream out;
  private final long mtime;

  /** {@code mtimeSeconds} is stamped on every entry so archives of the same content are identical. */
  public TarWriter(OutputStream out, long mtimeSeconds) {
    this.out = out;
    this.mtime = mtimeSeconds;
  }

  public TarWriter directory(String name, int mode, int uid, int gid) throws IOException {
    header(name.endsWith("/") ? name : name + "/", mode, uid, gid, 0, '5', "");
    return this;
  }

  public TarWriter file(String name, byte[] content, int mode, int uid, int gid) throws IOException {
    header(name, mode, uid, gid, content.length, '0', "");
    out.write(content);
    pad(content.length);
    return this;
  }

  public TarWriter file(String name, String content, int mode) throws IOException {
    return file(name, content.getBytes(StandardCharsets.UTF_8), mode, 0, 0);
  }

  /** Copies a host file (following symlinks) into the archive under {@code name}. */
  public TarWriter file(String name, Path source, int mode, int uid, int gid) throws IOException {
    long size = Files.size(source);
    header(name, mode, uid, gid, size, '0', "");
    try (InputStream in = Files.newInputStream(source)) {
      long copied = in.transferTo(out);
      if (copied != size) {
        throw new IOException(source + " changed size while being archived");
      }
    }
    pad(size);
    return this;
  }

  public TarWriter symlink(String name, String target) throws IOException {
    header(name, 0777, 0, 0, 0, '2', target);
    return this;
  }

  /** Writes the end-of-archive marker; does not close the underlying stream's owner's resources twice. */
  @Override
  public void close() throws IOException {
    out.write(new byte[BLOCK * 2]);
    out.close();
  }

  private void header(String name, int mode, int uid, int gid, long size, char type, String link)
      throws IOException {
    byte[] h = new byte[BLOCK];
    byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
    if (nameBytes.length <= 100) {
      System.arraycopy(nameBytes, 0, h, 0, nameBytes.length);
    } else {
      int split = name.lastIndexOf('/', Math.min(name.length() - 1, 155));
      byte[] prefix = name.substring(0, Math.max(split, 0)).getBytes(StandardCharsets.UTF_8);
      byte[] rest = name.substring(split + 1).getBytes(StandardCharsets.UTF_8);
      if (split <= 0 || prefix.length > 155 || rest.length > 100) {
        throw new IOException("name too long for a tar archive: " + name);
      }
      System.arraycopy(rest, 0, h, 0, rest.length);
      System.arraycopy(prefix, 0, h, 345, prefix.length);
    }
    octal(h, 100, 8, mode);
    octal(h, 108, 8, uid);
    octal(h, 116, 8, gid);
    octal(h, 124, 12, size);
    octal(h, 136, 12, mtime);
    for (int i = 148; i < 156; i++) {
      h[i] = ' ';
    }
    h[156] = (byte) type;
    byte[] linkBytes = link.getBytes(StandardCharsets.UTF_8);
    if (linkBytes.length > 100) {
      throw new IOException("symlink target too long for a tar archive: " + link);
    }
    System.arraycopy(linkBytes, 0, h, 157, linkBytes.length);
    byte[] magic = "ustar\u000000".getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(magic, 0, h, 257, magic.length);
    long sum = 0;
    for (byte b : h) {
      sum += b & 0xff;
    }
    octal(h, 148, 7, sum);
    out.write(h);
  }

  private static void octal(byte[] h, int offset, int length, long value) {
    String s = Long.toOctalString(value);
    int digits = length - 1;
    if (s.length() > digits) {
      throw new IllegalArgumentException("value too large for a tar header field: " + value);
    }
    String padded = "0".repeat(digits - s.length()) + s;
    byte[] bytes = padded.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(bytes, 0, h, offset, digits);
    h[offset + digits] = 0;
  }

  private void pad(long size) throws IOException {
    int rest = (int) (size % BLOCK);
    if (rest != 0) {
      out.write(new byte[BLOCK - rest]);
    }
  }
}
