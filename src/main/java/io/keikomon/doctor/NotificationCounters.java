package io.keikomon.doctor;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Alertmanager's own delivery counters from its {@code /metrics}: {@code alertmanager_notifications_total} and
 * {@code alertmanager_notifications_failed_total} per integration, the failures also per {@code reason} (clientError,
 * serverError, contextDeadlineExceeded, ...; Alertmanager before 0.26 has no reason label). A notification is
 * counted as failed only when Alertmanager gives up retrying (up to the group_interval); each HTTP attempt is
 * counted at once in {@code alertmanager_notification_requests_total} and {@code ..._requests_failed_total}.
 */
record NotificationCounters(Map<String, Double> sent, Map<String, Double> failed,
    Map<String, Map<String, Double>> failedByReason, Map<String, Double> requests, Map<String, Double> failedRequests) {
  private static final Pattern LINE = Pattern.compile("^(alertmanager_notifications_total"
      + "|alertmanager_notifications_failed_total|alertmanager_notification_requests_total"
      + "|alertmanager_notification_requests_failed_total)\\{([^}]*)\\}\\s+(\\S+)");
  private static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  static NotificationCounters parse(String metrics) {
    Map<String, Double> sent = new HashMap<>();
    Map<String, Double> failed = new HashMap<>();
    Map<String, Map<String, Double>> reasons = new HashMap<>();
    Map<String, Double> requests = new HashMap<>();
    Map<String, Double> failedRequests = new HashMap<>();
    for (String line : metrics.split("\n")) {
      Matcher m = LINE.matcher(line);
      if (!m.find()) {
        continue;
      }
      Map<String, String> labels = new HashMap<>();
      Matcher l = LABEL.matcher(m.group(2));
      while (l.find()) {
        labels.put(l.group(1), l.group(2));
      }
      String integration = labels.getOrDefault("integration", "?");
      double v = Double.parseDouble(m.group(3));
      if (m.group(1).equals("alertmanager_notifications_total")) {
        sent.merge(integration, v, Double::sum);
      } else if (m.group(1).equals("alertmanager_notification_requests_total")) {
        requests.merge(integration, v, Double::sum);
      } else if (m.group(1).equals("alertmanager_notification_requests_failed_total")) {
        failedRequests.merge(integration, v, Double::sum);
      } else {
        failed.merge(integration, v, Double::sum);
        reasons.computeIfAbsent(integration, k -> new HashMap<>())
            .merge(labels.getOrDefault("reason", "unknown (this Alertmanager reports no reason)"), v, Double::sum);
      }
    }
    return new NotificationCounters(sent, failed, reasons, requests, failedRequests);
  }

  double sent(String integration) {
    return sent.getOrDefault(integration, 0.0);
  }

  /** Requests to the integration's endpoint: every attempt, retries included (Alertmanager 0.24+). */
  double requests(String integration) {
    return requests.getOrDefault(integration, 0.0);
  }

  double failedRequests(String integration) {
    return failedRequests.getOrDefault(integration, 0.0);
  }

  /** Attempts that did not fail; an attempt in flight counts here until its answer comes. */
  double succeededRequests(String integration) {
    return requests(integration) - failedRequests(integration);
  }

  double failed(String integration) {
    return failed.getOrDefault(integration, 0.0);
  }

  /** The reasons whose count grew since {@code before}, as "serverError" or "serverError, other". */
  String newReasons(NotificationCounters before, String integration) {
    Map<String, Double> now = failedByReason.getOrDefault(integration, Map.of());
    Map<String, Double> then = before.failedByReason.getOrDefault(integration, Map.of());
    return String.join(", ", now.entrySet().stream().filter(e -> e.getValue() > then.getOrDefault(e.getKey(), 0.0))
        .map(Map.Entry::getKey).sorted().toList());
  }
}
