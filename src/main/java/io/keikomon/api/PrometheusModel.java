package io.keikomon.api;

import static io.keikomon.api.JsonApi.orEmpty;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Prometheus' HTTP API answers as records (the {@code data} part of its envelope), with the fields keiko-mon uses.
 * Shapes follow docs/querying/api.md; fields a version does not send are null, missing lists and maps empty.
 */
public final class PrometheusModel {
  private PrometheusModel() {
  }

  /** {@code /api/v1/status/buildinfo}. */
  public record BuildInfo(String version, String revision, String branch, String buildUser, String buildDate,
      String goVersion) {
  }

  /** {@code /api/v1/status/runtimeinfo}. */
  public record RuntimeInfo(Instant startTime, boolean reloadConfigSuccess, Instant lastConfigTime,
      String storageRetention) {
  }

  /** {@code /api/v1/targets}. */
  public record Targets(List<Target> activeTargets, List<DroppedTarget> droppedTargets) {
    public Targets {
      activeTargets = orEmpty(activeTargets);
      droppedTargets = orEmpty(droppedTargets);
    }
  }

  /** An active target; {@code health} is "up", "down" or "unknown", {@code lastError} empty when the scrape worked. */
  public record Target(Map<String, String> discoveredLabels, Map<String, String> labels, String scrapePool,
      String scrapeUrl, String globalUrl, String lastError, Instant lastScrape, double lastScrapeDuration,
      String health, String scrapeInterval, String scrapeTimeout) {
    public Target {
      discoveredLabels = orEmpty(discoveredLabels);
      labels = orEmpty(labels);
      lastError = lastError == null ? "" : lastError;
    }

    public boolean up() {
      return "up".equals(health);
    }
  }

  public record DroppedTarget(Map<String, String> discoveredLabels, String scrapePool) {
    public DroppedTarget {
      discoveredLabels = orEmpty(discoveredLabels);
    }
  }

  /** A group of {@code /api/v1/rules}; {@code interval} in seconds. */
  public record RuleGroup(String name, String file, double interval, Integer limit, List<Rule> rules,
      Instant lastEvaluation, Double evaluationTime) {
    public RuleGroup {
      rules = orEmpty(rules);
    }
  }

  /**
   * An alerting ({@code type} "alerting": {@code duration} in seconds, {@code state}, {@code alerts}) or recording
   * rule; {@code health} is "ok", "err" or "unknown", {@code lastError} says why it is "err".
   */
  public record Rule(String type, String name, String query, Double duration, Map<String, String> labels,
      Map<String, String> annotations, String health, String lastError, String state, List<Alert> alerts,
      Instant lastEvaluation, Double evaluationTime) {
    public Rule {
      labels = orEmpty(labels);
      annotations = orEmpty(annotations);
      alerts = orEmpty(alerts);
      lastError = lastError == null ? "" : lastError;
    }

    public boolean alerting() {
      return "alerting".equals(type);
    }
  }

  /** An alert of a rule, or of {@code /api/v1/alerts}; {@code state} "pending" or "firing". */
  public record Alert(Map<String, String> labels, Map<String, String> annotations, String state, Instant activeAt,
      String value) {
    public Alert {
      labels = orEmpty(labels);
      annotations = orEmpty(annotations);
    }
  }

  /**
   * An instant query's answer: one sample per series for "vector" (one per point for "matrix"), a single sample with
   * no labels for "scalar" and "string".
   */
  public record QueryResult(String resultType, List<Sample> samples) {
    public QueryResult {
      samples = orEmpty(samples);
    }

    /** The only sample's number; for scalar results and single-series vectors. */
    public double single() {
      if (samples.size() != 1) {
        throw new IllegalStateException("expected one sample, got " + samples.size() + ": " + samples);
      }
      return samples.get(0).number();
    }
  }

  /** {@code value} is Prometheus' string form ("1", "NaN", "+Inf"). */
  public record Sample(Map<String, String> metric, Instant time, String value) {
    public Sample {
      metric = orEmpty(metric);
    }

    public double number() {
      return switch (value) {
        case "+Inf" -> Double.POSITIVE_INFINITY;
        case "-Inf" -> Double.NEGATIVE_INFINITY;
        default -> Double.parseDouble(value);
      };
    }
  }

  /** {@code /api/v1/alertmanagers}. */
  public record Alertmanagers(List<AlertmanagerUrl> activeAlertmanagers, List<AlertmanagerUrl> droppedAlertmanagers) {
    public Alertmanagers {
      activeAlertmanagers = orEmpty(activeAlertmanagers);
      droppedAlertmanagers = orEmpty(droppedAlertmanagers);
    }
  }

  public record AlertmanagerUrl(String url) {
  }

  /** {@code /api/v1/status/tsdb}: head block statistics and the largest cardinalities. */
  public record TsdbStatus(HeadStats headStats, List<Count> seriesCountByMetricName,
      List<Count> labelValueCountByLabelName, List<Count> memoryInBytesByLabelName,
      List<Count> seriesCountByLabelValuePair) {
    public TsdbStatus {
      seriesCountByMetricName = orEmpty(seriesCountByMetricName);
      labelValueCountByLabelName = orEmpty(labelValueCountByLabelName);
      memoryInBytesByLabelName = orEmpty(memoryInBytesByLabelName);
      seriesCountByLabelValuePair = orEmpty(seriesCountByLabelValuePair);
    }
  }

  /** {@code minTime}/{@code maxTime} in milliseconds since the epoch. */
  public record HeadStats(long numSeries, long numLabelPairs, long chunkCount, long minTime, long maxTime) {
  }

  public record Count(String name, long value) {
  }
}
