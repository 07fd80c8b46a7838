package io.keikomon.backup;

import io.keikomon.core.Console;
import java.nio.file.Path;
import java.time.Instant;

/** {@code keiko-mon backup verify FILE}: the archive's checksums and manifest, with what it holds. */
public final class VerifyService {
  private final Console console;

  public VerifyService(Console console) {
    this.console = console;
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
