package io.keikomon.content;

import java.util.List;

/** The rules generated for one alert name (one per severity) and the promtool cases that prove them. */
record AlertDefinition(List<AlertRule> rules, List<AlertTestCase> cases) {
  AlertDefinition {
    rules = List.copyOf(rules);
    cases = List.copyOf(cases);
  }
}
