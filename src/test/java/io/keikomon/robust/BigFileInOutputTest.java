package io.keikomon.robust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keikomon.cli.Services;
import io.keikomon.config.TextFile;
import io.keikomon.core.Workspace;
import io.keikomon.compose.ComposeModel;
import io.keikomon.compose.ComposeParser;
import io.keikomon.up.ServiceHashes;
import io.keikomon.testing.CliHarness;
import io.keikomon.validate.oracle.ToolRun;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stray 3 GB file (a backup tarball, say) in the output folder, once where nothing mounts it and once in
 * Grafana's mounted dashboards folder: validate ignores both and says so once, the config hash up compares
 * streams through the mounted one, and neither needs memory in proportion to the file (a slurp of 3 GB cannot
 * even be one Java array).
 */
class BigFileInOutputTest {
  private static final long THREE_GB = 3L << 30;

  @TempDir Path dir;

  @Test
  void validateAndTheConfigHashAreUnaffectedByA3GbSparseFile() throws Exception {
    Workspace ws = new Workspace(dir, Map.of("GRAFANA_ADMIN_PASSWORD", "big-file-test-password"), Clock.systemUTC());
    Services services = new Services(ws, false).withOracles((t, d, a) -> new ToolRun.Unavailable("not here", ""));
    assertEquals(0, new CliHarness(services).run("render").exitCode());
    Path compose = dir.resolve("monitoring/docker-compose.monitoring.yml");
    ComposeModel before = model(compose);
    String grafanaBefore = ServiceHashes.config(before, before.service("grafana"));

    sparse(dir.resolve("monitoring/backup-2026-11-30.tar"));
    sparse(dir.resolve("monitoring/grafana/dashboards/old-dashboards.tar"));
    resetPeaks();
    long heapBefore = heapUsed();

    CliHarness.Result r = new CliHarness(services).run("validate");
    assertEquals(0, r.exitCode(), r.toString());
    assertTrue(r.out().contains("skipped  other files (2 not written by keiko-mon nor mounted, not read: "
        + "backup-2026-11-30.tar, grafana/dashboards/old-dashboards.tar)"), r.toString());

    ComposeModel after = model(compose);
    assertEquals(ServiceHashes.config(before, before.service("prometheus")),
        ServiceHashes.config(after, after.service("prometheus")), "prometheus mounts neither file");
    assertNotEquals(grafanaBefore, ServiceHashes.config(after, after.service("grafana")),
        "a file in a mounted folder is part of what grafana sees");
    long grown = peakHeap() - heapBefore;
    assertTrue(grown < 256L << 20, "the heap grew by " + (grown >> 20) + " MB");
  }

  private static ComposeModel model(Path compose) {
    String text = TextFile.require(TextFile.read(compose, "docker-compose.monitoring.yml"));
    return new ComposeParser(Map.of()).parse(compose, "docker-compose.monitoring.yml", text, "keiko").model();
  }

  private static void sparse(Path file) throws Exception {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.setLength(THREE_GB);
    }
    assertEquals(THREE_GB, Files.size(file));
  }

  private static void resetPeaks() {
    System.gc();
    ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
  }

  private static long heapUsed() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /** The largest the heap got since {@link #resetPeaks}: the sum of each pool's peak, an upper bound. */
  private static long peakHeap() {
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    return peak;
  }
}
