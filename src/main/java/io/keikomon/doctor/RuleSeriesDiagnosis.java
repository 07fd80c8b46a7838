package io.keikomon.doctor;

import io.keikomon.api.PrometheusModel.Rule;
import io.keikomon.api.PrometheusModel.RuleGroup;
import io.keikomon.content.promql.PromqlSyntaxException;
import io.keikomon.content.promql.Selectors;
import io.keikomon.content.promql.Selectors.Selector;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Every selector of every rule Prometheus loaded: does it select something, and if not, why. */
final class RuleSeriesDiagnosis {
  private final PrometheusReads reads;
  private final SeriesDiagnosis series;
  private final FindingLedger ledger;

  RuleSeriesDiagnosis(PrometheusReads reads, SeriesDiagnosis series, FindingLedger ledger) {
    this.reads = reads;
    this.series = series;
    this.ledger = ledger;
  }

  void diagnose() {
    List<RuleGroup> groups = reads.rules();
    List<String> recorded = groups.stream().flatMap(g -> g.rules().stream())
        .filter(r -> "recording".equals(r.type())).map(Rule::name).toList();
    Map<Selector, List<String>> users = new LinkedHashMap<>();
    for (RuleGroup g : groups) {
      for (Rule r : g.rules()) {
        try {
          for (Selector s : Selectors.extract(r.query())) {
            users.computeIfAbsent(s, k -> new ArrayList<>()).add(("alerting".equals(r.type()) ? "alert "
                : "rule ") + r.name());
          }
        } catch (PromqlSyntaxException e) {
          // Prometheus loaded it, so it parses; the rule's health check reports evaluation problems
        }
      }
    }
    Map<String, Set<String>> jobs = new HashMap<>();
    for (Finding f : SeriesDiagnosis.findings(series, users, Symptom.METRICS, recorded, jobs)) {
      String id = ledger.add(f);
      ledger.consequence(id, jobs.getOrDefault(f.id(), Set.of()));
    }
  }
}
