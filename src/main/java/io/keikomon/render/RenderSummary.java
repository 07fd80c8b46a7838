package io.keikomon.render;

import java.nio.file.Path;
import java.util.List;

/** The outcome of a render (or of a dry run: what it would have done). */
public record RenderSummary(Path outputDir, boolean dryRun, List<FileChange> changes, List<Path> backups) {
  public RenderSummary {
    changes = List.copyOf(changes);
    backups = List.copyOf(backups);
  }

  public long count(FileChange.Kind kind) {
    return changes.stream().filter(c -> c.kind() == kind).count();
  }
}
