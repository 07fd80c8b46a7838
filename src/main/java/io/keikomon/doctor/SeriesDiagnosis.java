package io.keikomon.doctor;

import io.keikomon.api.PrometheusClient;
import io.keikomon.api.PrometheusModel.Sample;
import io.keikomon.content.promql.Selectors.Matcher;
import io.keikomon.content.promql.Selectors.Selector;
import io.keikomon.core.EditDistance;
import java.time.Instant;
import io.keikomon.api.ApiException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Why a selector a rule or a panel uses selects nothing, in the manner of cloudflare/pint's series check: the
 * metric exists but a label is missing (and which label its series carry instead), a label value is missing,
 * the metric disappeared (seen in the look-back window, with its job), or it never existed.
 */
final class SeriesDiagnosis {
  /** How far back "disappeared" looks, as pint does. */
  static final String LOOK_BACK = "7d";
  private static final Set<String> STRUCTURAL = Set.of("__name__", "job", "instance", "le", "quantile");

  enum Kind { PRESENT, LABEL_MISSING, VALUE_MISSING, DISAPPEARED, NEVER_EXISTED }

  /** The "job" of a series that never existed: explained by a target that was never up, if there is one. */
  static final String NEVER = "*never-up*";

  /**
   * @param jobs the jobs the series came from when it disappeared (to fold it under a down target)
   */
  record Verdict(Kind kind, String selector, String evidence, String cause, String remedy, Set<String> jobs) {
    boolean present() {
      return kind == Kind.PRESENT;
    }
  }

  private final PrometheusClient prometheus;
  private final Map<String, String> labelKeys;
  /** Concurrent: the rules' selectors and Grafana's panels are checked side by side. */
  private final Map<String, Verdict> cache = new ConcurrentHashMap<>();
  private List<String> names;

  /** @param labelKeys label name → the keiko.yml key that sets it (e.g. status → backend.labels.status) */
  SeriesDiagnosis(PrometheusClient prometheus, Map<String, String> labelKeys) {
    this.prometheus = prometheus;
    this.labelKeys = Map.copyOf(labelKeys);
  }

  /** The selector with the matchers on Grafana variables left out ("any value"). */
  static Selector concrete(Selector s) {
    return new Selector(s.name(), s.matchers().stream().filter(m -> !m.value().contains("$")
        && !m.value().contains("[[")).toList(), s.functions());
  }

  Verdict check(Selector raw) {
    Selector s = concrete(raw);
    return cache.computeIfAbsent(s.promql(), k -> diagnose(s));
  }

  /**
   * Finds the selectors among {@code raw} that select something with one query per {@value #BATCH} (instead of a
   * {@code count()} each): each count is labelled with its index, and the union says which are not empty. Only the
   * others need {@link #check}'s questions. A batch Prometheus refuses leaves its selectors to be checked one by one.
   */
  void prefetch(Collection<Selector> raw) {
    List<String> todo = raw.stream().map(x -> concrete(x).promql()).distinct().filter(k -> !cache.containsKey(k))
        .toList();
    for (int from = 0; from < todo.size(); from += BATCH) {
      List<String> batch = todo.subList(from, Math.min(todo.size(), from + BATCH));
      List<String> parts = new ArrayList<>();
      for (int i = 0; i < batch.size(); i++) {
        parts.add("label_replace(count(" + batch.get(i) + "), \"" + INDEX + "\", \"" + i + "\", \"\", \"\")");
      }
      List<Sample> present;
      try {
        present = prometheus.query(String.join(" or ", parts)).samples();
      } catch (ApiException e) {
        continue;
      }
      for (Sample x : present) {
        String sel = batch.get(Integer.parseInt(x.metric().get(INDEX)));
        if (x.number() > 0) {
          cache.putIfAbsent(sel, new Verdict(Kind.PRESENT, sel, "", "", "", Set.of()));
        }
      }
    }
  }

  private static final int BATCH = 25;
  private static final String INDEX = "keiko_doctor_selector";

  private Verdict diagnose(Selector s) {
    String sel = s.promql();
    if (count(sel) > 0) {
      return new Verdict(Kind.PRESENT, sel, "", "", "", Set.of());
    }
    if (count(s.name()) > 0) {
      return labels(s);
    }
    Map<String, String> jobs = new HashMap<>();
    Instant now = Instant.now();
    boolean seen = !prometheus.series(now.minus(java.time.Duration.ofDays(7)), now, s.name()).isEmpty();
    for (Sample x : !seen ? List.<Sample>of() : prometheus.query("max by (job) (max_over_time(timestamp(" + s.name() + ")[" + LOOK_BACK
        + ":1m]))").samples()) {
      jobs.put(x.metric().getOrDefault("job", ""), x.value());
    }
    if (!jobs.isEmpty()) {
      String last = jobs.values().stream().map(v -> Instant.ofEpochSecond((long) Double.parseDouble(v)).toString())
          .max(Comparator.naturalOrder()).orElse("?");
      Set<String> js = new TreeSet<>(jobs.keySet());
      return new Verdict(Kind.DISAPPEARED, sel, "no " + s.name() + " series now; last sample " + last
          + " (job " + String.join(", ", js) + ")",
          s.name() + " disappeared: Prometheus last got it at " + last + " from job " + String.join(", ", js),
          "bring the target of job " + String.join(", ", js) + " back (see the target finding), or, when the"
              + " service stopped exporting it, remove it from keiko.yml", js);
    }
    String since = prometheus.query("min(prometheus_tsdb_lowest_timestamp_seconds)").samples().stream()
        .findFirst().map(x -> Instant.ofEpochSecond((long) x.number()).toString()).orElse("its first block");
    Optional<String> near = nearest(s.name());
    return new Verdict(Kind.NEVER_EXISTED, sel,
        "no " + s.name() + " series in the last " + LOOK_BACK + " (Prometheus holds data since " + since + ")",
        s.name() + " never existed in Prometheus" + near.map(n -> " (did you mean " + n + "?)").orElse(""),
        near.map(n -> "use " + n + " instead of " + s.name())
            .orElse("check that the service exports " + s.name() + " (curl its /metrics) and that its target is"
                + " scraped, or remove the query"), Set.of(NEVER));
  }

  private Verdict labels(Selector s) {
    for (Matcher m : s.matchers()) {
      String one = s.name() + "{" + m + "}";
      if (count(one) > 0) {
        continue;
      }
      boolean carried = count(s.name() + "{" + m.label() + "!=\"\"}") > 0;
      if (!carried) {
        List<String> others = prometheus.labelNames(s.name()).stream().filter(l -> !STRUCTURAL.contains(l)
            && s.matchers().stream().noneMatch(x -> x.label().equals(l))).toList();
        Optional<String> instead = others.stream()
            .filter(l -> count(s.name() + "{" + new Matcher(l, m.op(), m.value()) + "}") > 0).findFirst();
        String key = labelKeys.get(m.label());
        String cause = s.name() + " has no label " + m.label() + instead.map(l -> "; its series carry " + l
            + " (" + l + m.op() + "\"" + m.value() + "\" matches)").orElse("; its labels are " + others);
        String remedy = instead.map(l -> key != null ? key + ": " + l : "use label " + l + " instead of " + m.label())
            .orElse(key != null ? key + ": the label name the service exports (one of " + others + ")"
                : "use one of " + others + " instead of " + m.label());
        return new Verdict(Kind.LABEL_MISSING, s.promql(), "count(" + one + ") = 0, count(" + s.name() + ") > 0,"
            + " labels of " + s.name() + ": " + others, cause, remedy, Set.of());
      }
      List<String> values = prometheus.labelValues(m.label(), s.name());
      List<String> shown = values.size() > 10 ? values.subList(0, 10) : values;
      return new Verdict(Kind.VALUE_MISSING, s.promql(), "count(" + one + ") = 0; values of " + m.label() + ": "
          + shown, "no " + s.name() + " series has " + m + " right now (its " + m.label() + " values: " + shown + ")",
          "normal while that case does not happen (e.g. no 5xx yet); otherwise check the value", Set.of());
    }
    return new Verdict(Kind.VALUE_MISSING, s.promql(), "each matcher matches alone, not together",
        "no " + s.name() + " series has all of " + s.matchers() + " at once", "check the combination", Set.of());
  }

  private synchronized Optional<String> nearest(String name) {
    if (names == null) {
      names = prometheus.metricNames();
    }
    int limit = Math.max(2, name.length() / 5);
    return names.stream().filter(n -> !n.equals(name))
        .map(n -> Map.entry(n, EditDistance.levenshtein(name, n, limit + 1)))
        .filter(e -> e.getValue() <= limit).min(Map.Entry.comparingByValue()).map(Map.Entry::getKey);
  }

  private int count(String selector) {
    List<Sample> r = prometheus.query("count(" + selector + ")").samples();
    return r.isEmpty() ? 0 : (int) r.get(0).number();
  }

  /** The findings for the rules' selectors: one per selector that selects nothing, naming the rules using it. */
  static List<Finding> findings(SeriesDiagnosis d, Map<Selector, List<String>> users, Symptom symptom,
      List<String> recorded, Map<String, Set<String>> jobsOut) {
    List<Finding> out = new ArrayList<>();
    d.prefetch(users.keySet().stream().filter(sel -> !notChecked(sel, recorded)).toList());
    Map<String, List<String>> byVerdict = new java.util.LinkedHashMap<>();
    Map<String, Verdict> verdicts = new HashMap<>();
    users.forEach((sel, who) -> {
      if (notChecked(sel, recorded)) {
        return;
      }
      Verdict v = d.check(sel);
      if (!v.present()) {
        verdicts.putIfAbsent(v.selector(), v);
        byVerdict.computeIfAbsent(v.selector(), k -> new ArrayList<>()).addAll(who);
      }
    });
    byVerdict.forEach((sel, who) -> {
      Verdict v = verdicts.get(sel);
      String check = "series " + sel + " (used by " + String.join(", ", new TreeSet<>(who)) + ")";
      Finding f = v.kind() == Kind.LABEL_MISSING
          ? Finding.error(symptom, "series", check, v.evidence(), v.cause(), v.remedy())
          : v.kind() == Kind.VALUE_MISSING ? Finding.ok(symptom, "series", check, v.cause())
          : Finding.warning(symptom, "series", check, v.evidence(), v.cause(), v.remedy());
      String id = "series-" + Finding.id(sel);
      jobsOut.put(id, v.jobs());
      out.add(f.withId(id));
    });
    return out;
  }

  /** Empty on purpose, recorded by a rule (its rule's own selectors are checked), or Prometheus' own ALERTS. */
  private static boolean notChecked(Selector sel, List<String> recorded) {
    return sel.expectedEmpty() || recorded.contains(sel.name()) || sel.name().equals("ALERTS")
        || sel.name().equals("ALERTS_FOR_STATE");
  }
}
