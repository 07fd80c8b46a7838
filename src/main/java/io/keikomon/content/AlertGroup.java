package io.keikomon.content;

import java.util.List;

/** A rule group of alerts.yml. */
public record AlertGroup(String name, List<AlertRule> rules) {
  public AlertGroup {
    rules = List.copyOf(rules);
  }
}
