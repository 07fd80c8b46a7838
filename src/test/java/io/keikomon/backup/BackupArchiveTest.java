package io.keikomon.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keikomon.core.Console;
import io.keikomon.core.ConfirmationRequiredException;
import io.keikomon.core.OperationFailedException;
import io.keikomon.core.TarWriter;
import io.keikomon.core.Workspace;
import io.keikomon.testing.TestWorkspaces;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** The archive format, the config part and the refusals, on jimfs without an engine. */
class BackupArchiveTest {
  static final String KEIKO_YML = "version: 1\nproject: kmunit\nalerting: {none: true}\n";
  final List<String> lines = new ArrayList<>();
  final Console console = new Console() {
    @Override
    public void out(String line) {
      lines.add(line);
    }

    @Override
    public void info(String line) {
      lines.add(line);
    }

    @Override
    public void warn(String line) {
      lines.add("warning: " + line);
    }
  };

  Workspace project() throws IOException {
    Workspace ws = TestWorkspaces.withConfig(KEIKO_YML);
    Files.writeString(ws.envFile(), "GRAFANA_ADMIN_PASSWORD=secret\n");
    Files.createDirectories(ws.templateOverrides().resolve("prometheus"));
    Files.writeString(ws.templateOverrides().resolve("prometheus/extra.ftl"), "# override\n");
    Path out = ws.dir().resolve("monitoring");
    Files.createDirectories(out.resolve("secrets"));
    Files.createDirectories(out.resolve(".keiko-mon"));
    Files.createDirectories(out.resolve("prometheus"));
    Files.writeString(out.resolve("prometheus/prometheus.yml"), "global: {}\n");
    Files.writeString(out.resolve("secrets/grafana_admin_password"), "secret\n");
    Files.writeString(out.resolve(".keiko-mon/ledger.json"), "{}\n");
    Files.writeString(out.resolve(".keiko-mon/render-stamp"), "x\n");
    return ws;
  }

  BackupService service(Workspace ws) {
    return new BackupService(ws, console, () -> {
      throw new AssertionError("a config backup needs no engine");
    }, () -> {
      throw new AssertionError("a config backup needs no engine");
    });
  }

  Path backup(Workspace ws, boolean secrets) {
    Path file = ws.dir().resolve("b.tar.gz");
    service(ws).toFile(new BackupService.Options(Set.of(Part.CONFIG), secrets, "test"), file);
    return file;
  }

  @Test
  void configBackupHoldsConfigTemplatesAndTreeButNoSecretsAndVerifies() throws IOException {
    Workspace ws = project();
    Path file = backup(ws, false);

    Manifest m = new ArchiveReader(file).verify();
    assertEquals("kmunit", m.project());
    assertEquals(List.of("config"), m.parts());
    assertFalse(m.includesSecrets());
    assertEquals(TestWorkspaces.T0.toString(), m.createdAt());
    assertEquals(List.of("config/keiko.yml", "config/templates/prometheus/extra.ftl",
        "config/output/.keiko-mon/ledger.json", "config/output/prometheus/prometheus.yml"),
        m.entries().stream().map(Manifest.Entry::path).toList());
    assertEquals(io.keikomon.core.Digests.sha256Hex(KEIKO_YML), m.entries().get(0).sha256());
    assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertTrue(m.images().containsKey("prometheus"), m.images().toString());
  }

  @Test
  void withSecretsTheFileIsPrivateAndTheManifestSaysSo() throws IOException {
    Workspace ws = project();
    Path file = backup(ws, true);
    Manifest m = new ArchiveReader(file).verify();
    assertTrue(m.includesSecrets());
    List<String> paths = m.entries().stream().map(Manifest.Entry::path).toList();
    assertTrue(paths.contains("config/.env"), paths.toString());
    assertTrue(paths.contains("config/output/secrets/grafana_admin_password"), paths.toString());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
  }

  @Test
  void neverOverwrites() throws IOException {
    Workspace ws = project();
    Path file = backup(ws, false);
    byte[] before = Files.readAllBytes(file);
    OperationFailedException e = assertThrows(OperationFailedException.class, () -> backup(ws, false));
    assertTrue(e.getMessage().contains("already exists"), e.getMessage());
    assertEquals(before.length, Files.readAllBytes(file).length);
  }

  @Test
  void streamsToAnOutputStream() throws IOException {
    Workspace ws = project();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BackupService.Result r = service(ws).toStream(new BackupService.Options(Set.of(Part.CONFIG), false, "t"), out);
    Path file = ws.dir().resolve("streamed.tar.gz");
    Files.write(file, out.toByteArray());
    assertEquals(r.manifest(), new ArchiveReader(file).verify());
    assertEquals(out.size(), r.archiveBytes());
  }

  @Test
  void everySingleFlippedByteOrCutIsCaught() throws IOException {
    Workspace ws = project();
    byte[] good = Files.readAllBytes(backup(ws, false));
    Path doctored = ws.dir().resolve("doctored.tar.gz");
    int undetected = 0;
    // gzip's header bytes 4-9 (mtime, flags, OS) carry no content: a flip there changes nothing that matters
    for (int i = 10; i < good.length; i++) {
      byte[] copy = good.clone();
      copy[i] ^= 0x01;
      Files.write(doctored, copy);
      try {
        new ArchiveReader(doctored).verify();
        // deflate has bits that do not change what they decode to (unused code lengths, the last byte's padding)
        if (!java.util.Arrays.equals(gunzip(good), gunzip(copy))) {
          undetected++;
        }
      } catch (InvalidArchiveException expected) {
        assertTrue(expected.getMessage().contains("nothing was changed"), expected.getMessage());
      }
    }
    assertEquals(0, undetected, "flipped bytes that changed the content and verify did not notice");
    for (int cut : new int[] {0, 5, 20, good.length / 2, good.length - 9, good.length - 1}) {
      Files.write(doctored, java.util.Arrays.copyOf(good, cut));
      InvalidArchiveException e = assertThrows(InvalidArchiveException.class,
          () -> new ArchiveReader(doctored).verify(), "cut at " + cut);
      assertNotNull(e.hint());
    }
  }

  static byte[] gunzip(byte[] gz) throws IOException {
    try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(gz))) {
      return in.readAllBytes();
    }
  }

  @Test
  void anEntryTheManifestDoesNotListOrAMissingManifestIsRefused() throws IOException {
    Workspace ws = TestWorkspaces.jimfs();
    Path file = ws.dir().resolve("x.tar.gz");
    try (TarWriter tar = new TarWriter(new GZIPOutputStream(Files.newOutputStream(file)), 0)) {
      tar.file("config/keiko.yml", "project: x\n", 0644);
    }
    assertTrue(assertThrows(InvalidArchiveException.class, () -> new ArchiveReader(file).verify()).getMessage()
        .contains("no manifest.json"));
    Files.delete(file);
    try (TarWriter tar = new TarWriter(new GZIPOutputStream(Files.newOutputStream(file)), 0)) {
      tar.file("config/smuggled", "x\n", 0644);
      tar.file(Manifest.FILE, new String(new Manifest(1, "t", "x", TestWorkspaces.T0.toString(), false,
          List.of("config"), null, "monitoring", List.of(), null, null, null).toJson()), 0644);
    }
    assertTrue(assertThrows(InvalidArchiveException.class, () -> new ArchiveReader(file).verify()).getMessage()
        .contains("config/smuggled is in the archive but not in its manifest"));
  }

  @Test
  void restoreIntoAnEmptyFolderWritesTheConfigAndStartsTheStack() throws IOException {
    Workspace source = project();
    Path file = backup(source, false);
    Workspace fresh = TestWorkspaces.jimfs();
    Path archive = fresh.dir().resolve("in.tar.gz");
    Files.write(archive, Files.readAllBytes(file));
    AtomicInteger ups = new AtomicInteger();
    RestoreService restore = new RestoreService(fresh, console, () -> {
      throw new AssertionError("a config restore needs no engine of its own");
    }, () -> {
      throw new AssertionError();
    }, ws -> ups.incrementAndGet());

    RestoreService.Result r = restore.restore(archive, new RestoreService.Options(Set.of(), false, false, "t",
        java.time.Duration.ofSeconds(5)));

    assertEquals(KEIKO_YML, Files.readString(fresh.configFile()));
    assertEquals("# override\n", Files.readString(fresh.templateOverrides().resolve("prometheus/extra.ftl")));
    assertEquals("global: {}\n", Files.readString(fresh.dir().resolve("monitoring/prometheus/prometheus.yml")));
    assertFalse(Files.exists(fresh.envFile()), "no secrets in this archive");
    assertEquals(1, ups.get());
    assertEquals(null, r.safetyBackup(), "an empty folder has nothing to save");
  }

  @Test
  void aForeignProjectChangesNothing() throws IOException {
    Workspace source = project();
    Path file = backup(source, false);
    Workspace other = TestWorkspaces.withConfig("version: 1\nproject: other\nalerting: {none: true}\n");
    Path archive = other.dir().resolve("in.tar.gz");
    Files.write(archive, Files.readAllBytes(file));
    RestoreService restore = new RestoreService(other, console, () -> {
      throw new AssertionError("nothing may be touched");
    }, () -> {
      throw new AssertionError();
    }, ws -> {
      throw new AssertionError("nothing may be started");
    });
    InvalidArchiveException e = assertThrows(InvalidArchiveException.class, () -> restore.restore(archive,
        new RestoreService.Options(Set.of(), false, true, "t", java.time.Duration.ofSeconds(5))));
    assertTrue(e.getMessage().contains("backup of project kmunit, but this folder's keiko.yml names project other"),
        e.getMessage());
    assertEquals("version: 1\nproject: other\nalerting: {none: true}\n", Files.readString(other.configFile()));
    assertFalse(Files.exists(other.dir().resolve("monitoring")));
  }

  @Test
  void retentionKeepsTheNewestN() throws IOException {
    Workspace ws = project();
    Path dir = ws.dir().resolve("backups");
    Files.createDirectories(dir);
    for (int i = 0; i < 4; i++) {
      Workspace at = new Workspace(ws.dir(), ws.env(), Clock.fixed(Instant.parse("2026-11-2" + i + "T10:00:00Z"),
          ZoneOffset.UTC));
      new BackupService(at, console, null, null).toDir(new BackupService.Options(Set.of(Part.CONFIG), false, "t"),
          dir, 2);
    }
    Files.writeString(dir.resolve("notes.txt"), "kept");
    try (var files = Files.list(dir)) {
      assertEquals(List.of("kmunit-20261122T100000Z.tar.gz", "kmunit-20261123T100000Z.tar.gz", "notes.txt"),
          files.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }

  @Test
  void storedAndCompressedEntriesMixAndAFlipInStoredContentIsCaught() throws IOException {
    Workspace ws = TestWorkspaces.jimfs();
    Path file = ws.dir().resolve("mixed.tar.gz");
    byte[] chunk = new byte[300_000];
    new java.util.Random(7).nextBytes(chunk);
    try (java.io.OutputStream out = Files.newOutputStream(file); ArchiveWriter w = new ArchiveWriter(out, 0)) {
      w.add("prometheus/01A/meta.json", "{\"ulid\":\"01A\"}".getBytes(), 0644);
      w.add("prometheus/01A/chunks/000001", new java.io.ByteArrayInputStream(chunk), chunk.length, 0644, 0, 0, false);
      w.add("prometheus/01A/index", new java.io.ByteArrayInputStream(new byte[50_000]), 50_000, 0644, 0, 0, true);
      w.finish(entries -> new Manifest(1, "t", "p", TestWorkspaces.T0.toString(), false, List.of("prometheus"), null,
          "monitoring", entries, null, null, null));
    }
    Manifest m = new ArchiveReader(file).verify();
    assertEquals(3, m.entries().size());
    assertEquals(io.keikomon.core.Digests.sha256Hex(chunk), m.entries().get(1).sha256());
    byte[] bytes = Files.readAllBytes(file);
    assertTrue(bytes.length > chunk.length, "stored, not deflated: " + bytes.length);
    bytes[bytes.length / 2] ^= 0x40;
    Files.write(file, bytes);
    assertThrows(InvalidArchiveException.class, () -> new ArchiveReader(file).verify());
  }

  @Test
  void parsesBlockMeta() throws IOException {
    Manifest.Block b = PrometheusPart.block(("{\"ulid\":\"01HZ\",\"minTime\":1000,\"maxTime\":2000,"
        + "\"stats\":{\"numSamples\":42,\"numSeries\":7,\"numChunks\":7},\"compaction\":{\"level\":1},\"version\":1}")
        .getBytes());
    assertEquals(new Manifest.Block("01HZ", 1000, 2000, 7, 42), b);
  }

  @Test
  void aConfirmationIsNeededBeforeAChangedFileIsOverwritten() throws IOException {
    Workspace ws = project();
    Path file = backup(ws, false);
    Files.writeString(ws.dir().resolve("monitoring/prometheus/prometheus.yml"), "global: {changed: true}\n");
    io.keikomon.testing.InMemoryDockerEngine engine = new io.keikomon.testing.InMemoryDockerEngine();
    RestoreService restore = new RestoreService(ws, console, () -> engine,
        () -> new io.keikomon.stack.ComposeStackRuntime(engine, ws.clock()), w -> {
          throw new AssertionError("nothing may be started");
        });
    ConfirmationRequiredException e = assertThrows(ConfirmationRequiredException.class, () -> restore.restore(file,
        new RestoreService.Options(Set.of(Part.CONFIG), false, false, "t", java.time.Duration.ofSeconds(5))));
    assertTrue(e.getMessage().contains("monitoring/prometheus/prometheus.yml"), e.getMessage());
    assertEquals("global: {changed: true}\n", Files.readString(ws.dir().resolve("monitoring/prometheus/prometheus.yml")));

    lines.clear();
    restore.restore(file, new RestoreService.Options(Set.of(Part.CONFIG), true, false, "t",
        java.time.Duration.ofSeconds(5)));
    assertTrue(lines.contains("  overwrite monitoring/prometheus/prometheus.yml (it differs from the backup)"),
        lines.toString());
  }
}
