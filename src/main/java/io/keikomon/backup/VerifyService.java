package io.keikomon.backup;

import io.keikomon.core.Console;
import io.keikomon.core.OperationFailedException;
import io.keikomon.core.Workspace;
import io.keikomon.engine.DockerGateway;
import io.keikomon.stack.StackRuntime;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code keiko-mon backup verify FILE}: the archive's checksums and manifest, with what it holds; then (unless
 * checksums only) a restore of its Prometheus and Alertmanager parts into a throwaway project ({@link ThrowawayCheck}).
 */
public final class VerifyService {
  private final Console console;

  public VerifyService(Console console) {
    this.console = console;
  }

  /**
   * Checksums, manifest, and the throwaway restore; an {@link InvalidArchiveException} (exit 3) when the archive is
   * not whole, an {@link OperationFailedException} listing what the restored services hold otherwise.
   */
  public Manifest verifyByRestoring(Path file, Workspace ws, Supplier<DockerGateway> docker,
      Supplier<StackRuntime> runtime, RestoreService.StackStarter starter, Duration timeout) {
    Manifest m = verify(file);
    ArchiveReader archive = new ArchiveReader(file);
    List<String> wrong = new ThrowawayCheck(console, docker, runtime, starter, timeout).check(archive, m, ws);
    if (!wrong.isEmpty()) {
      throw new OperationFailedException("the restored archive does not hold what its manifest says:\n  - "
          + String.join("\n  - ", wrong), "take a new backup; keep this one for investigation");
    }
    console.out("  throwaway restore: "
        + (m.prometheus() == null ? "" : m.prometheus().numSeries() + " series and " + m.prometheus().numSamples()
            + " samples")
        + (m.prometheus() != null && m.alertmanager() != null ? ", " : "")
        + (m.alertmanager() == null ? "" : "the silences")
        + " match the manifest; the throwaway project is removed");
    return m;
  }

  /** The manifest of a whole archive; an {@link InvalidArchiveException} says what is wrong otherwise. */
  public Manifest verify(Path file) {
    Manifest m = new ArchiveReader(file).verify();
    long bytes = m.entries().stream().mapToLong(Manifest.Entry::size).sum();
    console.out(file + ": ok, " + m.entries().size() + " entries (" + BackupService.size(bytes)
        + ") match their SHA-256; project " + m.project() + ", taken " + m.createdAt() + " by keiko-mon "
        + m.keikoMonVersion() + (m.includesSecrets() ? ", secrets included" : ", no secrets"));
    if (m.prometheus() != null) {
      Manifest.PrometheusSummary p = m.prometheus();
      console.out("  prometheus: " + p.blocks().size() + " blocks, " + p.numSeries() + " series, " + p.numSamples()
          + " samples, " + (p.blocks().isEmpty() ? "no data" : Instant.ofEpochMilli(p.minTime()) + " .. "
          + Instant.ofEpochMilli(p.maxTime())));
    }
    if (m.alertmanager() != null) {
      console.out("  alertmanager: " + m.alertmanager().silences().size() + " silences ("
          + m.alertmanager().expiredSkipped() + " expired left out)");
    }
    if (m.grafana() != null) {
      console.out("  grafana: " + m.grafana().folders().size() + " folders, " + m.grafana().dashboards().size()
          + " dashboards");
    }
    if (m.has(Part.CONFIG)) {
      long files = m.entries().stream().filter(e -> e.path().startsWith(Part.CONFIG.folder())).count();
      console.out("  config: " + files + " files");
    }
    return m;
  }
}
