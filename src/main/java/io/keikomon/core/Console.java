package io.keikomon.core;

/**
 * Where services report to the user. The CLI implements it over picocli's writers; tests collect lines.
 * Services never print anywhere else.
 */
public interface Console {
  /** Says nothing: for work whose messages nobody asked for (an in-memory render to compare). */
  Console SILENT = new Console() {
    @Override
    public void out(String line) {}

    @Override
    public void info(String line) {}

    @Override
    public void warn(String line) {}
  };

  /** Normal output (stdout). */
  void out(String line);

  /** Progress and informational messages (stderr, so stdout stays machine-readable). */
  void info(String line);

  /** A warning the user should read (stderr, prefixed "warning: "). */
  void warn(String line);

  /** True when stderr is an interactive terminal and colours/live lines are allowed. */
  default boolean interactive() {
    return false;
  }
}
