package io.keikomon.core;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a POSIX ustar archive, the format the engine takes for build contexts and for copying files into a
 * container, and the format of keiko-mon's backups ({@link TarReader} reads it back). Directories, regular files and
 * symlinks; names and sizes ustar cannot hold (a name over 255 bytes, a file of 8 GiB or more) get a PAX extended
 * header first, as GNU tar and Go's archive/tar write it. Content is streamed: nothing is held in memory.
 */
public final class TarWriter implements Closeable {
  static final int BLOCK = 512;
  /** The largest size the 11 octal digits of a ustar header hold. */
  private static final long USTAR_MAX_SIZE = 077777777777L;

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
    try (InputStream in = Files.newInputStream(source)) {
      return file(name, in, size, mode, uid, gid);
    }
  }

  /**
   * Streams exactly {@code size} bytes of {@code in} into the archive under {@code name}; a stream that ends sooner
   * or has more is an {@link IOException} (the file changed while being archived).
   */
  public TarWriter file(String name, InputStream in, long size, int mode, int uid, int gid) throws IOException {
    header(name, mode, uid, gid, size, '0', "");
    byte[] buffer = new byte[1 << 16];
    long left = size;
    while (left > 0) {
      int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
      if (n < 0) {
        throw new IOException(name + " ended after " + (size - left) + " of " + size + " bytes while being archived");
      }
      out.write(buffer, 0, n);
      left -= n;
    }
    if (in.read() >= 0) {
      throw new IOException(name + " grew beyond " + size + " bytes while being archived");
    }
    pad(size);
    return this;
  }

  public TarWriter symlink(String name, String target) throws IOException {
    header(name, 0777, 0, 0, 0, '2', target);
    return this;
  }

  /** Writes the end-of-archive marker and closes the stream. */
  @Override
  public void close() throws IOException {
    finish();
    out.close();
  }

  /** Writes the end-of-archive marker, leaving the stream open for whoever owns it. */
  public void finish() throws IOException {
    out.write(new byte[BLOCK * 2]);
    out.flush();
  }

  private void header(String name, int mode, int uid, int gid, long size, char type, String link)
      throws IOException {
    byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
    byte[] linkBytes = link.getBytes(StandardCharsets.UTF_8);
    byte[] h = new byte[BLOCK];
    boolean fits = placeName(h, name, nameBytes);
    StringBuilder pax = new StringBuilder();
    if (!fits) {
      pax.append(paxRecord("path", name));
      byte[] shortName = truncate(nameBytes, 99);
      System.arraycopy(shortName, 0, h, 0, shortName.length);
    }
    if (size > USTAR_MAX_SIZE) {
      pax.append(paxRecord("size", Long.toString(size)));
    }
    if (linkBytes.length > 100) {
      pax.append(paxRecord("linkpath", link));
      linkBytes = truncate(linkBytes, 100);
    }
    if (!pax.isEmpty()) {
      byte[] records = pax.toString().getBytes(StandardCharsets.UTF_8);
      byte[] x = new byte[BLOCK];
      byte[] xName = truncate(("PaxHeaders/" + name).getBytes(StandardCharsets.UTF_8), 99);
      System.arraycopy(xName, 0, x, 0, xName.length);
      fill(x, 0644, 0, 0, records.length, 'x', new byte[0]);
      out.write(x);
      out.write(records);
      pad(records.length);
    }
    fill(h, mode, uid, gid, Math.min(size, USTAR_MAX_SIZE), type, linkBytes);
    if (size > USTAR_MAX_SIZE) {
      octal(h, 124, 12, 0);
      checksum(h);
    }
    out.write(h);
  }

  /** Puts the name in ustar's name (100) and prefix (155) fields; false when it does not fit there. */
  private static boolean placeName(byte[] h, String name, byte[] nameBytes) {
    if (nameBytes.length <= 100) {
      System.arraycopy(nameBytes, 0, h, 0, nameBytes.length);
      return true;
    }
    int split = name.lastIndexOf('/', Math.min(name.length() - 1, 155));
    if (split <= 0) {
      return false;
    }
    byte[] prefix = name.substring(0, split).getBytes(StandardCharsets.UTF_8);
    byte[] rest = name.substring(split + 1).getBytes(StandardCharsets.UTF_8);
    if (prefix.length > 155 || rest.length > 100 || rest.length == 0) {
      return false;
    }
    System.arraycopy(rest, 0, h, 0, rest.length);
    System.arraycopy(prefix, 0, h, 345, prefix.length);
    return true;
  }

  private void fill(byte[] h, int mode, int uid, int gid, long size, char type, byte[] linkBytes) {
    octal(h, 100, 8, mode);
    octal(h, 108, 8, uid);
    octal(h, 116, 8, gid);
    octal(h, 124, 12, size);
    octal(h, 136, 12, mtime);
    h[156] = (byte) type;
    System.arraycopy(linkBytes, 0, h, 157, linkBytes.length);
    byte[] magic = "ustar\u000000".getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(magic, 0, h, 257, magic.length);
    checksum(h);
  }

  private static void checksum(byte[] h) {
    for (int i = 148; i < 156; i++) {
      h[i] = ' ';
    }
    long sum = 0;
    for (byte b : h) {
      sum += b & 0xff;
    }
    octal(h, 148, 7, sum);
  }

  /** One PAX record: {@code "<length> <key>=<value>\n"}, where the length counts itself. */
  static String paxRecord(String key, String value) {
    int rest = (" " + key + "=" + value + "\n").getBytes(StandardCharsets.UTF_8).length;
    int length = rest + Integer.toString(rest).length();
    if (Integer.toString(length).length() != Integer.toString(rest).length()) {
      length++;
    }
    return length + " " + key + "=" + value + "\n";
  }

  private static byte[] truncate(byte[] bytes, int max) {
    if (bytes.length <= max) {
      return bytes;
    }
    byte[] t = new byte[max];
    System.arraycopy(bytes, 0, t, 0, max);
    return t;
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
