package io.keikomon.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A file could not be read or written (exit 1): the disk is full, the user may not write there, the file
 * system is read-only. Names the path and says what to do; such failures are the machine's, not a bug.
 */
public class FileAccessException extends OperationFailedException {
  private final String path;

  private FileAccessException(String message, String hint, String path, Throwable cause) {
    super(message, hint, cause);
    this.path = path;
  }

  /** The file or folder concerned, or null when the I/O layer did not say. */
  public String path() {
    return path;
  }

  /** {@code action} is what keiko-mon tried, e.g. "write" or "read". */
  public static FileAccessException of(String action, Path path, IOException e) {
    String file = e instanceof FileSystemException fse ? fse.getFile() : null;
    String where = file != null ? file : path.toString();
    // The file the I/O layer names is the one that failed; the path asked for may be its folder.
    return build("cannot " + action + " " + where, where, e, "");
  }

  /** For an I/O failure that escaped without naming what it was doing. */
  public static FileAccessException of(IOException e) {
    String path = e instanceof FileSystemException fse ? fse.getFile() : null;
    return build(path == null ? "file access failed" : "cannot use " + path, path, e, "");
  }

  /** The I/O failure inside {@code e}, if it is one (directly or wrapped as {@link UncheckedIOException}). */
  public static IOException ioCause(Throwable e) {
    if (e instanceof IOException io) {
      return io;
    }
    return e instanceof UncheckedIOException u ? u.getCause() : null;
  }

  private static FileAccessException build(String what, String path, IOException e, String detail) {
    String reason = reason(e);
    String where = path == null ? "the folder keiko-mon works in" : path;
    String lower = reason.toLowerCase(Locale.ROOT);
    String hint;
    if (lower.contains("no space left") || lower.contains("out of disk space") || lower.contains("quota")) {
      hint = "the disk holding " + where + " is full: free some space (df -h), then run the command again";
    } else if (lower.contains("read-only file system")) {
      hint = where + " is on a read-only file system: run keiko-mon in a writable project folder";
    } else if (e instanceof AccessDeniedException || lower.contains("permission denied")) {
      hint = "this user may not write " + where + ": check its owner and permissions (ls -ld), or run keiko-mon"
          + " as the user who owns the project folder";
    } else if (e instanceof NoSuchFileException) {
      hint = "it does not exist (any more): check the path, or run `keiko-mon render` to write it again";
    } else if (e instanceof NotDirectoryException || e instanceof FileAlreadyExistsException
        || e instanceof DirectoryNotEmptyException) {
      hint = "something else is in the way at " + where + ": move it aside, then run the command again";
    } else {
      hint = "check that " + where + " is readable and writable and the disk is healthy, then run again";
    }
    return new FileAccessException(what + ": " + reason + detail, hint, path, e);
  }

  // One wording for I/O causes everywhere ("permission denied", "no space left on device").
  private static String reason(IOException e) {
    return IoErrors.cause(e);
  }
}
