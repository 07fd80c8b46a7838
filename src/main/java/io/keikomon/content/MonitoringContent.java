package io.keikomon.content;

import io.keikomon.config.KeikoConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything the content templates render, computed from keiko.yml: rule groups, promtool cases for every
 * alert (rendered with the thresholds in force), and Alertmanager's inhibit rules and the two dashboards. Templates see it as {@code content}.
 */
public record MonitoringContent(
    List<RecordingGroup> recordingGroups,
    List<AlertGroup> alertGroups,
    List<AlertTestCase> alertTests,
    List<RecordingTestCase> recordingTests,
    List<InhibitRule> inhibitRules,
    StackUrls urls,
    Dashboard backendDashboard,
    Dashboard infrastructureDashboard) {

  /** The name templates use for this model. */
  public static final String MODEL_NAME = "content";

  public MonitoringContent {
    recordingGroups = List.copyOf(recordingGroups);
    alertGroups = List.copyOf(alertGroups);
    alertTests = List.copyOf(alertTests);
    recordingTests = List.copyOf(recordingTests);
    inhibitRules = List.copyOf(inhibitRules);
  }

  public static MonitoringContent from(KeikoConfig config) {
    List<AlertGroup> groups = new ArrayList<>();
    List<AlertTestCase> tests = new ArrayList<>();
    AlertLinks links = new AlertLinks(config);
    add(links, "keiko-availability", new AvailabilityAlerts(config).all(), groups, tests);
    add(links, "keiko-backend", new BackendAlerts(config).all(), groups, tests);
    DependencyAlerts dependencies = new DependencyAlerts(config);
    if (config.postgres().enabled()) {
      add(links, "keiko-postgres", dependencies.postgres(), groups, tests);
    }
    if (config.redis().enabled()) {
      add(links, "keiko-redis", dependencies.redis(), groups, tests);
    }
    if (config.components().nodeExporter()) {
      List<AlertDefinition> host = new ArrayList<>(new HostAlerts(config).all());
      host.addAll(dependencies.host());
      add(links, "keiko-host", host, groups, tests);
    }
    add(links, "keiko-monitoring", new SelfMonitoringAlerts(config).all(), groups, tests);
    return new MonitoringContent(RecordingRules.forConfig(config), groups, tests,
        RecordingTests.forConfig(config), Inhibitions.forConfig(config), StackUrls.forConfig(config), BackendDashboard.build(config), InfrastructureDashboard.build(config));
  }

  private static void add(AlertLinks links, String name, List<AlertDefinition> defs, List<AlertGroup> groups,
      List<AlertTestCase> tests) {
    if (defs.isEmpty()) {
      return;
    }
    List<AlertRule> rules = new ArrayList<>();
    for (AlertDefinition def : defs) {
      AlertDefinition d = links.added(def);
      rules.addAll(d.rules());
      tests.addAll(d.cases());
    }
    groups.add(new AlertGroup(name, rules));
  }

  public List<Dashboard> dashboards() {
    return List.of(backendDashboard, infrastructureDashboard);
  }
}
