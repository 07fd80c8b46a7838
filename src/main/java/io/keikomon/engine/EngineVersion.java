package io.keikomon.engine;

/** Compares engine versions such as {@code 20.10.24+dfsg1}, {@code 24.0.7} or {@code 19.03.15-ce}. */
public final class EngineVersion {
  private EngineVersion() {}

  static boolean atLeast(String version, int major, int minor) {
    if (version == null) {
      return false;
    }
    String[] parts = version.split("[.+-]");
    try {
      int ma = Integer.parseInt(parts[0]);
      int mi = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
      return ma > major || (ma == major && mi >= minor);
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
