package io.keikomon.render;

/**
 * What a render does to one file of the output folder. {@code before} is the file's content on disk (null if
 * absent), {@code after} the rendered content (null when the file is no longer produced).
 */
public record FileChange(String path, Kind kind, String before, String after) {
  public enum Kind {
    /** Not on disk yet. */
    CREATE,
    /** On disk as render last wrote it; the new content differs. */
    UPDATE,
    /** Already has the rendered content. */
    UNCHANGED,
    /** Edited by hand since the last render (or never written by render) and would change. */
    EDITED,
    /** No longer produced and unedited: removed. */
    REMOVE,
    /** No longer produced but edited by hand: left in place. */
    KEEP_EDITED
  }
}
