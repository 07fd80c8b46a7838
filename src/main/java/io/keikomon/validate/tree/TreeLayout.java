package io.keikomon.validate.tree;

/** Where render puts each kind of file inside the output folder (relative paths). */
public final class TreeLayout {
  public static final String COMPOSE = "docker-compose.monitoring.yml";
  public static final String PROMETHEUS_CONFIG = "prometheus/prometheus.yml";
  public static final String RULES = "prometheus/rules/";
  public static final String RULE_TESTS = "prometheus/tests/";
  public static final String ALERTMANAGER_CONFIG = "alertmanager/alertmanager.yml";
  public static final String DATASOURCES = "grafana/provisioning/datasources/";
  public static final String DASHBOARDS = "grafana/dashboards/";

  private TreeLayout() {}
}
