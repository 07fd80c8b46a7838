package io.keikomon.render;

import java.nio.file.Path;
import java.util.List;

/**
 * The outcome of a render (or of a dry run: what it would have done).
 *
 * @param tree every file rendered, whether written or not (up validates it without rendering again)
 */
public record RenderSummary(Path outputDir, boolean dryRun, List<FileChange> changes, List<Path> backups,
    RenderedTree tree) {
  public RenderSummary {
    changes = List.copyOf(changes);
    backups = List.copyOf(backups);
  }

  public long count(FileChange.Kind kind) {
    return changes.stream().filter(c -> c.kind() == kind).count();
  }
}
