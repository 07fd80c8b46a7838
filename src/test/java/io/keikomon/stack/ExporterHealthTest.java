package io.keikomon.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ExporterHealthTest {
  @Test
  void theReasonIsTheErrOfTheNewestLogLineThatHasOne() {
    List<String> log = List.of(
        "ts=2026-12-01T20:00:00Z level=info msg=\"Listening on\" address=[::]:9187",
        "ts=2026-12-01T20:00:01Z level=error msg=\"Error opening connection to database\" err=\"dial tcp: timeout\"",
        "ts=2026-12-01T20:00:02Z level=error msg=\"Error opening connection to database\""
            + " err=\"pq: password authentication failed for user \\\"keiko\\\"\"",
        "ts=2026-12-01T20:00:03Z level=info msg=\"scrape done\"");
    assertEquals(Optional.of("pq: password authentication failed for user \"keiko\""), ExporterHealth.lastError(log));
    assertEquals(Optional.empty(), ExporterHealth.lastError(List.of("level=info msg=ok")));
  }

  @Test
  void aRemoteEngineLeavesTheCheckOut() {
    assertEquals(Optional.empty(), ExporterHealth.prometheus("tcp://10.0.0.5:2375", "127.0.0.1", 9090));
    assertEquals("http://127.0.0.1:9090", ExporterHealth.prometheus("unix:///var/run/docker.sock", "0.0.0.0", 9090)
        .orElseThrow().transport().base().toString().replaceFirst("/$", ""));
  }
}
