package io.keikomon.content;

import java.util.List;

/**
 * A placed Grafana panel: {@code type} is timeseries, stat, table or row. Rows have no targets.
 * {@code unit} is a Grafana unit id (reqps, percentunit, s, bytes, Bps, short, ops).
 */
public record Panel(int id, String type, String title, String description, String unit, GridPos gridPos,
    List<Target> targets) {
  public Panel {
    targets = List.copyOf(targets);
  }

  public boolean isRow() {
    return type.equals("row");
  }
}
