package io.keikomon.backup;

import io.keikomon.core.KeikoException;

/** A backup archive that is damaged, truncated, doctored or of another project: nothing was changed (exit 3). */
public final class InvalidArchiveException extends KeikoException {
  public InvalidArchiveException(String message, String hint) {
    super(message, hint);
  }

  public InvalidArchiveException(String message, String hint, Throwable cause) {
    super(message, hint, cause);
  }
}
