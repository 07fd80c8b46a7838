package io.keikomon.doctor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** {@link ServiceLogs} over the log files {@code HostServices} writes ({@code <dir>/<service>.log}). */
record HostLogs(Path dir) implements ServiceLogs {
  @Override
  public List<String> tail(String service, int lines) {
    try {
      Path f = dir.resolve(service + ".log");
      if (!Files.exists(f)) {
        return List.of();
      }
      List<String> all = Files.readAllLines(f);
      return all.subList(Math.max(0, all.size() - lines), all.size());
    } catch (IOException e) {
      return List.of();
    }
  }
}
