package io.keikomon.doctor;

import io.keikomon.api.AlertmanagerClient;
import io.keikomon.api.AlertmanagerModel.Alert;
import io.keikomon.api.AlertmanagerModel.PostableAlert;
import io.keikomon.api.AlertmanagerModel.Receiver;
import io.keikomon.api.AlertmanagerModel.Silence;
import io.keikomon.api.ApiException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Alertmanager's side of "alerts not firing": routes that end at a receiver without a notifier, alerts muted by a
 * silence or an inhibition (from {@code /api/v2/alerts} {@code silencedBy}/{@code inhibitedBy}), active alerts that
 * reach no notifier, delivery failures by reason; and {@code --notify-test}.
 */
final class AlertmanagerDiagnosis {
  static final String TEST_ALERT = "KeikoDoctorNotifyTest";
  /** Added to the wait for a test notification beyond the route's group_wait. */
  static final Duration DELIVERY_SLACK = Duration.ofSeconds(10);

  private final AlertmanagerClient am;
  private final ServiceLogs logs;
  private final Clock clock;
  private final boolean nowhereOnPurpose;

  /** @param nowhereOnPurpose keiko.yml says {@code alerting.none: true}: receivers without notifier are intended */
  AlertmanagerDiagnosis(AlertmanagerClient am, ServiceLogs logs, Clock clock, boolean nowhereOnPurpose) {
    this.am = am;
    this.logs = logs;
    this.clock = clock;
    this.nowhereOnPurpose = nowhereOnPurpose;
  }

  /** Ids of the findings about alert fingerprints, so an inhibiting alert can explain the inhibited one. */
  static String alertId(String fingerprint) {
    return "alertmanager-alert-" + fingerprint;
  }

  List<Finding> diagnose() {
    List<Finding> out = new ArrayList<>();
    AlertmanagerConfig config;
    try {
      config = AlertmanagerConfig.parse(am.status().config().original());
    } catch (ApiException e) {
      out.add(Finding.error(Symptom.ALERTS, "alertmanager", "Alertmanager status", e.getMessage(),
          Unreachable.cause("Alertmanager", e), Unreachable.fix("alertmanager", e)));
      return out;
    }
    for (Map.Entry<String, List<AlertmanagerConfig.Route>> e : routesByReceiver(config).entrySet()) {
      if (config.hasNotifier(e.getKey())) {
        continue;
      }
      String routes = String.join("; ", e.getValue().stream().map(AlertmanagerConfig.Route::describe).toList());
      boolean watchdog = e.getKey().equals("watchdog");
      if (nowhereOnPurpose && !watchdog) {
        out.add(Finding.ok(Symptom.ALERTS, "alertmanager", "receiver " + e.getKey(), "no notifier, reached by "
            + routes + "; keiko.yml says alerting.none: true (alerts go nowhere on purpose)"));
        continue;
      }
      out.add(Finding.warning(Symptom.ALERTS, "alertmanager", "receiver " + e.getKey(),
          "receiver " + e.getKey() + " has no *_configs; reached by " + routes,
          routes + " ends at receiver " + e.getKey() + ", which has no notifier: those alerts are sent nowhere",
          watchdog ? "alerting.dead_mans_switch_url in keiko.yml: the URL of a dead-man's-switch service"
              : "set ALERTMANAGER_SLACK_URL in .env (or alerting.none: true in keiko.yml when that is on purpose),"
                  + " then `keiko-mon up`"));
    }
    List<Alert> alerts = am.alerts();
    Map<String, Alert> byFingerprint = new LinkedHashMap<>();
    alerts.forEach(a -> byFingerprint.put(a.fingerprint(), a));
    Map<String, Silence> silences = new LinkedHashMap<>();
    for (Alert a : alerts) {
      String name = a.labels().getOrDefault("alertname", "?");
      String critical = a.labels().getOrDefault("severity", "");
      String check = "alertmanager: alert " + name + labelsText(a);
      if (!a.status().silencedBy().isEmpty()) {
        String id = a.status().silencedBy().get(0);
        Silence s = silences.computeIfAbsent(id, this::silence);
        String about = s == null ? "silence " + id : "silence " + id + " (" + s.matchers().stream()
            .map(m -> m.name() + (m.isRegex() ? "=~" : "=") + "\"" + m.value() + "\"").collect(Collectors.joining(", "))
            + ", by " + s.createdBy() + " until " + s.endsAt() + ": " + s.comment() + ")";
        Finding f = ("critical".equals(critical) ? Finding.error(Symptom.ALERTS, "alertmanager", check,
            "status suppressed, silencedBy " + a.status().silencedBy(), name + " fires but " + about + " mutes it",
            remedyExpire(id)) : Finding.warning(Symptom.ALERTS, "alertmanager", check,
            "status suppressed, silencedBy " + a.status().silencedBy(), name + " fires but " + about + " mutes it",
            remedyExpire(id)));
        out.add(f.withId(alertId(a.fingerprint())));
      } else if (!a.status().inhibitedBy().isEmpty()) {
        List<String> by = a.status().inhibitedBy().stream().map(fp -> Optional.ofNullable(byFingerprint.get(fp))
            .map(x -> x.labels().getOrDefault("alertname", fp) + labelsText(x)).orElse(fp)).toList();
        out.add(Finding.ok(Symptom.ALERTS, "alertmanager", check, "inhibited by " + String.join(", ", by)
            + " (an inhibit rule: the cause's alert is the one to act on)").withId(alertId(a.fingerprint())));
      } else if ("active".equals(a.status().state())) {
        List<String> receivers = a.receivers().stream().map(Receiver::name).toList();
        boolean delivered = receivers.stream().anyMatch(config::hasNotifier);
        if (!delivered && !name.equals("Watchdog") && !nowhereOnPurpose) {
          String cause = name + " fires, but its receivers " + receivers + " have no notifier: nobody hears of it";
          String fix = "set ALERTMANAGER_SLACK_URL in .env, then `keiko-mon up`";
          Finding f = "critical".equals(critical)
              ? Finding.error(Symptom.ALERTS, "alertmanager", check, "active, receivers " + receivers, cause, fix)
              : Finding.warning(Symptom.ALERTS, "alertmanager", check, "active, receivers " + receivers, cause, fix);
          out.add(f.withId(alertId(a.fingerprint())));
        } else {
          out.add(Finding.ok(Symptom.ALERTS, "alertmanager", check, "active, sent to " + receivers)
              .withId(alertId(a.fingerprint())));
        }
      }
    }
    failures(out);
    return foldInhibitions(out, alerts);
  }

  /** An inhibiting alert's finding explains the alerts it inhibits. */
  private static List<Finding> foldInhibitions(List<Finding> findings, List<Alert> alerts) {
    Map<String, List<String>> explains = new LinkedHashMap<>();
    for (Alert a : alerts) {
      for (String by : a.status().inhibitedBy()) {
        explains.computeIfAbsent(alertId(by), k -> new ArrayList<>()).add(alertId(a.fingerprint()));
      }
    }
    return findings.stream().map(f -> explains.containsKey(f.id()) ? f.explaining(explains.get(f.id())) : f)
        .toList();
  }

  private void failures(List<Finding> out) {
    NotificationCounters c;
    try {
      c = NotificationCounters.parse(am.metrics());
    } catch (ApiException e) {
      return;
    }
    for (Map.Entry<String, Map<String, Double>> e : c.failedByReason().entrySet()) {
      double failed = c.failed(e.getKey());
      if (failed == 0) {
        continue;
      }
      String reasons = e.getValue().entrySet().stream().filter(r -> r.getValue() > 0)
          .map(r -> r.getKey() + " " + r.getValue().longValue()).collect(Collectors.joining(", "));
      Optional<String> line = LogReasons.reason(logs.tail("alertmanager", ContainerDiagnosis.LOG_LINES).stream()
          .filter(l -> l.contains("Notify") || l.contains("notify")).toList());
      out.add(Finding.error(Symptom.ALERTS, "alertmanager", "notifications via " + e.getKey(),
          "alertmanager_notifications_failed_total{integration=\"" + e.getKey() + "\"} = " + (long) failed + " ("
              + reasons + ")" + line.map(l -> "; log: " + l).orElse(""),
          "Alertmanager failed to deliver " + e.getKey() + " notifications" + line.map(l -> ": " + l).orElse(""),
          remedyIntegration(e.getKey(), reasons)));
    }
  }

  /**
   * Sends one synthetic alert per receiver that has a notifier (labels chosen to take the route to it, plus
   * {@code keiko_doctor="notify-test"}), waits for Alertmanager's per-attempt request counters of its integrations
   * (at most the route's group_wait plus {@link #DELIVERY_SLACK}), reports each receiver, and resolves the alerts.
   * Alertmanager counts per integration, not per receiver, so receivers sharing an integration are tested in
   * separate rounds; only an attempt that did not fail counts as a delivery, and when Alertmanager's log can be read
   * a receiver's own "Notify ... failed" lines since the round began decide whether it failed, so retries of an
   * earlier round's failure do not pass for the next round's delivery. Another alert delivered over the same
   * integration during a round can still pass for one; the result then reflects it too.
   */
  List<Finding> notifyTest() {
    List<Finding> out = new ArrayList<>();
    AlertmanagerConfig config = AlertmanagerConfig.parse(am.status().config().original());
    Map<String, AlertmanagerConfig.Route> route = new LinkedHashMap<>();
    for (AlertmanagerConfig.Route r : config.routes()) {
      if (config.hasNotifier(r.receiver())) {
        route.putIfAbsent(r.receiver(), r); // the first route to it; the root comes first
      }
    }
    if (route.isEmpty()) {
      out.add(Finding.error(Symptom.ALERTS, "alertmanager", "notify test", "no receiver has a *_configs entry",
          "there is no receiver with a notifier, so no test notification can be delivered",
          "set ALERTMANAGER_SLACK_URL in .env or alerting.dead_mans_switch_url in keiko.yml, then `keiko-mon up`"));
      return out;
    }
    List<List<String>> rounds = new ArrayList<>();
    for (String receiver : route.keySet()) {
      List<String> uses = config.receivers().get(receiver);
      List<String> round = rounds.stream().filter(rd -> rd.stream().noneMatch(other -> config.receivers().get(other)
          .stream().anyMatch(uses::contains))).findFirst().orElse(null);
      if (round == null) {
        round = new ArrayList<>();
        rounds.add(round);
      }
      round.add(receiver);
    }
    for (List<String> round : rounds) {
      out.addAll(round(round, route, config));
    }
    return out;
  }

  private List<Finding> round(List<String> receivers, Map<String, AlertmanagerConfig.Route> route,
      AlertmanagerConfig config) {
    List<Finding> out = new ArrayList<>();
    NotificationCounters before = NotificationCounters.parse(am.metrics());
    Instant started = clock.instant();
    List<PostableAlert> sent = new ArrayList<>();
    Duration wait = Duration.ZERO;
    for (String receiver : receivers) {
      AlertmanagerConfig.Route r = route.get(receiver);
      Map<String, String> labels = new LinkedHashMap<>();
      labels.put("alertname", TEST_ALERT);
      labels.put("service", "keiko-doctor");
      labels.put("severity", "none");
      labels.putAll(r.labels());
      labels.put("keiko_doctor", "notify-test");
      labels.put("receiver", receiver);
      sent.add(new PostableAlert(labels, Map.of("summary", "keiko-mon doctor --notify-test: a test notification"
          + " for receiver " + receiver + ", resolved right after", "description", "Nothing is wrong; sent at "
          + started), started, null, null));
      wait = wait.compareTo(r.groupWait()) < 0 ? r.groupWait() : wait;
    }
    am.postAlerts(sent);
    Instant deadline = started.plus(wait).plus(DELIVERY_SLACK);
    NotificationCounters after = before;
    while (clock.instant().isBefore(deadline)) {
      after = NotificationCounters.parse(am.metrics());
      if (decided(receivers, config, before, after, started)) {
        // an attempt is counted before its request is made and its failure after the answer, so let the
        // attempts in flight finish before the counters decide
        NotificationCounters settled = after;
        do {
          after = settled;
          sleep(Duration.ofMillis(500));
          settled = NotificationCounters.parse(am.metrics());
        } while (!settled.requests().equals(after.requests()) && clock.instant().isBefore(deadline));
        after = settled;
        break;
      }
      sleep(Duration.ofMillis(300));
    }
    for (String receiver : receivers) {
      for (String integration : config.receivers().get(receiver)) {
        double attempts = after.requests(integration) - before.requests(integration);
        double succeeded = after.succeededRequests(integration) - before.succeededRequests(integration);
        double failed = after.failedRequests(integration) - before.failedRequests(integration);
        // The counters are per integration and Alertmanager keeps retrying earlier failures (an earlier round's
        // among them), so when its log can be read, the receiver's own "Notify attempt failed" lines since the
        // round began decide, and only an attempt that did not fail counts as a delivery.
        long ownFailures = ownFailures(receiver, started);
        boolean logRead = ownFailures >= 0;
        if (logRead && attempts > 0) {
          failed = ownFailures;
        }
        String check = "notify test: receiver " + receiver + " via " + integration;
        String evidence = "alertmanager_notification_requests_total{integration=\"" + integration + "\"} +"
            + (long) attempts + ", alertmanager_notification_requests_failed_total +" + (long) failed;
        if (attempts == 0) {
          out.add(Finding.error(Symptom.ALERTS, "alertmanager", check, evidence + " within "
                  + wait.plus(DELIVERY_SLACK).toSeconds() + " s",
              "Alertmanager did not try to deliver the test alert to " + receiver,
              "`keiko-mon logs alertmanager`; check the route to " + receiver));
        } else if ((logRead && failed > 0) || succeeded <= 0) {
          String reasons = after.newReasons(before, integration);
          Optional<String> line = LogReasons.reason(logs.tail("alertmanager", ContainerDiagnosis.LOG_LINES).stream()
              .filter(l -> l.contains("otify") && mentions(l, receiver)).toList());
          String why = failed == 0 ? "no attempt to it succeeded within " + wait.plus(DELIVERY_SLACK).toSeconds()
              + " s (the attempts counted were retries of other notifications over " + integration + ")"
              : !reasons.isEmpty() ? reasons : line.orElse("the endpoint refused it");
          out.add(Finding.error(Symptom.ALERTS, "alertmanager", check, evidence
                  + (reasons.isEmpty() ? "" : ", alertmanager_notifications_failed_total reason " + reasons)
                  + line.map(l -> "; log: " + l).orElse(""),
              "the test notification to " + receiver + " failed: " + why,
              remedyIntegration(integration, reasons.isEmpty() ? line.orElse("") : reasons)));
        } else {
          out.add(Finding.ok(Symptom.ALERTS, "alertmanager", check, evidence + ": delivered"));
        }
      }
    }
    Instant end = clock.instant();
    am.postAlerts(sent.stream().map(x -> new PostableAlert(x.labels(), x.annotations(), x.startsAt(), end, null))
        .toList());
    return out;
  }

  /**
   * Whether every receiver of the round has an answer: an attempt over its integrations that did not fail, or (its
   * log read) a failure line of its own, or (no log) a failed attempt.
   */
  private boolean decided(List<String> receivers, AlertmanagerConfig config, NotificationCounters before,
      NotificationCounters now, Instant started) {
    for (String receiver : receivers) {
      for (String integration : config.receivers().get(receiver)) {
        if (now.succeededRequests(integration) > before.succeededRequests(integration)) {
          continue;
        }
        long own = ownFailures(receiver, started);
        if (own > 0 || (own < 0 && now.failedRequests(integration) > before.failedRequests(integration))) {
          continue;
        }
        return false;
      }
    }
    return true;
  }

  /** The receiver's "Notify ... failed" lines in Alertmanager's log since {@code started}, or -1 without a log. */
  private long ownFailures(String receiver, Instant started) {
    List<String> log = logs.tail("alertmanager", ContainerDiagnosis.LOG_LINES * 5);
    if (log.isEmpty()) {
      return -1;
    }
    return log.stream().filter(l -> l.contains("otify") && l.contains("failed") && mentions(l, receiver)
        && !logTime(l).isBefore(started.minusSeconds(1))).count();
  }

  /** {@code receiver=name} or {@code receiver="name"} in a logfmt line. */
  private static boolean mentions(String line, String receiver) {
    return line.contains("receiver=" + receiver + " ") || line.contains("receiver=\"" + receiver + "\"")
        || line.contains(receiver + "/");
  }

  /** The {@code ts=} of a logfmt line; a line without one counts as recent. */
  private static Instant logTime(String line) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\bts=(\\S+)").matcher(line);
    try {
      return m.find() ? Instant.parse(m.group(1)) : Instant.MAX;
    } catch (java.time.format.DateTimeParseException e) {
      return Instant.MAX;
    }
  }

  private Silence silence(String id) {
    try {
      return am.silence(id);
    } catch (ApiException e) {
      return null;
    }
  }

  private String remedyExpire(String id) {
    return "expire silence " + id + " when it is not wanted: Alertmanager's UI (" + am.transport().base()
        + "/#/silences/" + id + ") or `amtool --alertmanager.url=" + am.transport().base() + " silence expire " + id
        + "`";
  }

  private static String remedyIntegration(String integration, String reasons) {
    String key = integration.equals("slack") ? "ALERTMANAGER_SLACK_URL in .env"
        : integration.equals("webhook") ? "the webhook URL (alerting.dead_mans_switch_url, or your template override)"
        : "the " + integration + " receiver's settings";
    if (reasons.contains("serverError") || reasons.matches("(?s).*status code 5\\d\\d.*")) {
      return "the " + integration + " endpoint answers 5xx: check that service; the URL is " + key;
    }
    if (reasons.contains("clientError") || reasons.contains("authError")
        || reasons.matches("(?s).*status code 4\\d\\d.*")) {
      return "the " + integration + " endpoint refuses the request (4xx): check " + key;
    }
    return "check " + key + "; `keiko-mon logs alertmanager` shows each attempt";
  }

  private static String labelsText(Alert a) {
    Map<String, String> l = new LinkedHashMap<>(a.labels());
    l.remove("alertname");
    List<String> keep = new ArrayList<>();
    for (String k : List.of("service", "instance", "job", "severity")) {
      if (l.containsKey(k)) {
        keep.add(k + "=" + l.get(k));
      }
    }
    return keep.isEmpty() ? "" : " {" + String.join(", ", keep) + "}";
  }

  private static Map<String, List<AlertmanagerConfig.Route>> routesByReceiver(AlertmanagerConfig c) {
    Map<String, List<AlertmanagerConfig.Route>> m = new LinkedHashMap<>();
    c.routes().forEach(r -> m.computeIfAbsent(r.receiver(), k -> new ArrayList<>()).add(r));
    return m;
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
