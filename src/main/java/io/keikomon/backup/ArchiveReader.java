package io.keikomon.backup;

import io.keikomon.core.Digests;
import io.keikomon.core.TarReader;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads a backup archive as a stream, twice if need be: {@link #verify} proves it whole (every entry's size and SHA-256
 * as the manifest says, nothing missing or extra, gzip's own CRC at the end) before anything is changed;
 * {@link #extract} then hands the entries of the parts being restored to a visitor, checking each again, so an
 * archive replaced in between is caught too.
 */
public final class ArchiveReader {
  /** Handles one entry; reading {@code content} is optional. */
  @FunctionalInterface
  public interface Visitor {
    void entry(TarReader.Entry entry, InputStream content) throws IOException;
  }

  private final Path file;

  public ArchiveReader(Path file) {
    this.file = file;
  }

  public Path file() {
    return file;
  }

  /** The manifest of a complete, untouched archive; anything else is an {@link InvalidArchiveException}. */
  public Manifest verify() {
    Map<String, Manifest.Entry> seen = new LinkedHashMap<>();
    byte[][] manifest = new byte[1][];
    read((entry, content) -> {
      if (entry.type() != TarReader.Type.FILE) {
        throw new IOException("unexpected " + entry.type().name().toLowerCase() + " entry " + entry.name());
      }
      if (entry.name().equals(Manifest.FILE)) {
        if (entry.size() > 64L << 20) {
          throw new IOException("manifest.json is " + entry.size() + " bytes");
        }
        manifest[0] = content.readAllBytes();
        return;
      }
      if (manifest[0] != null) {
        throw new IOException("entry " + entry.name() + " follows manifest.json");
      }
      MessageDigest sha = Digests.sha256();
      long size = new DigestInputStream(content, sha).transferTo(java.io.OutputStream.nullOutputStream());
      if (seen.put(entry.name(), new Manifest.Entry(entry.name(), size, HexFormat.of().formatHex(sha.digest())))
          != null) {
        throw new IOException("entry " + entry.name() + " appears twice");
      }
    });
    if (manifest[0] == null) {
      throw invalid("it has no manifest.json", null);
    }
    Manifest m;
    try {
      m = Manifest.parse(manifest[0]);
    } catch (IOException e) {
      throw invalid("its manifest.json does not parse (" + e.getMessage() + ")", e);
    }
    if (m.formatVersion() != Manifest.FORMAT_VERSION) {
      throw invalid("its format version is " + m.formatVersion() + "; this keiko-mon reads version "
          + Manifest.FORMAT_VERSION, null);
    }
    if (m.project() == null || m.project().isEmpty()) {
      throw invalid("its manifest names no project", null);
    }
    Map<String, Manifest.Entry> listed = new HashMap<>();
    m.entries().forEach(e -> listed.put(e.path(), e));
    for (Manifest.Entry want : m.entries()) {
      Manifest.Entry got = seen.get(want.path());
      if (got == null) {
        throw invalid(want.path() + " is listed in the manifest but missing", null);
      }
      if (got.size() != want.size()) {
        throw invalid(want.path() + " is " + got.size() + " bytes, the manifest says " + want.size(), null);
      }
      if (!got.sha256().equals(want.sha256())) {
        throw invalid(want.path() + " does not match its checksum (sha256 " + got.sha256() + ", the manifest says "
            + want.sha256() + ")", null);
      }
    }
    for (String path : seen.keySet()) {
      if (!listed.containsKey(path)) {
        throw invalid(path + " is in the archive but not in its manifest", null);
      }
    }
    return m;
  }

  /** Hands every entry under one of {@code folders} to {@code visitor}, checking it against {@code manifest}. */
  public void extract(Manifest manifest, List<String> folders, Visitor visitor) {
    Map<String, Manifest.Entry> listed = new HashMap<>();
    manifest.entries().forEach(e -> listed.put(e.path(), e));
    read((entry, content) -> {
      if (entry.name().equals(Manifest.FILE) || folders.stream().noneMatch(entry.name()::startsWith)) {
        return;
      }
      Manifest.Entry want = listed.get(entry.name());
      if (want == null) {
        throw new IOException(entry.name() + " is not in the manifest");
      }
      MessageDigest sha = Digests.sha256();
      DigestInputStream hashed = new DigestInputStream(content, sha);
      visitor.entry(entry, hashed);
      hashed.transferTo(java.io.OutputStream.nullOutputStream());
      if (!HexFormat.of().formatHex(sha.digest()).equals(want.sha256())) {
        throw new IOException(entry.name() + " changed since the archive was verified");
      }
    });
  }

  private void read(Visitor visitor) {
    try (InputStream raw = Files.newInputStream(file);
        GZIPInputStream gz = new GZIPInputStream(new BufferedInputStream(raw, 1 << 16), 1 << 16);
        TarReader tar = new TarReader(gz)) {
      TarReader.Entry e;
      while ((e = tar.next()) != null) {
        visitor.entry(e, tar.content());
      }
      // the rest of the gzip stream: its trailer holds the CRC of everything, checked at its end
      gz.transferTo(java.io.OutputStream.nullOutputStream());
    } catch (InvalidArchiveException e) {
      throw e;
    } catch (NoSuchFileException e) {
      throw new InvalidArchiveException(file + " does not exist", "give the path of a keiko-mon backup archive");
    } catch (EOFException e) {
      throw invalid("it is truncated (" + e.getMessage() + ")", e);
    } catch (ZipException e) {
      throw invalid("it is damaged (gzip: " + e.getMessage() + ")", e);
    } catch (IOException e) {
      throw invalid("it is damaged (" + e.getMessage() + ")", e);
    }
  }

  private InvalidArchiveException invalid(String what, Throwable cause) {
    return new InvalidArchiveException(file + " is not a usable keiko-mon backup: " + what + "; nothing was changed",
        "use another archive (`keiko-mon backup verify FILE` checks one); a copy that was cut short or altered"
            + " cannot be restored", cause);
  }
}
