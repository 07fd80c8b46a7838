package io.keikomon.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import io.keikomon.cli.Services;
import io.keikomon.core.IoErrors;
import io.keikomon.core.Workspace;
import io.keikomon.testing.CliHarness;
import io.keikomon.testing.CliHarness.Result;
import io.keikomon.testing.TestWorkspaces;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Render on a full disk, twice in one second, and with files it cannot read: all-or-nothing, named causes. */
class RenderFaultsTest {
  private static final Map<String, String> ENV = Map.of("GRAFANA_ADMIN_PASSWORD", "s3cret-for-tests");

  /** A project folder on a jimfs disk of {@code bytes}. */
  private static Workspace onDiskOf(long bytes) throws IOException {
    FileSystem fs = Jimfs.newFileSystem(Configuration.unix().toBuilder()
        .setAttributeViews("basic", "owner", "posix", "unix").setBlockSize(1024).setMaxSize(bytes).build());
    Path dir = fs.getPath("/work/project");
    Files.createDirectories(dir);
    return new Workspace(dir, ENV, Clock.fixed(TestWorkspaces.T0, ZoneOffset.UTC));
  }

  private static Map<String, String> snapshot(Path dir) throws IOException {
    Map<String, String> files = new TreeMap<>();
    if (!Files.exists(dir)) {
      return files;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
        files.put(dir.relativize(p).toString(), Files.readString(p));
      }
    }
    return files;
  }

  /** Fills the disk, then frees {@code free} bytes. */
  private static void fill(Path dir, long free) throws IOException {
    Path filler = dir.resolve("filler");
    try (OutputStream o = Files.newOutputStream(filler)) {
      for (int size = 64 << 10; size > 0; size /= 4) {
        try {
          while (true) {
            o.write(new byte[size]);
          }
        } catch (IOException full) {
          // full for writes of this size; go on with smaller ones
        }
      }
    }
    try (FileChannel c = FileChannel.open(filler, StandardOpenOption.WRITE)) {
      c.truncate(Math.max(0, c.size() - free));
    }
  }

  private static boolean stagingLeft(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.anyMatch(p -> p.getFileName().toString().startsWith(".monitoring.render-"));
    }
  }

  @Test
  void aFirstRenderOnAFullDiskLeavesNoPartialTreeAndSaysWhy() throws IOException {
    Workspace ws = onDiskOf(4 << 20);
    fill(ws.dir(), 48 << 10); // room for a few files, not for the dashboards
    Result r = new CliHarness(new Services(ws, false)).run("render");
    assertEquals(1, r.exitCode(), r.toString());
    assertTrue(r.err().matches("(?s)(.*\n)?error: cannot write /work/project/monitoring/\\S+: out of disk space\n.*"),
        r.toString());
    assertFalse(Files.exists(ws.dir().resolve("monitoring")), "no partial output folder");
    assertFalse(stagingLeft(ws.dir()));
  }

  @Test
  void aRenderThatFailsMidwayLeavesThePreviousTreeIntact() throws IOException {
    Workspace ws = onDiskOf(6 << 20);
    CliHarness cli = new CliHarness(new Services(ws, false));
    assertEquals(0, cli.run("render").exitCode());
    Path out = ws.dir().resolve("monitoring");
    Map<String, String> before = snapshot(out);
    // three files change (the compose file, prometheus.yml and a datasource); room for about one of them
    Files.writeString(ws.configFile(), "project: renamed\nprometheus: {scrape_interval: 20s}\n");
    fill(ws.dir(), 3 << 10);

    Result r = cli.run("render");

    assertEquals(1, r.exitCode(), r.toString());
    assertTrue(r.err().contains(": out of disk space"), r.toString());
    assertEquals(before, snapshot(out), "the previous tree is untouched");
    assertFalse(stagingLeft(ws.dir()));
  }

  @Test
  void twoForcedRendersInOneSecondKeepBothBackups() throws IOException {
    Workspace ws = TestWorkspaces.jimfs(ENV); // a fixed clock: every render happens in the same second
    CliHarness cli = new CliHarness(new Services(ws, false));
    cli.run("render");
    Path prometheus = ws.dir().resolve("monitoring/prometheus/prometheus.yml");
    String original = Files.readString(prometheus);
    Files.writeString(prometheus, original + "# first edit\n");
    assertEquals(0, cli.run("render", "--force").exitCode());
    Files.writeString(prometheus, original + "# second edit\n");

    Result r = cli.run("render", "--force");

    assertEquals(0, r.exitCode(), r.toString());
    assertEquals(original + "# first edit\n", Files.readString(prometheus.resolveSibling("prometheus.yml.bak-20261125T100000Z")));
    assertEquals(original + "# second edit\n",
        Files.readString(prometheus.resolveSibling("prometheus.yml.bak-20261125T100000Z-2")));
    assertTrue(r.err().contains("prometheus.yml.bak-20261125T100000Z-2"), r.toString());
  }

  @Test
  void aKeikoYmlThatCannotBeReadSaysWhyNotJustItsName() throws IOException {
    Workspace ws = TestWorkspaces.jimfs(ENV);
    Files.createDirectory(ws.configFile()); // a folder where the file should be
    Result r = new CliHarness(new Services(ws, false)).run("render");
    assertEquals(1, r.exitCode(), r.toString());
    // jimfs words it "not a regular file", Linux "is a directory"; either way the cause, not the name again
    assertTrue(r.err().matches("(?s)error: cannot read keiko.yml: (not a regular file|is a directory)\n.*"),
        r.toString());
  }

  @Test
  void theCauseOfAFileErrorIsInWords() {
    assertEquals("permission denied", IoErrors.cause(new AccessDeniedException("/p/keiko.yml")));
    assertEquals("no space left on device",
        IoErrors.cause(new FileSystemException("/p/x", null, "No space left on device")));
    assertEquals("no space left on device", IoErrors.cause(new IOException("No space left on device")));
    assertTrue(IoErrors.hint(new AccessDeniedException("/p/keiko.yml"), "x").contains("permissions"));
    assertTrue(IoErrors.hint(new IOException("No space left on device"), "x").contains("df -h"));
    assertEquals("/p/keiko.yml", IoErrors.path(new AccessDeniedException("/p/keiko.yml"), Path.of("/other")));
  }
}
