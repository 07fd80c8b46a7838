package io.keikomon.engine;

import java.util.List;
import java.util.Map;

/**
 * Which container events to receive.
 *
 * @param labels containers must carry all of these labels
 * @param actions event names as the engine filters them: e.g. {@code start}, {@code die},
 *     {@code health_status} (matches every "health_status: ..." event); empty = all actions
 */
public record EventFilter(Map<String, String> labels, List<String> actions) {
  public EventFilter {
    labels = Map.copyOf(labels);
    actions = List.copyOf(actions);
  }
}
