package io.keikomon.backup;

import io.keikomon.core.Component;
import io.keikomon.core.ConfirmationRequiredException;
import io.keikomon.core.Workspace;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** What a restore would change, said before anything is (all of it with --dry-run), and what of it needs --yes. */
final class RestorePlan {
  private final Workspace ws;
  private final Manifest manifest;
  private final Set<Part> parts;
  private final List<ConfigPart.Write> writes;
  private final Optional<LiveStack> live;

  /** @param live the stack as it runs now, empty when it has no container */
  RestorePlan(Workspace ws, Manifest manifest, Set<Part> parts, List<ConfigPart.Write> writes,
      Optional<LiveStack> live) {
    this.ws = ws;
    this.manifest = manifest;
    this.parts = parts;
    this.writes = List.copyOf(writes);
    this.live = live;
  }

  List<String> changes() {
    List<String> changes = new ArrayList<>();
    if (parts.contains(Part.CONFIG)) {
      for (ConfigPart.Write w : writes) {
        if (!w.exists()) {
          changes.add("add " + rel(ws, w.target()));
        } else if (w.differs()) {
          changes.add("overwrite " + rel(ws, w.target()) + " (it differs from the backup)");
        }
      }
      changes.add("run `keiko-mon up`");
    }
    if (parts.contains(Part.PROMETHEUS) && manifest.prometheus() != null) {
      Manifest.PrometheusSummary p = manifest.prometheus();
      changes.add("replace Prometheus' data with the snapshot: " + p.blocks().size() + " blocks, " + p.numSeries()
          + " series, " + Instant.ofEpochMilli(p.minTime()) + " .. " + Instant.ofEpochMilli(p.maxTime())
          + "; anything written after " + manifest.createdAt() + " is lost");
    }
    if (parts.contains(Part.ALERTMANAGER) && manifest.alertmanager() != null) {
      Instant now = ws.clock().instant();
      long running = manifest.alertmanager().silences().stream().filter(s -> Instant.parse(s.endsAt()).isAfter(now))
          .count();
      changes.add("re-create the silences that have not ended: " + running + " of "
          + manifest.alertmanager().silences().size() + " (existing identical ones are kept)");
    }
    if (parts.contains(Part.GRAFANA) && manifest.grafana() != null) {
      long provisioned = manifest.grafana().dashboards().stream().filter(Manifest.DashboardRef::provisioned).count();
      Optional<List<String>> existing = live.flatMap(s -> s.container(Component.GRAFANA))
          .filter(c -> c.state().running()).map(c -> {
            try {
              return live.get().grafana(c, ws.dir().resolve(manifest.output())).allDashboards().stream()
                  .map(h -> h.uid()).toList();
            } catch (RuntimeException e) {
              return null;
            }
          });
      for (Manifest.DashboardRef d : manifest.grafana().dashboards()) {
        if (!d.provisioned()) {
          boolean there = existing.map(l -> l.contains(d.uid())).orElse(false);
          changes.add((there ? "overwrite" : "add") + " dashboard " + d.uid() + " \"" + d.title() + "\"");
        }
      }
      changes.add("create missing Grafana folders of " + manifest.grafana().folders().size() + "; " + provisioned
          + " provisioned dashboards come back from their files");
    }
    return changes;
  }

  /**
   * Without {@code yes}, refuses a restore that replaces Prometheus' current data or overwrites files that differ
   * from the backup: those are lost but for the safety backup.
   */
  void confirm(boolean yes) {
    if (yes) {
      return;
    }
    List<String> losses = new ArrayList<>();
    if (parts.contains(Part.PROMETHEUS) && live.flatMap(s -> s.container(Component.PROMETHEUS)).isPresent()) {
      losses.add("Prometheus' current data is replaced by the snapshot of " + manifest.createdAt()
          + ": everything written after it is gone");
    }
    List<String> changed = writes.stream().filter(ConfigPart.Write::differs).map(w -> rel(ws, w.target())).toList();
    if (!changed.isEmpty()) {
      losses.add("these files differ from the backup and are overwritten: " + String.join(", ", changed));
    }
    if (!losses.isEmpty()) {
      throw new ConfirmationRequiredException("restore would change what cannot be undone without the safety"
          + " backup:\n  - " + String.join("\n  - ", losses) + "\nnothing was changed",
          "see everything with `keiko-mon restore FILE --dry-run`; confirm with --yes");
    }
  }

  /** {@code p} as restore shows it: relative to the project folder when inside it. */
  static String rel(Workspace ws, Path p) {
    Path base = ws.dir().toAbsolutePath().normalize();
    Path abs = p.toAbsolutePath().normalize();
    return abs.startsWith(base) ? base.relativize(abs).toString() : abs.toString();
  }
}
