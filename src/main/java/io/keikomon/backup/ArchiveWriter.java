package io.keikomon.backup;

import io.keikomon.core.Digests;
import io.keikomon.core.TarWriter;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Streams a backup: a gzip-compressed tar whose entries are hashed as they pass, with {@link Manifest#FILE} written
 * last (it holds every other entry's SHA-256). Nothing is held in memory but one buffer.
 *
 * <p>Compression is gzip's fastest level: most of a backup is TSDB chunks, already compressed by Prometheus, where a
 * higher level costs CPU time and saves next to nothing.
 */
final class ArchiveWriter implements AutoCloseable {
  private final Counting counted;
  private final GZIPOutputStream gzip;
  private final Deflater deflater;
  private final TarWriter tar;
  private final List<Manifest.Entry> entries = new ArrayList<>();
  private final Set<String> paths = new HashSet<>();
  private long contentBytes;
  private boolean finished;

  /** {@code sink} is not closed (it may be stdout); it is flushed when the archive is complete. */
  ArchiveWriter(OutputStream sink, long mtimeSeconds) throws IOException {
    this.counted = new Counting(sink);
    this.deflater = new Deflater(Deflater.BEST_SPEED, true);
    this.gzip = new GZIPOutputStream(new BufferedOutputStream(counted, 1 << 18), 1 << 18) {
      {
        def.end();
        def = deflater;
      }
    };
    this.tar = new TarWriter(gzip, mtimeSeconds);
  }

  /** Streams exactly {@code size} bytes of {@code in} as {@code path}, hashing them on the way. */
  void add(String path, InputStream in, long size, int mode, int uid, int gid) throws IOException {
    add(path, in, size, mode, uid, gid, true);
  }

  /**
   * As {@link #add(String, InputStream, long, int, int, int)}; {@code compress} false stores the content as it is
   * (deflate's stored blocks: still gzip, still CRC-checked), for data that does not shrink, like TSDB chunks.
   */
  void add(String path, InputStream in, long size, int mode, int uid, int gid, boolean compress) throws IOException {
    claim(path);
    level(compress ? Deflater.BEST_SPEED : Deflater.NO_COMPRESSION);
    MessageDigest sha = Digests.sha256();
    tar.file(path, new DigestInputStream(in, sha), size, mode, uid, gid);
    entries.add(new Manifest.Entry(path, size, HexFormat.of().formatHex(sha.digest())));
    contentBytes += size;
  }

  void add(String path, byte[] content, int mode) throws IOException {
    add(path, new java.io.ByteArrayInputStream(content), content.length, mode, 0, 0);
  }

  /** The level applies from the next write on: GZIPOutputStream flushes what the old level had pending. */
  private void level(int level) throws IOException {
    if (level != currentLevel) {
      gzip.flush();
      deflater.setLevel(level);
      currentLevel = level;
    }
  }

  private int currentLevel = Deflater.BEST_SPEED;

  List<Manifest.Entry> entries() {
    return List.copyOf(entries);
  }

  long contentBytes() {
    return contentBytes;
  }

  /** Compressed bytes written so far. */
  long archiveBytes() {
    return counted.count;
  }

  /** Writes the manifest (made from the entries written) and the end of the archive. */
  Manifest finish(Function<List<Manifest.Entry>, Manifest> manifest) throws IOException {
    Manifest m = manifest.apply(entries());
    byte[] json = m.toJson();
    claim(Manifest.FILE);
    level(Deflater.BEST_SPEED);
    tar.file(Manifest.FILE, json, 0644, 0, 0);
    tar.finish();
    gzip.finish();
    gzip.flush();
    finished = true;
    return m;
  }

  boolean finished() {
    return finished;
  }

  /** Ends the gzip stream; the sink stays open. */
  @Override
  public void close() throws IOException {
    if (!finished) {
      gzip.finish();
    }
    gzip.flush();
  }

  private void claim(String path) throws IOException {
    if (!paths.add(path)) {
      throw new IOException("the archive already holds " + path);
    }
  }

  private static final class Counting extends FilterOutputStream {
    long count;

    Counting(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }

    @Override
    public void close() throws IOException {
      flush(); // the sink belongs to the caller
    }
  }
}
