package io.keikomon.core;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads a tar stream entry by entry without holding it in memory: ustar (name prefix), PAX extended headers
 * ({@code path}, {@code linkpath}, {@code size}) and GNU long names, which is what {@link TarWriter}, GNU tar and the
 * engine's copy-from-container (Go's archive/tar) write. Every header's checksum is checked, and a stream that ends
 * before the end-of-archive marker is an {@link EOFException}: a truncated or damaged archive never reads as a
 * shorter good one.
 */
public final class TarReader implements AutoCloseable {
  /** The kinds of entries keiko-mon deals in; everything else (devices, fifos) is {@link #OTHER}. */
  public enum Type { FILE, DIRECTORY, SYMLINK, HARDLINK, OTHER }

  /** One entry; {@link TarReader#content()} reads its bytes until the next call of {@link TarReader#next()}. */
  public record Entry(String name, Type type, long size, int mode, int uid, int gid, long mtime, String linkName) {
  }

  private static final int BLOCK = TarWriter.BLOCK;

  private final InputStream in;
  private long remaining;
  private long padding;
  private boolean ended;
  private long offset;

  public TarReader(InputStream in) {
    this.in = in;
  }

  /** The next entry, or null at the end-of-archive marker. */
  public Entry next() throws IOException {
    if (ended) {
      return null;
    }
    skip(remaining + padding);
    remaining = 0;
    padding = 0;
    String longName = null;
    String longLink = null;
    Long paxSize = null;
    while (true) {
      byte[] h = new byte[BLOCK];
      long at = offset;
      if (!readFully(h, true)) {
        throw new EOFException("the tar stream ends without its end-of-archive marker (truncated)");
      }
      if (isZero(h)) {
        ended = true;
        return null;
      }
      verifyChecksum(h, at);
      char type = (char) h[156];
      long size = number(h, 124, 12, at);
      if (type == 'x' || type == 'g' || type == 'L' || type == 'K') {
        byte[] data = readData(size, at);
        if (type == 'L') {
          longName = cString(data, 0, data.length);
        } else if (type == 'K') {
          longLink = cString(data, 0, data.length);
        } else if (type == 'x') {
          String records = new String(data, StandardCharsets.UTF_8);
          for (Pax p : pax(records, at)) {
            switch (p.key) {
              case "path" -> longName = p.value;
              case "linkpath" -> longLink = p.value;
              case "size" -> paxSize = parseSize(p.value, at);
              default -> { }
            }
          }
        }
        continue;
      }
      String name = longName != null ? longName : headerName(h);
      String link = longLink != null ? longLink : cString(h, 157, 100);
      if (paxSize != null) {
        size = paxSize;
      }
      Type kind = switch (type) {
        case '0', '\0', '7' -> Type.FILE;
        case '5' -> Type.DIRECTORY;
        case '2' -> Type.SYMLINK;
        case '1' -> Type.HARDLINK;
        default -> Type.OTHER;
      };
      if (kind == Type.DIRECTORY || kind == Type.SYMLINK || kind == Type.HARDLINK) {
        size = kind == Type.DIRECTORY ? 0 : size;
      }
      remaining = size;
      padding = size % BLOCK == 0 ? 0 : BLOCK - size % BLOCK;
      return new Entry(name, kind, size, (int) number(h, 100, 8, at), (int) number(h, 108, 8, at),
          (int) number(h, 116, 8, at), number(h, 136, 12, at), link);
    }
  }

  /** The bytes of the current entry; ends at its end, and an archive that ends sooner is an {@link EOFException}. */
  public InputStream content() {
    return new InputStream() {
      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (remaining <= 0) {
          return -1;
        }
        int n = in.read(b, off, (int) Math.min(len, remaining));
        if (n < 0) {
          throw new EOFException("the tar stream ends inside an entry (truncated)");
        }
        remaining -= n;
        offset += n;
        return n;
      }
    };
  }

  @Override
  public void close() throws IOException {
    in.close();
  }

  private byte[] readData(long size, long at) throws IOException {
    if (size > (1 << 20)) {
      throw new IOException("tar extended header at byte " + at + " claims " + size + " bytes");
    }
    byte[] data = new byte[(int) size];
    if (!readFully(data, false)) {
      throw new EOFException("the tar stream ends inside an extended header (truncated)");
    }
    skip(size % BLOCK == 0 ? 0 : BLOCK - size % BLOCK);
    return data;
  }

  /** False when the stream ended before the first byte and {@code eofOk}. */
  private boolean readFully(byte[] b, boolean eofOk) throws IOException {
    int done = 0;
    while (done < b.length) {
      int n = in.read(b, done, b.length - done);
      if (n < 0) {
        if (done == 0 && eofOk) {
          return false;
        }
        throw new EOFException("the tar stream ends mid-block (truncated)");
      }
      done += n;
      offset += n;
    }
    return true;
  }

  private void skip(long n) throws IOException {
    byte[] buffer = new byte[8192];
    while (n > 0) {
      int r = in.read(buffer, 0, (int) Math.min(buffer.length, n));
      if (r < 0) {
        throw new EOFException("the tar stream ends inside an entry (truncated)");
      }
      n -= r;
      offset += r;
    }
  }

  private static boolean isZero(byte[] h) {
    for (byte b : h) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  private static void verifyChecksum(byte[] h, long at) throws IOException {
    long stored = number(h, 148, 8, at);
    long unsigned = 0;
    long signed = 0;
    for (int i = 0; i < BLOCK; i++) {
      int b = (i >= 148 && i < 156) ? ' ' : h[i];
      unsigned += b & 0xff;
      signed += (i >= 148 && i < 156) ? ' ' : h[i];
    }
    if (stored != unsigned && stored != signed) {
      throw new IOException("tar header at byte " + at + " is damaged (checksum " + stored + ", computed "
          + unsigned + ")");
    }
  }

  private static String headerName(byte[] h) {
    String name = cString(h, 0, 100);
    boolean ustar = h[257] == 'u' && h[258] == 's' && h[259] == 't' && h[260] == 'a' && h[261] == 'r';
    String prefix = ustar ? cString(h, 345, 155) : "";
    return prefix.isEmpty() ? name : prefix + "/" + name;
  }

  private static String cString(byte[] b, int off, int len) {
    int end = off;
    while (end < off + len && b[end] != 0) {
      end++;
    }
    return new String(b, off, end - off, StandardCharsets.UTF_8);
  }

  /** Octal (NUL/space terminated) or GNU base-256 (high bit set). */
  private static long number(byte[] h, int off, int len, long at) throws IOException {
    if ((h[off] & 0x80) != 0) {
      long v = h[off] & 0x7f;
      for (int i = off + 1; i < off + len; i++) {
        v = (v << 8) | (h[i] & 0xff);
      }
      return v;
    }
    long v = 0;
    boolean any = false;
    for (int i = off; i < off + len; i++) {
      byte c = h[i];
      if (c == 0 || (c == ' ' && any)) {
        break;
      }
      if (c == ' ') {
        continue;
      }
      if (c < '0' || c > '7') {
        throw new IOException("tar header at byte " + at + " is damaged (not an octal number at offset " + off + ")");
      }
      v = v * 8 + (c - '0');
      any = true;
    }
    return v;
  }

  private record Pax(String key, String value) {
  }

  private static java.util.List<Pax> pax(String records, long at) throws IOException {
    java.util.List<Pax> out = new java.util.ArrayList<>();
    byte[] bytes = records.getBytes(StandardCharsets.UTF_8);
    int i = 0;
    while (i < bytes.length) {
      int space = i;
      while (space < bytes.length && bytes[space] != ' ') {
        space++;
      }
      int length;
      try {
        length = Integer.parseInt(new String(bytes, i, space - i, StandardCharsets.US_ASCII));
      } catch (NumberFormatException e) {
        throw new IOException("tar extended header at byte " + at + " is damaged");
      }
      if (length <= 0 || i + length > bytes.length) {
        throw new IOException("tar extended header at byte " + at + " is damaged");
      }
      String record = new String(bytes, space + 1, i + length - space - 2, StandardCharsets.UTF_8);
      int eq = record.indexOf('=');
      if (eq > 0) {
        out.add(new Pax(record.substring(0, eq), record.substring(eq + 1)));
      }
      i += length;
    }
    return out;
  }

  private static long parseSize(String v, long at) throws IOException {
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new IOException("tar extended header at byte " + at + " has a bad size: " + v);
    }
  }
}
