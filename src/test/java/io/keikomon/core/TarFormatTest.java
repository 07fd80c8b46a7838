package io.keikomon.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TarWriter and TarReader against each other and against GNU tar, the reference reader and writer. */
class TarFormatTest {
  static final String LONG = "prometheus/" + "a".repeat(120) + "/" + "b".repeat(150) + "/chunks/000001";

  @Test
  void readsBackWhatItWroteLongNamesAndStreamedContentIncluded() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    byte[] big = new byte[200_000];
    for (int i = 0; i < big.length; i++) {
      big[i] = (byte) (i * 31);
    }
    try (TarWriter tar = new TarWriter(bytes, 1_700_000_000L)) {
      tar.directory("dir", 0755, 65534, 65534);
      tar.file("dir/small.txt", "hello", 0644);
      tar.file(LONG, new ByteArrayInputStream(big), big.length, 0600, 65534, 65534);
      tar.symlink("link", "dir/small.txt");
    }
    List<String> names = new ArrayList<>();
    try (TarReader r = new TarReader(new ByteArrayInputStream(bytes.toByteArray()))) {
      TarReader.Entry e = r.next();
      assertEquals("dir/", e.name());
      assertEquals(TarReader.Type.DIRECTORY, e.type());
      assertEquals(65534, e.uid());
      e = r.next();
      assertEquals("dir/small.txt", e.name());
      assertEquals("hello", new String(r.content().readAllBytes(), StandardCharsets.UTF_8));
      e = r.next();
      assertEquals(LONG, e.name(), "a 300-byte name comes back through the PAX header");
      assertEquals(0600, e.mode());
      assertArrayEquals(big, r.content().readAllBytes());
      e = r.next();
      assertEquals(TarReader.Type.SYMLINK, e.type());
      assertEquals("dir/small.txt", e.linkName());
      names.add(e.name());
      assertNull(r.next());
    }
  }

  @Test
  void skipsUnreadContent() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarWriter tar = new TarWriter(bytes, 0)) {
      tar.file("a", "x".repeat(1000), 0644);
      tar.file("b", "y", 0644);
    }
    try (TarReader r = new TarReader(new ByteArrayInputStream(bytes.toByteArray()))) {
      assertEquals("a", r.next().name());
      assertEquals("b", r.next().name());
      assertEquals("y", new String(r.content().readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  @Test
  void aStreamShorterOrLongerThanItsSizeIsRefused() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    TarWriter tar = new TarWriter(bytes, 0);
    assertThrows(IOException.class, () -> tar.file("f", new ByteArrayInputStream(new byte[10]), 11, 0644, 0, 0));
    assertThrows(IOException.class, () -> tar.file("g", new ByteArrayInputStream(new byte[12]), 11, 0644, 0, 0));
  }

  @Test
  void aTruncatedArchiveIsAnEofNotAShorterArchive() throws IOException {
    byte[] full = sample();
    for (int cut : new int[] {100, 512, 700, full.length - 1024}) {
      byte[] part = java.util.Arrays.copyOf(full, cut);
      assertThrows(EOFException.class, () -> readAll(part), "cut at " + cut);
    }
  }

  @Test
  void aDamagedHeaderIsRefusedByItsChecksum() throws IOException {
    byte[] full = sample();
    full[3] ^= 0x20; // inside the first name
    IOException e = assertThrows(IOException.class, () -> readAll(full));
    assertTrue(e.getMessage().contains("checksum"), e.getMessage());
  }

  @Test
  void gnuTarReadsWhatTarWriterWritesAndTarReaderReadsWhatGnuTarWrites(@TempDir Path dir) throws Exception {
    Path archive = dir.resolve("ours.tar");
    try (TarWriter tar = new TarWriter(Files.newOutputStream(archive), 0)) {
      tar.file(LONG, "content", 0644);
    }
    Process list = new ProcessBuilder("tar", "-tf", archive.toString()).redirectErrorStream(true).start();
    String out = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(list.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, list.exitValue(), out);
    assertEquals(LONG, out.strip());

    Path src = dir.resolve("src");
    Path deep = src.resolve("x".repeat(120)).resolve("y".repeat(120));
    Files.createDirectories(deep);
    Files.writeString(deep.resolve("z".repeat(90)), "gnu");
    Path theirs = dir.resolve("theirs.tar");
    for (String format : new String[] {"pax", "gnu", "ustar"}) {
      Files.deleteIfExists(theirs);
      Process p = new ProcessBuilder("tar", "--format=" + format, "-cf", theirs.toString(), "-C", src.toString(), ".")
          .redirectErrorStream(true).start();
      String msg = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(30, TimeUnit.SECONDS));
      if (p.exitValue() != 0) {
        assertEquals("ustar", format, "only ustar may refuse names this long: " + msg);
        continue;
      }
      boolean found = false;
      try (TarReader r = new TarReader(Files.newInputStream(theirs))) {
        TarReader.Entry e;
        while ((e = r.next()) != null) {
          if (e.type() == TarReader.Type.FILE) {
            assertEquals("./" + src.relativize(deep.resolve("z".repeat(90))), e.name(), format);
            assertEquals("gnu", new String(r.content().readAllBytes(), StandardCharsets.UTF_8));
            found = true;
          }
        }
      }
      assertTrue(found, format);
    }
  }

  private static byte[] sample() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarWriter tar = new TarWriter(bytes, 0)) {
      tar.file("one", "1".repeat(600), 0644);
      tar.file("two", "2", 0644);
    }
    return bytes.toByteArray();
  }

  private static void readAll(byte[] archive) throws IOException {
    try (TarReader r = new TarReader(new ByteArrayInputStream(archive))) {
      while (r.next() != null) {
        try (InputStream in = r.content()) {
          in.readAllBytes();
        }
      }
    }
  }
}
