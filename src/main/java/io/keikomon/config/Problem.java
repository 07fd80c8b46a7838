package io.keikomon.config;

/**
 * One thing wrong (or worth a warning) in a file, with where it is. {@code line} and {@code column}
 * are 1-based; 0 means "the file as a whole".
 */
public record Problem(Severity severity, String file, int line, int column, String path, String message, String hint) {

  public enum Severity { ERROR, WARNING }

  public static Problem error(String file, int line, int column, String path, String message, String hint) {
    return new Problem(Severity.ERROR, file, line, column, path, message, hint);
  }

  public static Problem warning(String file, int line, int column, String path, String message, String hint) {
    return new Problem(Severity.WARNING, file, line, column, path, message, hint);
  }

  public boolean isError() {
    return severity == Severity.ERROR;
  }

  /** {@code keiko.yml:3:5: ports.grafana: must be 1-65535 (hint: ...)}. */
  public String render() {
    StringBuilder b = new StringBuilder(file);
    if (line > 0) {
      b.append(':').append(line).append(':').append(column);
    }
    b.append(": ");
    if (severity == Severity.WARNING) {
      b.append("warning: ");
    }
    if (path != null && !path.isEmpty()) {
      b.append(path).append(": ");
    }
    b.append(message);
    if (hint != null && !hint.isEmpty()) {
      b.append(" (hint: ").append(hint).append(')');
    }
    return b.toString();
  }
}
