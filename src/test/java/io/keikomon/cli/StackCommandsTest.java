package io.keikomon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keikomon.core.Workspace;
import io.keikomon.compose.ComposeLabels;
import io.keikomon.engine.ContainerDetails;
import io.keikomon.engine.ContainerState;
import io.keikomon.engine.ExecResult;
import io.keikomon.engine.Health;
import io.keikomon.engine.HealthProbe;
import io.keikomon.engine.NetworkInfo;
import io.keikomon.engine.PublishedPort;
import io.keikomon.engine.VolumeInfo;
import io.keikomon.testing.CliHarness;
import io.keikomon.testing.InMemoryDockerEngine;
import io.keikomon.testing.TestWorkspaces;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** down, status and logs over an engine in memory: what the user sees and what is removed. */
class StackCommandsTest {
  private static final Instant NOW = TestWorkspaces.T0;
  private final Workspace ws = TestWorkspaces.withConfig("project: shop\n");
  private final InMemoryDockerEngine docker = new InMemoryDockerEngine();
  private final CliHarness cli = new CliHarness(new Services(ws, false).withDocker(docker));
  /** What Prometheus answers on /api/v1/targets (reached through wget in its container: the engine is remote). */
  private volatile String targets = "{\"status\":\"success\",\"data\":{\"activeTargets\":[],\"droppedTargets\":[]}}";
  /** Exit code of every healthcheck command run by exec. */
  private volatile int healthcheckExit = 0;

  {
    docker.execHook = (name, cmd) -> {
      String last = cmd.get(cmd.size() - 1);
      if (cmd.contains("-S") && last.endsWith("/api/v1/targets")) {
        return new ExecResult(0, targets, "  HTTP/1.1 200 OK\n");
      }
      if (last.endsWith("/-/ready")) {
        return new ExecResult(healthcheckExit, "", healthcheckExit == 0 ? "" : "wget: server returned error: HTTP/1.1 503");
      }
      return null;
    };
  }

  private void composeFileWithHealthchecks() throws Exception {
    Files.createDirectories(ws.dir().resolve("monitoring"));
    Files.writeString(ws.dir().resolve("monitoring/docker-compose.monitoring.yml"), """
        services:
          prometheus:
            image: p
            healthcheck: {test: ["CMD", "wget", "-qO-", "http://127.0.0.1:9090/-/ready"]}
          alertmanager:
            image: a
            healthcheck: {test: ["CMD", "wget", "-qO-", "http://127.0.0.1:9093/-/ready"]}
        """);
  }

  @Test
  void statusRunsTheHealthcheckItselfWhileDockersFirstCheckIsPending() throws Exception {
    composeFileWithHealthchecks();
    docker.container(running("shop", "prometheus", "healthy", 125, 9090))
        .container(running("shop", "alertmanager", "starting", 3, 9093));

    CliHarness.Result r = cli.run("status");

    assertEquals(0, r.exitCode(), r.toString());
    assertTrue(r.out().lines().anyMatch(l -> l.matches("alertmanager\\s+shop-alertmanager-1\\s+running\\s+healthy \\(probe\\)\\s+3s.*")),
        r.toString());
    assertTrue(r.out().contains("(probe): Docker's first healthcheck has not run yet; keiko-mon ran the same check"),
        r.toString());
    assertTrue(docker.calls.contains("exec shop-alertmanager-1 wget -qO- http://127.0.0.1:9093/-/ready"), docker.calls.toString());
    assertFalse(docker.calls.stream().anyMatch(c -> c.startsWith("exec shop-prometheus-1 wget -qO-")),
        "a service Docker calls healthy is not probed again");

    docker.container(running("shop", "alertmanager", "starting", 3, 9093)); // the fake engine counted the probe as its check
    JsonNode am = new ObjectMapper().readTree(cli.run("status", "--output", "json").out()).get("services").get(0);
    assertEquals("healthy", am.get("health").asText());
    assertEquals("probe", am.get("healthSource").asText());
    assertTrue(am.get("ok").asBoolean());
  }

  @Test
  void statusStillExitsFiveWhenItsOwnProbeFailsToo() throws Exception {
    composeFileWithHealthchecks();
    healthcheckExit = 1;
    docker.container(running("shop", "prometheus", "healthy", 125, 9090))
        .container(running("shop", "alertmanager", "starting", 3, 9093));

    CliHarness.Result r = cli.run("status");

    assertEquals(5, r.exitCode(), r.toString());
    assertTrue(r.err().contains("alertmanager: healthcheck has not passed yet"), r.toString());
  }

  @Test
  void statusShowsEachPrometheusTargetAndADownOneDoesNotChangeTheExitCode() throws Exception {
    targets = """
        {"status":"success","data":{"activeTargets":[
          {"labels":{"instance":"host.docker.internal:8080","job":"backend"},"scrapePool":"backend",
           "scrapeUrl":"http://host.docker.internal:8080/metrics","health":"down",
           "lastError":"Get \\"http://host.docker.internal:8080/metrics\\": dial tcp: connection refused"},
          {"labels":{"instance":"localhost:9090","job":"prometheus"},"scrapePool":"prometheus",
           "scrapeUrl":"http://localhost:9090/metrics","health":"up","lastError":""}],"droppedTargets":[]}}
        """;
    docker.container(running("shop", "prometheus", "healthy", 125, 9090));

    CliHarness.Result r = cli.run("status");

    assertEquals(0, r.exitCode(), r.toString());
    List<String> lines = r.out().lines().toList();
    assertTrue(lines.contains(""), r.toString());
    assertTrue(lines.stream().anyMatch(l -> l.matches("TARGET JOB\\s+INSTANCE\\s+HEALTH\\s+LAST ERROR")), r.toString());
    assertTrue(lines.stream().anyMatch(l -> l.matches("backend\\s+host.docker.internal:8080\\s+down\\s+Get .*connection refused")),
        r.toString());
    assertTrue(lines.stream().anyMatch(l -> l.matches("prometheus\\s+localhost:9090\\s+up\\s+-")), r.toString());
    assertTrue(r.err().contains("target backend host.docker.internal:8080 is down: Get"), r.toString());

    JsonNode root = new ObjectMapper().readTree(cli.run("status", "--output", "json").out());
    assertTrue(root.get("ok").asBoolean());
    assertEquals("down", root.get("targets").get(0).get("health").asText());
    assertTrue(root.get("targets").get(0).get("lastError").asText().contains("connection refused"));
    assertTrue(root.get("targets").get(1).get("lastError").isNull());
    assertTrue(root.get("targetsProblem").isNull());
  }

  @Test
  void statusSaysWhenPrometheusTargetsCannotBeRead() {
    docker.execHook = (name, cmd) -> cmd.contains("-S")
        ? new ExecResult(1, "", "wget: can't connect to remote host (127.0.0.1): Connection refused\n") : null;
    docker.container(running("shop", "prometheus", "healthy", 125, 9090));

    CliHarness.Result r = cli.run("status");

    assertEquals(0, r.exitCode(), r.toString());
    assertTrue(r.err().contains("Prometheus targets unknown: read Prometheus targets failed: GET"
        + " http://127.0.0.1:9090/api/v1/targets: connection refused"), r.toString());
  }

  private static Map<String, String> labels(String project, String service) {
    return Map.of(ComposeLabels.PROJECT, project, ComposeLabels.SERVICE, service, ComposeLabels.ONEOFF, "False");
  }

  private static ContainerDetails running(String project, String service, String health, long upSeconds,
      int hostPort) {
    Health h = health == null ? null : new Health(health, health.equals("healthy") ? 0 : 3,
        List.of(new HealthProbe(NOW, NOW, health.equals("healthy") ? 0 : 1, "probe output of " + service)));
    return new ContainerDetails(project + "-" + service + "-id", project + "-" + service + "-1", "img/" + service + ":1", "sha256:x",
        labels(project, service),
        new ContainerState("running", true, 0, false, NOW.minusSeconds(upSeconds), null, h, ""),
        hostPort == 0 ? List.of() : List.of(PublishedPort.tcp("127.0.0.1", hostPort, hostPort)),
        List.of(project + "_default"), NOW.minusSeconds(upSeconds));
  }

  @Test
  void statusShowsEveryServiceAndExitsZeroWhenAllAreHealthy() {
    docker.container(running("shop", "prometheus", "healthy", 125, 9090))
        .container(running("shop", "node-exporter", null, 3700, 0))
        .container(running("other", "prometheus", "unhealthy", 5, 19090));
    CliHarness.Result r = cli.run("status");
    assertEquals(0, r.exitCode(), r.toString());
    List<String> lines = r.out().lines().toList();
    assertEquals(3, lines.size(), r.toString());
    assertTrue(lines.get(0).matches("SERVICE\\s+CONTAINER\\s+STATE\\s+HEALTH\\s+UPTIME\\s+PORTS\\s+IMAGE"), lines.get(0));
    assertTrue(lines.get(1).matches(
        "node-exporter\\s+shop-node-exporter-1\\s+running\\s+-\\s+1h1m\\s+-\\s+img/node-exporter:1"), lines.get(1));
    assertTrue(lines.get(2).matches(
        "prometheus\\s+shop-prometheus-1\\s+running\\s+healthy\\s+2m5s\\s+127.0.0.1:9090->9090/tcp\\s+img/prometheus:1"),
        lines.get(2));
    assertEquals("", r.err());
  }

  @Test
  void statusExitsFiveAndSaysWhyWhenAServiceIsUnhealthy() {
    docker.container(running("shop", "prometheus", "healthy", 125, 9090))
        .container(running("shop", "alertmanager", "unhealthy", 60, 9093));
    CliHarness.Result r = cli.run("status");
    assertEquals(5, r.exitCode(), r.toString());
    assertTrue(r.err().contains("alertmanager: unhealthy after 3 failed checks: probe output of alertmanager"),
        r.toString());
  }

  @Test
  void statusListsServicesOfTheRenderedComposeFileThatHaveNoContainer() throws Exception {
    Files.createDirectories(ws.dir().resolve("monitoring"));
    Files.writeString(ws.dir().resolve("monitoring/docker-compose.monitoring.yml"),
        "services:\n  prometheus: {image: p}\n  grafana: {image: g}\n");
    docker.container(running("shop", "prometheus", "healthy", 10, 9090));
    CliHarness.Result r = cli.run("status");
    assertEquals(5, r.exitCode(), r.toString());
    assertTrue(r.out().lines().anyMatch(l -> l.matches("grafana\\s+-\\s+missing\\s+.*")), r.toString());
    assertTrue(r.err().contains("grafana: no container (run `keiko-mon up`)"), r.toString());
  }

  @Test
  void statusOfAProjectWithoutContainersExitsFive() {
    CliHarness.Result r = cli.run("status");
    assertEquals(5, r.exitCode(), r.toString());
    assertTrue(r.err().contains("project shop has no containers; start it with `keiko-mon up`"), r.toString());
  }

  @Test
  void statusJsonIsOneDocumentWithEveryField() throws Exception {
    docker.container(running("shop", "prometheus", "healthy", 125, 9090))
        .container(running("shop", "alertmanager", "starting", 3, 0));
    CliHarness.Result r = cli.run("status", "--output", "json");
    assertEquals(5, r.exitCode(), r.toString());
    JsonNode root = new ObjectMapper().readTree(r.out());
    assertEquals("shop", root.get("project").asText());
    assertFalse(root.get("ok").asBoolean());
    JsonNode am = root.get("services").get(0);
    assertEquals("alertmanager", am.get("service").asText());
    assertEquals("starting", am.get("health").asText());
    assertFalse(am.get("ok").asBoolean());
    assertTrue(am.get("problem").asText().startsWith("healthcheck has not passed yet"));
    JsonNode prom = root.get("services").get(1);
    assertEquals("shop-prometheus-1", prom.get("container").asText());
    assertEquals("running", prom.get("state").asText());
    assertEquals(125, prom.get("uptimeSeconds").asLong());
    assertEquals(9090, prom.get("ports").get(0).get("hostPort").asInt());
    assertEquals("127.0.0.1", prom.get("ports").get(0).get("hostIp").asText());
    assertEquals("img/prometheus:1", prom.get("image").asText());
    assertTrue(prom.get("ok").asBoolean());
    assertTrue(prom.get("problem").isNull());
  }

  @Test
  void downRemovesContainersAndNetworkButKeepsVolumesAndSaysSo() {
    docker.container(running("shop", "prometheus", "healthy", 10, 9090))
        .container(running("shop", "grafana", "healthy", 10, 3000))
        .container(running("other", "prometheus", "healthy", 10, 19090))
        .network(new NetworkInfo("n1", "shop_default", "bridge", Map.of(ComposeLabels.PROJECT, "shop")))
        .volume(new VolumeInfo("shop_prometheus-data", "local", Map.of(ComposeLabels.PROJECT, "shop")))
        .volume(new VolumeInfo("shop_grafana-data", "local", Map.of(ComposeLabels.PROJECT, "shop")));
    CliHarness.Result r = cli.run("down");
    assertEquals(0, r.exitCode(), r.toString());
    assertEquals(List.of("other-prometheus-1"), docker.containers.values().stream().map(InMemoryDockerEngine.Container::name).toList());
    assertEquals(2, docker.volumes.size());
    assertTrue(docker.calls.indexOf("stop shop-prometheus-1") < docker.calls.indexOf("remove shop-prometheus-1"));
    assertTrue(docker.calls.indexOf("remove shop-prometheus-1") < docker.calls.indexOf("remove network n1"),
        "the network goes after the containers on it: " + docker.calls);
    assertEquals("""
        removed container shop-grafana-1
        removed container shop-prometheus-1
        removed network shop_default
        kept 2 volumes (stored metrics and state): shop_grafana-data, shop_prometheus-data
          `keiko-mon down --volumes` removes them
        """, r.out());
    assertEquals("stopping 2 containers of project shop ...\n", r.err());
  }

  @Test
  void downTriesEveryContainerAndReportsAllThatFailed() {
    docker.container(running("shop", "prometheus", "healthy", 10, 9090))
        .container(running("shop", "grafana", "healthy", 10, 3000))
        .network(new NetworkInfo("n1", "shop_default", "bridge", Map.of(ComposeLabels.PROJECT, "shop")));
    docker.refuseRemoval.add("shop-prometheus-1");
    CliHarness.Result r = cli.run("down");
    assertEquals(1, r.exitCode(), r.toString());
    assertTrue(r.err().contains("error: could not remove 1 of 2 containers (the network and volumes were left as they"
        + " are):\n  - shop-prometheus-1: could not remove container shop-prometheus-id (tcp://engine.example:2375): device or resource"
        + " busy"), r.toString());
    assertTrue(r.err().contains("hint: run `keiko-mon down` again"), r.toString());
    assertEquals(List.of("shop-prometheus-1"), docker.containers.values().stream().map(InMemoryDockerEngine.Container::name).toList(),
        "grafana was still removed");
    assertFalse(docker.calls.contains("remove network n1"));
  }

  @Test
  void downWithVolumesRemovesThemToo() {
    docker.container(running("shop", "prometheus", "healthy", 10, 9090))
        .volume(new VolumeInfo("shop_prometheus-data", "local", Map.of(ComposeLabels.PROJECT, "shop")))
        .volume(new VolumeInfo("other_data", "local", Map.of(ComposeLabels.PROJECT, "other")));
    CliHarness.Result r = cli.run("down", "--volumes");
    assertEquals(0, r.exitCode(), r.toString());
    assertEquals(List.of("other_data"), List.copyOf(docker.volumes.keySet()));
    assertTrue(r.out().contains("removed volume shop_prometheus-data"), r.toString());
  }

  @Test
  void downOfNothingSaysSo() {
    CliHarness.Result r = cli.run("down");
    assertEquals(0, r.exitCode(), r.toString());
    assertEquals("nothing to remove: project shop has no containers, networks or volumes\n", r.out());
  }

  @Test
  void logsPrefixesEachLineWithItsServiceAligned() {
    docker.container(running("shop", "prometheus", "healthy", 10, 9090))
        .container(running("shop", "node-exporter", null, 10, 0))
        .logLines("shop-prometheus-1", "p1", "p2", "p3")
        .logLines("shop-node-exporter-1", "n1");
    CliHarness.Result r = cli.run("logs", "--tail", "2");
    assertEquals(0, r.exitCode(), r.toString());
    assertEquals("""
        node-exporter | n1
        prometheus    | p2
        prometheus    | p3
        """, r.out());
  }

  @Test
  void logsOfNamedServicesOnly() {
    docker.container(running("shop", "prometheus", "healthy", 10, 9090))
        .container(running("shop", "node-exporter", null, 10, 0))
        .logLines("shop-prometheus-1", "p1")
        .logLines("shop-node-exporter-1", "n1");
    CliHarness.Result r = cli.run("logs", "prometheus");
    assertEquals("prometheus | p1\n", r.out(), r.toString());
  }

  @Test
  void logsOfAnUnknownServiceListsTheKnownOnes() {
    docker.container(running("shop", "prometheus", "healthy", 10, 9090));
    CliHarness.Result r = cli.run("logs", "grafna");
    assertEquals(1, r.exitCode(), r.toString());
    assertTrue(r.err().contains("error: no container for service grafna in project shop"), r.toString());
    assertTrue(r.err().contains("hint: services with containers: prometheus"), r.toString());
  }
}
