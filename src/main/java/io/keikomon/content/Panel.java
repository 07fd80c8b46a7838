package io.keikomon.content;

import java.util.List;

/**
 * A placed Grafana panel: {@code type} is timeseries, stat, table, state-timeline or row. Rows have no
 * targets. {@code unit} is a Grafana unit id (reqps, percentunit, s, bytes, Bps, short, ops, none).
 * {@code thresholds} (empty: none drawn) come from the alert thresholds of keiko.yml; {@code mappings} turn
 * values into states.
 */
public record Panel(int id, String type, String title, String description, String unit, GridPos gridPos,
    List<Target> targets, List<ThresholdStep> thresholds, List<ValueMapping> mappings) {
  public Panel {
    targets = List.copyOf(targets);
    thresholds = List.copyOf(thresholds);
    mappings = List.copyOf(mappings);
  }

  public boolean isRow() {
    return type.equals("row");
  }

  Panel with(List<ThresholdStep> newThresholds, List<ValueMapping> newMappings) {
    return new Panel(id, type, title, description, unit, gridPos, targets, newThresholds, newMappings);
  }
}
