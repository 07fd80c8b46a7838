package io.keikomon.content;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One Prometheus alerting rule. {@code labels} always holds severity and service; {@code annotations}
 * summary, description and runbook. Texts may use Prometheus' {{ $labels.x }} / {{ $value }} templating.
 */
public record AlertRule(
    String name, String expr, String forDuration, Map<String, String> labels, Map<String, String> annotations) {
  public AlertRule {
    labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
    annotations = Collections.unmodifiableMap(new LinkedHashMap<>(annotations));
  }
}
