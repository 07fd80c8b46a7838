package io.keikomon.config;

import io.keikomon.config.KeikoConfig.CustomMetric;
import io.keikomon.config.KeikoConfig.ScrapeTarget;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.Node;

/** The user's own lists: {@code extra_targets} and {@code custom_metrics}. */
final class ExtrasMapper {
  private static final Set<String> SCHEMES = ConfigMapper.keys("http", "https");
  private static final Set<String> TYPES = ConfigMapper.keys("counter", "gauge", "histogram");

  private final List<Problem> problems;

  ExtrasMapper(List<Problem> problems) {
    this.problems = problems;
  }

  List<ScrapeTarget> extraTargets(Section top) {
    List<ScrapeTarget> out = new ArrayList<>();
    Map<String, Node> jobs = new HashMap<>();
    List<Node> items = top.items("extra_targets");
    for (int i = 0; i < items.size(); i++) {
      Section s = new Section(problems, items.get(i), "extra_targets[" + i + "]",
          ConfigMapper.keys("job", "targets", "metrics_path", "scheme"));
      String job = s.string("job");
      if (!job.isEmpty() && !Syntax.isJobName(job)) {
        s.error("job", "\"" + job + "\" is not a usable job name", "use letters, digits, '.', '-' and '_'");
      } else if (!job.isEmpty()) {
        Node first = jobs.putIfAbsent(job, s.value("job"));
        if (first != null) {
          s.error("job", "job name \"" + job + "\" is used twice (first at " + YamlTree.position(first) + ")",
              "give each extra target its own job name");
        }
      }
      List<String> targets = ConfigMapper.targets(s, "targets");
      String metricsPath = s.has("metrics_path") ? ConfigMapper.urlPath(s, "metrics_path") : "/metrics";
      String scheme = s.optionalString("scheme", "http");
      if (!SCHEMES.contains(scheme)) {
        s.error("scheme", "unknown scheme \"" + scheme + "\"", "http or https");
      }
      out.add(new ScrapeTarget(job, targets, metricsPath, scheme));
    }
    return out;
  }

  List<CustomMetric> customMetrics(Section top) {
    List<CustomMetric> out = new ArrayList<>();
    Map<String, Node> names = new HashMap<>();
    List<Node> items = top.items("custom_metrics");
    for (int i = 0; i < items.size(); i++) {
      Section s = new Section(problems, items.get(i), "custom_metrics[" + i + "]",
          ConfigMapper.keys("name", "type", "help", "labels"));
      String name = s.string("name");
      if (!name.isEmpty() && !Syntax.isMetricName(name)) {
        s.error("name", "\"" + name + "\" is not a Prometheus metric name",
            "use letters, digits, '_' and ':', not starting with a digit, e.g. custom_operations_total");
      } else if (!name.isEmpty()) {
        Node first = names.putIfAbsent(name, s.value("name"));
        if (first != null) {
          s.error("name", "metric \"" + name + "\" is listed twice (first at " + YamlTree.position(first) + ")",
              "list each metric once");
        }
      }
      CustomMetric.Type type = type(s);
      if (Syntax.isMetricName(name)) {
        checkNameSuffix(s, name, type);
      }
      String help = s.optionalString("help", "");
      List<String> labels = s.has("labels") ? s.strings("labels") : List.of();
      for (int j = 0; j < labels.size(); j++) {
        String l = labels.get(j);
        if (!l.isEmpty() && (!Syntax.isLabelName(l) || (type == CustomMetric.Type.HISTOGRAM && l.equals("le")))) {
          s.itemError("labels", j, "\"" + l + "\" is not a usable label name",
              "use letters, digits and '_'; \"__\" prefixes and \"le\" on histograms are reserved");
        }
      }
      out.add(new CustomMetric(name, type, help, labels));
    }
    return out;
  }

  /**
   * Panels query the name as exposed: client libraries add _total to counters, and the panels add the
   * series suffixes to a histogram's base name.
   */
  private static void checkNameSuffix(Section s, String name, CustomMetric.Type type) {
    if (type == CustomMetric.Type.COUNTER && !name.endsWith("_total")) {
      s.warning("name", "counter \"" + name + "\" does not end in _total",
          "client libraries expose counters as <name>_total; write the name as /metrics shows it");
    }
    if (type == CustomMetric.Type.HISTOGRAM && name.matches(".*_(bucket|sum|count)")) {
      s.warning("name", "histogram \"" + name + "\" ends in a series suffix",
          "write the base name (without _bucket, _sum or _count); the panels add the suffixes");
    }
  }

  private static CustomMetric.Type type(Section s) {
    String text = s.string("type");
    if (TYPES.contains(text)) {
      return CustomMetric.Type.valueOf(text.toUpperCase(Locale.ROOT));
    }
    if (!text.isEmpty()) {
      s.error("type", "unknown metric type \"" + text + "\"", DidYouMean.closest(text, TYPES)
          .map(t -> "did you mean \"" + t + "\"?").orElse("one of counter, gauge, histogram"));
    }
    return CustomMetric.Type.GAUGE;
  }
}
