package io.keikomon.core;

/** A command would act on something the user did not name and must confirm on the command line (exit 2). */
public class ConfirmationRequiredException extends KeikoException {
  public ConfirmationRequiredException(String message, String hint) {
    super(message, hint);
  }
}
