package io.keikomon.doctor;

import io.keikomon.core.Component;
import io.keikomon.stack.ServiceStatus;
import io.keikomon.stack.StatusReport;
import java.util.Optional;

/** What the stack's status says when Prometheus cannot be asked at all. */
public final class StackEndpoints {
  private final StatusReport status;

  public StackEndpoints(StatusReport status) {
    this.status = status;
  }

  /** The finding when Prometheus cannot be asked at all: no container, or not running. */
  public Finding prometheusMissing() {
    Optional<ServiceStatus> s = status.services().stream()
        .filter(x -> x.service().equals(Component.PROMETHEUS.service())).findFirst();
    String evidence = s.map(x -> "container " + x.container() + ": " + x.state()
            + (x.problem() == null ? "" : ", " + x.problem()))
        .orElse("project " + status.project() + " has no prometheus container");
    return Finding.error(Symptom.METRICS, "prometheus", "Prometheus running", evidence,
        "Prometheus is not running, so nothing is scraped and doctor cannot read the chain",
        "`keiko-mon up` starts it; `keiko-mon logs prometheus` shows why it stopped");
  }
}
