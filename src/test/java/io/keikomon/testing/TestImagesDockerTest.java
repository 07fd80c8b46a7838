package io.keikomon.testing;

import io.keikomon.engine.dockerjava.DockerJavaConnector;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keikomon.engine.ContainerDetails;
import io.keikomon.engine.ContainerSpec;
import io.keikomon.engine.DockerGateway;
import io.keikomon.engine.ExecResult;
import io.keikomon.engine.HealthcheckSpec;
import io.keikomon.engine.ContainerSummary;
import io.keikomon.compose.ComposeLabels;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Every test image starts and passes the kind of healthcheck keiko-mon generates for its service. */
@Tag("docker")
class TestImagesDockerTest {
  private static final String PROJECT = "keiko-img-" + UUID.randomUUID().toString().substring(0, 8);
  private static DockerGateway docker;

  @BeforeAll
  static void build() {
    docker = DockerJavaConnector.connect(TestWorkspaces.jimfs(Map.of()));
    TestImages.ensureAll(docker);
  }

  @AfterAll
  static void cleanUp() {
    for (ContainerSummary c : docker.listContainers(Map.of(ComposeLabels.PROJECT, PROJECT))) {
      docker.removeContainer(c.id(), true);
    }
    docker.close();
  }

  @ParameterizedTest
  @CsvSource({
    "PROMETHEUS, http://localhost:9090/-/ready",
    "ALERTMANAGER, http://localhost:9093/-/ready",
    "NODE_EXPORTER, http://localhost:9100/metrics",
    "POSTGRES_EXPORTER, http://localhost:9187/metrics",
    "REDIS_EXPORTER, http://localhost:9121/metrics",
    "BLACKBOX_EXPORTER, http://localhost:9115/-/healthy",
    "GRAFANA_STANDIN, http://localhost:3000/api/health",
    "JAEGER_STANDIN, http://localhost:13133/status",
  })
  void imageStartsAndPassesAWgetHealthcheck(TestImages.Image image, String url) throws InterruptedException {
    String id = docker.createAndStart(ContainerSpec.builder(PROJECT + "-" + image.configKey(), image.tag())
        .label(ComposeLabels.PROJECT, PROJECT)
        // Debian's postgres_exporter (0.11) exits at once without a data source; it need not answer
        .env(image == TestImages.Image.POSTGRES_EXPORTER
            ? Map.of("DATA_SOURCE_NAME", "postgresql://u:p@127.0.0.1:1/postgres?sslmode=disable") : Map.of())
        .healthcheck(new HealthcheckSpec(List.of("CMD", "wget", "-qO-", url), Duration.ofMillis(300),
            Duration.ofSeconds(3), null, 50))
        .build());
    Instant deadline = Instant.now().plusSeconds(30);
    ContainerDetails details = docker.inspectContainer(id).orElseThrow();
    while (!details.state().health().healthy() && details.state().running() && Instant.now().isBefore(deadline)) {
      Thread.sleep(200);
      details = docker.inspectContainer(id).orElseThrow();
    }
    assertTrue(details.state().health().healthy(), image + " not healthy: " + details.state());
  }

  @Test
  void jaegerStandInServesItsUiAndMetricsPorts() throws InterruptedException {
    String id = docker.createAndStart(ContainerSpec.builder(PROJECT + "-jaeger-ports", TestImages.Image.JAEGER_STANDIN.tag())
        .label(ComposeLabels.PROJECT, PROJECT).build());
    ExecResult ui = null;
    for (int i = 0; i < 50; i++) {
      ui = docker.exec(id, List.of("wget", "-qO-", "http://localhost:16686/"), Duration.ofSeconds(5));
      if (ui.exitCode() == 0) {
        break;
      }
      Thread.sleep(100);
    }
    assertTrue(ui.stdout().contains("Jaeger stand-in"), ui.toString());
    ExecResult metrics = docker.exec(id, List.of("wget", "-qO-", "http://localhost:8888/metrics"), Duration.ofSeconds(5));
    assertTrue(metrics.stdout().contains("keiko_jaeger_standin_up 1"), metrics.toString());
  }

  @Test
  void standInsStopPromptlyOnSigterm() throws InterruptedException {
    Map<TestImages.Image, String> servedAt = Map.of(TestImages.Image.GRAFANA_STANDIN, "http://localhost:3000/api/health",
        TestImages.Image.JAEGER_STANDIN, "http://localhost:16686/");
    for (TestImages.Image image : servedAt.keySet()) {
      String id = docker.createAndStart(ContainerSpec.builder(PROJECT + "-stop-" + image.configKey(), image.tag())
          .label(ComposeLabels.PROJECT, PROJECT).build());
      // once it serves, its shell has set the trap (a signal before that is as ignored as in any PID 1)
      for (int i = 0; i < 100 && docker.exec(id, List.of("wget", "-qO-", servedAt.get(image)),
          Duration.ofSeconds(5)).exitCode() != 0; i++) {
        Thread.sleep(50);
      }
      docker.stopContainer(id, Duration.ofSeconds(10));
      // 0, not 137: it ended on SIGTERM instead of being killed when the grace period ran out
      assertEquals(0, docker.inspectContainer(id).orElseThrow().state().exitCode(), image.toString());
    }
  }

  @Test
  void prometheusScrapesTheStandInsAsTargets() throws Exception {
    String network = PROJECT + "_scrape";
    docker.createNetwork(new io.keikomon.engine.NetworkSpec(network, null, Map.of(ComposeLabels.PROJECT, PROJECT), false));
    try {
      docker.createAndStart(ContainerSpec.builder(PROJECT + "-scrape-grafana", TestImages.Image.GRAFANA_STANDIN.tag())
          .label(ComposeLabels.PROJECT, PROJECT).network(network, List.of("grafana")).build());
      docker.createAndStart(ContainerSpec.builder(PROJECT + "-scrape-jaeger", TestImages.Image.JAEGER_STANDIN.tag())
          .label(ComposeLabels.PROJECT, PROJECT).network(network, List.of("jaeger")).build());
      String prom = docker.createContainer(ContainerSpec.builder(PROJECT + "-scrape-prom", TestImages.Image.PROMETHEUS.tag())
          .label(ComposeLabels.PROJECT, PROJECT).network(network, List.of("prometheus")).build());
      java.io.ByteArrayOutputStream tar = new java.io.ByteArrayOutputStream();
      try (io.keikomon.core.TarWriter w = new io.keikomon.core.TarWriter(tar, 0)) {
        w.file("prometheus.yml", "global: {scrape_interval: 1s}\nscrape_configs:\n"
            + "  - {job_name: grafana, static_configs: [{targets: ['grafana:3000']}]}\n"
            + "  - {job_name: jaeger, static_configs: [{targets: ['jaeger:8888']}]}\n", 0644);
      }
      docker.copyIn(prom, "/etc/prometheus", new java.io.ByteArrayInputStream(tar.toByteArray()));
      docker.startContainer(prom);
      String query = "wget -qO- 'http://localhost:9090/api/v1/query?query=sum(up)'";
      ExecResult r = null;
      for (int i = 0; i < 100; i++) {
        r = docker.exec(prom, List.of("sh", "-c", query), Duration.ofSeconds(5));
        if (r.stdout().contains("\"2\"]")) {
          break;
        }
        Thread.sleep(200);
      }
      assertTrue(r.stdout().contains("\"2\"]"), "both stand-ins scraped as up: " + r);
    } finally {
      for (ContainerSummary c : docker.listContainers(Map.of(ComposeLabels.PROJECT, PROJECT))) {
        docker.removeContainer(c.id(), true);
      }
      docker.removeNetwork(network);
    }
  }

  @Test
  void secondEnsureKeepsTheImage() {
    String before = docker.inspectImage(TestImages.Image.ALERTMANAGER.tag()).orElseThrow().id();
    TestImages.ensure(docker, TestImages.Image.ALERTMANAGER);
    assertEquals(before, docker.inspectImage(TestImages.Image.ALERTMANAGER.tag()).orElseThrow().id());
  }

  @Test
  void toolsSitWhereTheUpstreamImagesHaveThem() {
    String id = docker.createAndStart(ContainerSpec.builder(PROJECT + "-am-tools", TestImages.Image.ALERTMANAGER.tag())
        .label(ComposeLabels.PROJECT, PROJECT).build());
    ExecResult amtool = docker.exec(id, List.of("/bin/amtool", "check-config", "/etc/alertmanager/alertmanager.yml"),
        Duration.ofSeconds(20));
    assertEquals(0, amtool.exitCode(), amtool.toString());
    ExecResult user = docker.exec(id, List.of("sh", "-c", "id -u 2>/dev/null || echo $(cat /proc/self/status | grep Uid)"),
        Duration.ofSeconds(5));
    assertTrue(user.stdout().contains("65534"), user.toString());
  }
}
