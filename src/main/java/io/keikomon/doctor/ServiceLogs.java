package io.keikomon.doctor;

import java.util.List;

/** The last log lines of a stack service (without the "service | " prefix), oldest first; empty when it has none. */
@FunctionalInterface
public interface ServiceLogs {
  List<String> tail(String service, int lines);

  static ServiceLogs none() {
    return (service, lines) -> List.of();
  }
}
