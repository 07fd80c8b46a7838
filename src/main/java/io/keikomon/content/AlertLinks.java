package io.keikomon.content;

import io.keikomon.config.KeikoConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The links every alert carries: {@code runbook_url}, its section of docs/runbooks.md (one heading per
 * alert name), and {@code dashboard_url}, the Grafana dashboard that shows it. Added to the rules and to
 * the promtool expectations alike.
 */
final class AlertLinks {
  private final String runbooks;
  private final String grafana;

  AlertLinks(KeikoConfig config) {
    this.runbooks = config.alerting().runbookUrl();
    this.grafana = config.components().grafana() ? StackUrls.forConfig(config).grafana() : null;
  }

  /** The anchor GitHub and most renderers give the heading "## AlertName". */
  static String anchor(String alertname) {
    return alertname.toLowerCase(Locale.ROOT);
  }

  AlertDefinition added(AlertDefinition d) {
    List<AlertRule> rules = new ArrayList<>();
    for (AlertRule r : d.rules()) {
      rules.add(new AlertRule(r.name(), r.expr(), r.forDuration(), r.labels(), with(r.annotations(), r.name(),
          r.labels().get("service"))));
    }
    List<AlertTestCase> cases = new ArrayList<>();
    for (AlertTestCase c : d.cases()) {
      List<ExpectedAlert> expected = new ArrayList<>();
      for (ExpectedAlert e : c.expected()) {
        expected.add(new ExpectedAlert(e.labels(), with(e.annotations(), c.alertname(), e.labels().get("service"))));
      }
      cases.add(new AlertTestCase(c.alertname(), c.title(), c.inputSeries(), c.evalTime(), expected));
    }
    return new AlertDefinition(rules, cases);
  }

  private Map<String, String> with(Map<String, String> annotations, String alertname, String service) {
    Map<String, String> out = new LinkedHashMap<>(annotations);
    out.put("runbook_url", runbooks + "#" + anchor(alertname));
    if (grafana != null) {
      String uid = "backend".equals(service) ? BackendDashboard.UID : InfrastructureDashboard.UID;
      out.put("dashboard_url", grafana + "/d/" + uid);
    }
    return out;
  }
}
