package io.keikomon.content;

import java.util.List;

/** A Grafana dashboard, laid out: fixed uid, panels with unique ids and non-overlapping gridPos. */
public record Dashboard(String uid, String title, List<String> tags, List<Variable> variables,
    List<DashboardLink> links, List<Panel> panels) {
  /** Grafana 12's dashboard JSON model version; older Grafana migrates on load. */
  public static final int SCHEMA_VERSION = 41;
  /** The tag keiko-mon's dashboards carry; their links list the dashboards with it. */
  static final String TAG = "keiko";

  public Dashboard {
    tags = List.copyOf(tags);
    variables = List.copyOf(variables);
    links = List.copyOf(links);
    panels = List.copyOf(panels);
  }

  public int schemaVersion() {
    return SCHEMA_VERSION;
  }
}
