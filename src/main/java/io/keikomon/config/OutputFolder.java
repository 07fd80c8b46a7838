package io.keikomon.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where {@code output} may point. render writes there and validate and up read the whole folder, so it must
 * be a folder of its own: below the project folder, or an explicit absolute path that is not {@code /}, a
 * system folder, the home folder or a folder holding the project.
 */
final class OutputFolder {
  /** System folders themselves; a folder of one's own below most of them (/var/lib/keiko, /opt/x) is fine. */
  private static final List<String> SYSTEM = List.of("/", "/bin", "/boot", "/dev", "/etc", "/home", "/lib", "/lib32",
      "/lib64", "/libx32", "/media", "/mnt", "/opt", "/proc", "/root", "/run", "/sbin", "/srv", "/sys", "/tmp",
      "/usr", "/usr/bin", "/usr/lib", "/usr/local", "/usr/local/bin", "/usr/sbin", "/usr/share", "/var",
      "/var/lib", "/var/log", "/var/run", "/var/tmp");
  /** Kernel and device file systems: nothing below them is a place for files. */
  private static final List<String> VIRTUAL = List.of("/proc", "/sys", "/dev", "/run");

  private OutputFolder() {}

  private static final String HINT = "use a folder of its own, e.g. `output: monitoring` (below the project"
      + " folder) or an absolute path such as /srv/keiko/monitoring";

  /** What is wrong with {@code output} for a project in {@code projectDir}, or nothing. */
  static Optional<String> problem(String output, Path projectDir, String home) {
    if (output.isBlank()) {
      return Optional.empty(); // reported as empty by the mapper
    }
    Path given = projectDir.getFileSystem().getPath(output);
    Path project = projectDir.toAbsolutePath().normalize();
    if (!given.isAbsolute()) {
      Path resolved = project.resolve(given).normalize();
      if (resolved.equals(project)) {
        return Optional.of("is the project folder itself; render would mix its files with keiko.yml");
      }
      if (!resolved.startsWith(project)) {
        return Optional.of("leads out of the project folder (" + resolved + "); a relative output must stay below it,"
            + " an output elsewhere must be written as an absolute path");
      }
      return Optional.empty();
    }
    Path abs = given.normalize();
    String s = abs.toString();
    if (SYSTEM.contains(s)) {
      return Optional.of(s.equals("/") ? "is the root folder" : "is the system folder " + s);
    }
    for (String v : VIRTUAL) {
      if (abs.startsWith(v)) {
        return Optional.of("is below " + v + ", which is not a place for files");
      }
    }
    if (home != null && !home.isBlank() && abs.equals(abs.getFileSystem().getPath(home).normalize())) {
      return Optional.of("is the home folder itself");
    }
    if (project.startsWith(abs)) {
      return Optional.of(abs.equals(project) ? "is the project folder itself; render would mix its files with keiko.yml"
          : "holds the project folder; validate and up would read everything below it");
    }
    return Optional.empty();
  }

  static String hint() {
    return HINT;
  }
}
