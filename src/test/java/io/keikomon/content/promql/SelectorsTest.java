package io.keikomon.content.promql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SelectorsTest {
  @Test
  void namesWithTheirMatchersAndFunctions() throws Exception {
    List<Selectors.Selector> s = Selectors.extract(
        "sum(rate(http_requests_total{job=\"backend\", status=~\"5..\"}[5m])) / sum(rate(http_requests_total[5m]))"
            + " or absent(up{job=\"x\"})");
    assertEquals(3, s.size(), s.toString());
    assertEquals("http_requests_total{job=\"backend\", status=~\"5..\"}", s.get(0).promql());
    assertEquals(List.of("rate", "sum"), s.get(0).functions());
    assertEquals("http_requests_total", s.get(1).promql());
    assertTrue(s.get(2).expectedEmpty());
  }

  @Test
  void theNameMatcherFormKeepsTheOtherMatchers() throws Exception {
    List<Selectors.Selector> s = Selectors.extract("{__name__=\"redis_up\", instance=~\"$instance\"}");
    assertEquals(1, s.size());
    assertEquals("redis_up{instance=~\"$instance\"}", s.get(0).promql());
  }
}
