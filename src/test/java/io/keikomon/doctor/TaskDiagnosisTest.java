package io.keikomon.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keikomon.stack.ServiceStatus;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Swarm mode's container link: one finding per task (as status lists them), and a replica shortfall named. */
class TaskDiagnosisTest {
  static ServiceStatus task(String service, String name, String state, String problem) {
    return new ServiceStatus(service, name, state, problem == null ? "healthy" : state, List.of(),
        problem == null ? Duration.ofMinutes(3) : null, "keiko-test/prometheus:debian", problem, false);
  }

  @Test
  void everyTaskIsItsOwnFindingAndAFailedOneCarriesSwarmsErrorAndItsLogLine() {
    List<ServiceStatus> rows = List.of(
        task("prometheus", "prometheus.1 on node-1", "running", null),
        task("prometheus", "prometheus.2 on node-1", "failed", "failed: task: non-zero exit (1)"),
        new ServiceStatus("prometheus", null, ServiceStatus.MISSING, ServiceStatus.NO_HEALTHCHECK, List.of(), null,
            null, "1 of 2 replicas running", false),
        task("alertmanager", "alertmanager.1 on node-1", "running", null),
        task("alertmanager", "alertmanager.2 on node-1", "running", null));
    ServiceLogs logs = (service, lines) -> service.equals("prometheus")
        ? List.of("ts=1 level=error msg=\"Error loading config (--config.file=/etc/prometheus/prometheus.yml)\""
            + " err=\"parsing YAML file /etc/prometheus/prometheus.yml: yaml: line 12: field scrape_intervall not found\"")
        : List.of();

    List<Finding> all = new ContainerDiagnosis(logs, "monitoring", true).diagnose(rows);

    assertEquals(5, new DoctorReport(all).findings().size(), "none dropped from the report by a shared id: " + all);
    assertEquals(List.of("task prometheus.1 on node-1", "task prometheus.2 on node-1", "replicas prometheus",
        "task alertmanager.1 on node-1", "task alertmanager.2 on node-1"), all.stream().map(Finding::check).toList());
    Finding failed = all.get(1);
    assertTrue(failed.isError());
    assertTrue(failed.evidence().startsWith("failed: task: non-zero exit (1); log: "), failed.evidence());
    assertTrue(failed.cause().startsWith("task prometheus.2 on node-1 of prometheus is failed: "), failed.cause());
    assertTrue(failed.remedy().startsWith("fix monitoring/prometheus/prometheus.yml line 12"), failed.remedy());
    Finding shortfall = all.get(2);
    assertTrue(shortfall.isError());
    assertEquals("1 of 2 replicas running", shortfall.evidence());
    assertEquals("prometheus runs fewer replicas than desired", shortfall.cause());
    assertTrue(shortfall.remedy().contains("`keiko-mon status` shows each task, its node"), shortfall.remedy());
    assertEquals(3, all.stream().filter(f -> !f.isError()).count());
  }

  @Test
  void composeRowsKeepTheirContainerWording() {
    List<Finding> f = new ContainerDiagnosis(ServiceLogs.none(), "monitoring", false)
        .diagnose(List.of(task("prometheus", "kp-prometheus-1", "running", null)));
    assertEquals("container prometheus", f.get(0).check());
  }
}
