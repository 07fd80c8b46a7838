package io.keikomon.content;

/**
 * A template variable. {@code type} "query": multi-select with "All" (matching .+) over the values
 * {@code query} ({@code label_values(selector, label)}) finds; "datasource": the datasource every panel
 * and query variable uses, chosen among the datasources of plugin type {@code query}, the provisioned
 * one ({@code current}) preselected.
 */
public record Variable(String name, String label, String type, String query, String current) {
  /** The datasource variable's name; panels refer to it as {@code ${datasource}}. */
  public static final String DATASOURCE = "datasource";

  static Variable query(String name, String label, String query) {
    return new Variable(name, label, "query", query, "");
  }

  /** Picks among Prometheus datasources, the provisioned one (uid {@code uid}) first. */
  static Variable prometheusDatasource(String uid) {
    return new Variable(DATASOURCE, "Data source", "datasource", "prometheus", uid);
  }

  public boolean isDatasource() {
    return type.equals("datasource");
  }
}
