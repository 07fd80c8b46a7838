package io.keikomon.core;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Locale;

/**
 * What went wrong with a file, in words: the JDK's {@link FileSystemException}s carry only the path as their
 * message ("cannot read keiko.yml: keiko.yml"), the cause is in their type or reason.
 */
public final class IoErrors {
  private IoErrors() {}

  /** "permission denied", "no space left on device", "does not exist", ... */
  public static String cause(IOException e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof NoSuchFileException) {
      return "no such file or folder";
    }
    if (e instanceof FileAlreadyExistsException) {
      return "already exists";
    }
    if (e instanceof NotDirectoryException) {
      return "not a folder";
    }
    if (e instanceof DirectoryNotEmptyException) {
      return "folder not empty";
    }
    if (e instanceof FileSystemException fse && fse.getReason() != null) {
      return lower(fse.getReason());
    }
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : lower(m);
  }

  /** The file the error is about, when the JDK says; else {@code fallback}. */
  public static String path(IOException e, java.nio.file.Path fallback) {
    return e instanceof FileSystemException fse && fse.getFile() != null ? fse.getFile() : String.valueOf(fallback);
  }

  /** A hint for the cause: what usually fixes it. */
  public static String hint(IOException e, String otherwise) {
    String cause = cause(e);
    if (cause.contains("permission denied") || cause.contains("operation not permitted")) {
      return "check the permissions of the file and its folder (ls -l)";
    }
    if (cause.contains("no space left") || cause.contains("quota")) {
      return "free some space on that disk (df -h), then run the command again";
    }
    if (cause.contains("read-only file system")) {
      return "the disk is mounted read-only; choose an output folder on a writable disk";
    }
    return otherwise;
  }

  // "No space left on device" -> "no space left on device"; keeps acronyms such as "I/O" intact enough.
  private static String lower(String s) {
    return s.isEmpty() ? s : s.substring(0, 1).toLowerCase(Locale.ROOT) + s.substring(1);
  }
}
