package io.keikomon.doctor;

import io.keikomon.core.Component;
import io.keikomon.engine.PublishedPort;
import io.keikomon.stack.ServiceStatus;
import io.keikomon.stack.StatusReport;
import java.util.Optional;

/** Where the running stack publishes Prometheus' and Alertmanager's APIs on this machine, from its status. */
public final class StackEndpoints {
  /** A published API: host and port to connect to. */
  public record Endpoint(String host, int port) {
  }

  private final StatusReport status;

  public StackEndpoints(StatusReport status) {
    this.status = status;
  }

  public Optional<Endpoint> prometheus() {
    return published(Component.PROMETHEUS);
  }

  public Optional<Endpoint> alertmanager() {
    return published(Component.ALERTMANAGER);
  }

  /** The finding when Prometheus cannot be asked at all: no container, not running, or no published port. */
  public Finding prometheusMissing() {
    Optional<ServiceStatus> s = service(Component.PROMETHEUS);
    String evidence = s.map(x -> "container " + x.container() + ": " + x.state()
            + (x.problem() == null ? ", no published port " + Component.PROMETHEUS.port() : ", " + x.problem()))
        .orElse("project " + status.project() + " has no prometheus container");
    return Finding.fail(Symptom.METRICS, "Prometheus running and published", evidence,
        "Prometheus is not running, so nothing is scraped and doctor cannot read the chain",
        "`keiko-mon up` starts it; `keiko-mon logs prometheus` shows why it stopped");
  }

  private Optional<Endpoint> published(Component c) {
    return service(c).filter(s -> "running".equals(s.state())).flatMap(s -> s.ports().stream()
        .filter(p -> p.containerPort() == c.port() && "tcp".equals(p.protocol())).findFirst())
        .map(StackEndpoints::endpoint);
  }

  private static Endpoint endpoint(PublishedPort p) {
    String ip = p.hostIp();
    boolean any = ip == null || ip.isEmpty() || ip.equals("0.0.0.0") || ip.equals("::");
    return new Endpoint(any ? "127.0.0.1" : ip, p.hostPort());
  }

  private Optional<ServiceStatus> service(Component c) {
    return status.services().stream().filter(s -> s.service().equals(c.service())).findFirst();
  }
}
