package io.keikomon.up;

import io.keikomon.compose.ComposeParserTest;
import io.keikomon.stack.StackLabels;

import io.keikomon.compose.ComposeLabels;
import io.keikomon.compose.ComposeModel;
import io.keikomon.compose.ComposeParser;
import io.keikomon.engine.ContainerSpec;
import io.keikomon.engine.ExecResult;
import io.keikomon.engine.Mount;
import io.keikomon.engine.NetworkAttachment;
import io.keikomon.engine.PortBinding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keikomon.core.Console;
import io.keikomon.core.OperationFailedException;
import io.keikomon.core.UnhealthyException;
import io.keikomon.up.Plan.Action;
import io.keikomon.testing.InMemoryDockerEngine;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StackUpTest {
  static final StackUp.Options WAIT = new StackUp.Options(Duration.ofSeconds(5), true, Duration.ofMillis(10));

  final InMemoryDockerEngine engine = new InMemoryDockerEngine();
  final Lines console = new Lines();
  Path dir;
  Path composeFile;
  StackUp up;

  static final class Lines implements Console {
    final List<String> lines = new CopyOnWriteArrayList<>();

    @Override
    public void out(String line) {
      lines.add(line);
    }

    @Override
    public void info(String line) {
      lines.add(line);
    }

    @Override
    public void warn(String line) {
      lines.add("warning: " + line);
    }

    String all() {
      return String.join("\n", lines);
    }
  }

  @BeforeEach
  void renderedTreeAndImages() throws IOException {
    composeFile = ComposeParserTest.renderedTree();
    dir = composeFile.getParent();
    List.of("prom/prometheus:v3.5.0", "prom/alertmanager:v0.28.1", "prom/node-exporter:v1.9.1",
        "grafana/grafana:12.0.2").forEach(engine::image);
    up = new StackUp(engine, new ReloadLedger(dir.getParent().resolve(".keiko-mon/reloaded-config.json")));
  }

  ComposeModel model() throws IOException {
    return new ComposeParser(Map.of()).parse(composeFile, "c.yml", Files.readString(composeFile), "keiko").model();
  }

  Map<String, String> apply(StackUp.Options options) throws IOException {
    ComposeModel m = model();
    return up.apply(up.prepare(m), options, new UpProgress(console, false, List.copyOf(m.services().keySet())));
  }

  @Test
  void fromNothingCreatesNetworkVolumesAndContainersInDependencyOrder() throws IOException {
    Map<String, String> ids = apply(WAIT);

    assertEquals(4, ids.size());
    List<String> created = engine.created();
    assertTrue(created.indexOf("keiko-alertmanager") < created.indexOf("keiko-prometheus"), created.toString());
    assertTrue(created.indexOf("keiko-prometheus") < created.indexOf("keiko-grafana"), created.toString());
    assertTrue(engine.changes().contains("create network keiko_default"));
    assertTrue(engine.changes().contains("create volume keiko_prometheus-data"));
    assertEquals("default", engine.networks.get("keiko_default").labels().get(ComposeLabels.NETWORK));
    assertEquals("grafana-data", engine.volumes.get("keiko_grafana-data").labels().get(ComposeLabels.VOLUME));
    assertEquals("yes", engine.volumes.get("keiko_grafana-data").labels().get("backup"));

    ContainerSpec prom = engine.byName("keiko-prometheus").spec();
    assertEquals("prometheus", prom.labels().get(ComposeLabels.SERVICE));
    assertEquals(List.of(new NetworkAttachment("keiko_default", List.of("prometheus"))), prom.networks());
    assertEquals(List.of(PortBinding.tcp("127.0.0.1", 9090, 9090)), prom.ports());
    assertEquals(Duration.ofSeconds(10), prom.healthcheck().interval());
    assertTrue(prom.mounts().contains(Mount.volume("keiko_prometheus-data", "/prometheus")));
    assertEquals("host", engine.byName("keiko-node-exporter").spec().networkMode());
    assertTrue(console.all().contains("prometheus     healthy"), console.all());
  }

  @Test
  void secondUpFindsNothingToDo() throws IOException {
    Map<String, String> first = apply(WAIT);
    int calls = engine.changes().size();

    StackUp.Prepared again = up.prepare(model());

    assertTrue(again.plan().unchanged(), again.plan().toString());
    assertTrue(again.upToDate());
    assertEquals(first.get("prometheus"), again.plan().step("prometheus").containerId());
    assertEquals(calls, engine.changes().size(), "planning changes nothing");
  }

  @Test
  void ruleChangeIsReloadedInPlaceAndVerified() throws IOException {
    Map<String, String> first = apply(WAIT);
    AtomicInteger loads = new AtomicInteger();
    engine.execHook = (name, cmd) -> {
      String url = cmd.get(cmd.size() - 1);
      if (url.endsWith("/-/reload")) {
        loads.incrementAndGet();
      }
      if (url.endsWith("/api/v1/status/runtimeinfo")) {
        return runtimeInfo(true, loads.get() > 0 ? Instant.now() : Instant.parse("2026-01-01T00:00:00Z"));
      }
      return null;
    };
    Files.writeString(dir.resolve("prometheus/rules/a.yml"), "groups: [{name: new, rules: []}]\n");
    engine.calls.clear();

    assertEquals(Action.RELOAD, up.prepare(model()).plan().step("prometheus").action());
    Map<String, String> second = apply(WAIT);

    assertEquals(first, second, "same containers");
    assertEquals(1, loads.get());
    assertTrue(engine.created().isEmpty(), engine.calls.toString());
    assertTrue(engine.calls.contains("exec keiko-prometheus wget -S -O- --post-data= http://127.0.0.1:9090/-/reload"),
        engine.calls.toString());
    assertTrue(up.prepare(model()).upToDate(), "the reload is remembered although labels cannot change");
  }

  /** What busybox `wget -S` prints on stderr for a 200 answer. */
  static final String OK = "Connecting to 127.0.0.1 (127.0.0.1)\n  HTTP/1.1 200 OK\n  Content-Type: application/json\n";

  static ExecResult runtimeInfo(boolean success, Instant lastConfig) {
    return new ExecResult(0, "{\"status\":\"success\",\"data\":{\"reloadConfigSuccess\":" + success
        + ",\"lastConfigTime\":\"" + lastConfig.truncatedTo(ChronoUnit.SECONDS) + "\"}}", OK);
  }

  @Test
  void reloadThatPrometheusDidNotApplyIsAFailure() throws IOException {
    apply(WAIT);
    engine.execHook = (name, cmd) -> cmd.get(cmd.size() - 1).endsWith("/api/v1/status/runtimeinfo")
        ? runtimeInfo(false, Instant.now()) : null;
    Files.writeString(dir.resolve("prometheus/rules/a.yml"), "groups: [{name: new, rules: []}]\n");
    OperationFailedException e = assertThrows(OperationFailedException.class, () -> apply(WAIT));
    assertTrue(e.getMessage().contains("reloadConfigSuccess=false"), e.getMessage());

    engine.execHook = (name, cmd) -> cmd.get(cmd.size() - 1).endsWith("/api/v1/status/runtimeinfo")
        ? runtimeInfo(true, Instant.now().minusSeconds(60)) : null;
    e = assertThrows(OperationFailedException.class, () -> apply(WAIT));
    assertTrue(e.getMessage().contains("is older than the reload request"), e.getMessage());
  }

  @Test
  void alertmanagerReloadIsVerifiedByItsReloadMetrics() throws IOException {
    Map<String, String> first = apply(WAIT);
    AtomicInteger reloads = new AtomicInteger();
    engine.execHook = (name, cmd) -> {
      String url = cmd.get(cmd.size() - 1);
      if (name.equals("keiko-alertmanager") && url.endsWith("/-/reload")) {
        reloads.incrementAndGet();
      }
      if (url.endsWith("/metrics")) {
        return new ExecResult(0, "# TYPE alertmanager_config_last_reload_successful gauge\n"
            + "alertmanager_config_last_reload_successful " + (reloads.get() > 1 ? 0 : 1) + "\n"
            + "alertmanager_config_last_reload_success_timestamp_seconds " + Instant.now().getEpochSecond() + "\n", OK);
      }
      return null;
    };
    Files.writeString(dir.resolve("alertmanager/alertmanager.yml"), "route: {receiver: y}\n");
    assertEquals(first, apply(WAIT));
    assertEquals(1, reloads.get());

    Files.writeString(dir.resolve("alertmanager/alertmanager.yml"), "route: {receiver: z}\n");
    OperationFailedException e = assertThrows(OperationFailedException.class, () -> apply(WAIT));
    assertTrue(e.getMessage().contains("alertmanager_config_last_reload_successful 0.0"), e.getMessage());
  }

  @Test
  void failedReloadShowsPrometheusReasonAndIsRetriedNextTime() throws IOException {
    apply(WAIT);
    engine.execHook = (name, cmd) -> cmd.get(cmd.size() - 1).endsWith("/-/reload")
        ? new ExecResult(1, "", "Connecting to 127.0.0.1:9090 (127.0.0.1:9090)\n  HTTP/1.1 500 Internal Server Error\n"
            + "wget: server returned error: HTTP/1.1 500 Internal Server Error\n") : null;
    Files.writeString(dir.resolve("prometheus/prometheus.yml"), "global: {scrape_interval: nonsense}\n");

    OperationFailedException e = assertThrows(OperationFailedException.class, () -> apply(WAIT));

    assertTrue(e.getMessage().startsWith("reloading prometheus failed: reload Prometheus configuration failed: POST"
        + " http://127.0.0.1:9090/-/reload answered HTTP 500"), e.getMessage());
    assertTrue(e.hint().contains("keeps its previous configuration"));
    assertEquals(Action.RELOAD, up.prepare(model()).plan().step("prometheus").action());
  }

  /** The fixture's Grafana with its provisioning mounted, as the rendered compose file has it. */
  void grafanaProvisioning(String interval) throws IOException {
    Files.createDirectories(dir.resolve("grafana/provisioning/datasources"));
    Files.writeString(dir.resolve("grafana/provisioning/datasources/datasources.yml"),
        "datasources:\n  - {name: Prometheus, type: prometheus, uid: prometheus, jsonData: {timeInterval: " + interval
            + "}}\n");
    Files.writeString(composeFile, Files.readString(composeFile).replace("volumes: [grafana-data:/var/lib/grafana]",
        "volumes: [grafana-data:/var/lib/grafana, ./grafana/provisioning:/etc/grafana/provisioning:ro]"));
  }

  @Test
  void grafanaProvisioningChangeIsReloadedThroughItsApiWithTheAdminSecret() throws IOException {
    grafanaProvisioning("1s");
    Map<String, String> first = apply(WAIT);
    grafanaProvisioning("2s");
    engine.execHook = (name, cmd) -> cmd.get(cmd.size() - 1).endsWith("/api/datasources/uid/prometheus")
        ? new ExecResult(0, "{\"uid\":\"prometheus\",\"name\":\"Prometheus\",\"type\":\"prometheus\","
            + "\"jsonData\":{\"timeInterval\":\"2s\"}}", OK) : null;
    engine.calls.clear();

    Map<String, String> second = apply(WAIT);

    assertEquals(first, second, "Grafana keeps its container");
    assertTrue(engine.created().isEmpty(), engine.calls.toString());
    String auth = "--header=Authorization: Basic " + java.util.Base64.getEncoder().encodeToString("admin:pw".getBytes());
    assertTrue(engine.calls.contains("exec keiko-grafana wget -S -O- --post-data= " + auth
        + " http://127.0.0.1:3000/api/admin/provisioning/datasources/reload"), engine.calls.toString());
    assertTrue(engine.calls.stream().anyMatch(c -> c.endsWith("/api/admin/provisioning/dashboards/reload")));
    assertTrue(console.all().contains("grafana        reloaded"), console.all());
  }

  @Test
  void grafanaIsRecreatedWhenItsProvisioningApiRefusesSayingWhy() throws IOException {
    grafanaProvisioning("1s");
    Map<String, String> first = apply(WAIT);
    grafanaProvisioning("2s");
    engine.execHook = (name, cmd) -> cmd.get(cmd.size() - 1).endsWith("/provisioning/datasources/reload")
        ? new ExecResult(1, "", "  HTTP/1.1 401 Unauthorized\nwget: server returned error: HTTP/1.1 401 Unauthorized\n")
        : null;

    Map<String, String> second = apply(WAIT);

    assertTrue(!first.get("grafana").equals(second.get("grafana")), "a new Grafana container");
    assertEquals(first.get("prometheus"), second.get("prometheus"));
    assertTrue(console.all().contains("warning: grafana: its provisioning API did not apply the changed files, so it is"
        + " recreated instead: reload Grafana datasource provisioning failed: POST"
        + " http://127.0.0.1:3000/api/admin/provisioning/datasources/reload answered HTTP 401"), console.all());
  }

  @Test
  void unhealthyServiceIsNamedWithItsCheckOutputAndLogAndDependentsStayUnstarted() throws IOException {
    AtomicInteger probes = new AtomicInteger();
    engine.logLines.put("keiko-alertmanager", List.of("level=error msg=\"Loading configuration file failed\""));
    engine.execHook = (name, cmd) -> {
      if (!name.equals("keiko-alertmanager")) {
        return null;
      }
      if (probes.incrementAndGet() == 2) {
        engine.emit(engine.byName(name).id(), "health_status: unhealthy", Map.of());
      }
      return new ExecResult(1, "", "wget: can't connect to remote host (127.0.0.1): Connection refused");
    };

    UnhealthyException e = assertThrows(UnhealthyException.class, () -> apply(WAIT));

    assertTrue(e.getMessage().startsWith("service alertmanager is unhealthy"), e.getMessage());
    assertTrue(e.getMessage().contains("Connection refused"), e.getMessage());
    assertTrue(e.getMessage().contains("Loading configuration file failed"), e.getMessage());
    assertNull(engine.byName("keiko-prometheus"), "prometheus waits for a healthy alertmanager");
    assertNull(engine.byName("keiko-grafana"));
    assertTrue(console.all().contains("prometheus     not started: a service it depends on failed"), console.all());
  }

  @Test
  void serviceThatNeverGetsReadyTimesOut() throws IOException {
    engine.execHook = (name, cmd) -> name.equals("keiko-prometheus") ? new ExecResult(1, "starting up", "") : null;

    UnhealthyException e = assertThrows(UnhealthyException.class,
        () -> apply(new StackUp.Options(Duration.ofMillis(300), true, Duration.ofMillis(10))));

    assertTrue(e.getMessage().startsWith("service prometheus did not become healthy in time"), e.getMessage());
    assertTrue(e.getMessage().contains("starting up"));
  }

  @Test
  void noWaitReturnsOnceStartedButStillOrdersHealthyDependencies() throws IOException {
    engine.execHook = (name, cmd) -> name.equals("keiko-prometheus") ? new ExecResult(1, "never", "") : null;
    Map<String, String> ids = apply(new StackUp.Options(Duration.ofSeconds(5), false, Duration.ofMillis(10)));
    assertEquals(4, ids.size());
    assertTrue(engine.calls.stream().anyMatch(c -> c.startsWith("exec keiko-alertmanager")),
        "alertmanager's health is awaited because prometheus depends on it being healthy");
    assertFalse(engine.calls.stream().anyMatch(c -> c.startsWith("exec keiko-prometheus")),
        "nothing waits for prometheus' health");
  }

  @Test
  void serviceWaitingForAnInitJobStartsOnlyAfterItSucceeds() throws IOException {
    String init = "  init:\n    image: grafana/grafana:12.0.2\n    container_name: keiko-init\n";
    Files.writeString(composeFile, Files.readString(composeFile)
        .replace("    depends_on: [prometheus]\n", "    depends_on: {init: {condition: service_completed_successfully}}\n")
        .replace("\nvolumes:\n", "\n" + init + "\nvolumes:\n"));
    engine.exitCodes.put("keiko-init", 3);

    OperationFailedException e = assertThrows(OperationFailedException.class, () -> apply(WAIT));

    assertTrue(e.getMessage().startsWith("service init exited with code 3"), e.getMessage());
    assertNull(engine.byName("keiko-grafana"));

    engine.exitCodes.put("keiko-init", 0);
    apply(WAIT);
    assertEquals("running", engine.byName("keiko-grafana").status());
    assertTrue(console.all().contains("init           completed"), console.all());
  }

  @Test
  void missingImageThatCannotBePulledStopsBeforeAnythingChanges() throws IOException {
    engine.images.remove("grafana/grafana:12.0.2");

    OperationFailedException e = assertThrows(OperationFailedException.class, () -> apply(WAIT));

    assertTrue(e.getMessage().contains("image grafana/grafana:12.0.2 (grafana) is not present and could not be pulled"),
        e.getMessage());
    assertTrue(e.hint().contains("images.grafana in keiko.yml at a mirror or a local tag"), e.hint());
    assertEquals(List.of("pull grafana/grafana:12.0.2"), engine.changes());
  }

  @Test
  void missingImageIsPulledThenUsed() throws IOException {
    engine.images.remove("grafana/grafana:12.0.2");
    engine.pullable.add("grafana/grafana:12.0.2");
    apply(WAIT);
    assertEquals("pull grafana/grafana:12.0.2", engine.changes().get(0));
    assertNotNull(engine.byName("keiko-grafana").imageId());
    assertTrue(console.all().contains("pulled grafana/grafana:12.0.2"), console.all());
  }

  @Test
  void hostPortInUseIsNamedWithItsServiceBeforeAnythingChanges() throws IOException {
    engine.endpoint = "unix:///var/run/docker.sock";
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();
      Files.writeString(composeFile, Files.readString(composeFile).replace("127.0.0.1:3001:3000", "127.0.0.1:" + port + ":3000"));

      OperationFailedException e = assertThrows(OperationFailedException.class, () -> apply(WAIT));

      assertTrue(e.getMessage().contains("host port " + port + " on 127.0.0.1 (service grafana) is already in use"),
          e.getMessage());
      assertTrue(engine.changes().isEmpty(), engine.changes().toString());
    }
  }

  @Test
  void privateRootMountFallsBackToPlainReadOnlyWithAWarning() throws IOException {
    engine.privateRootFor.add("keiko-node-exporter");

    apply(WAIT);

    InMemoryDockerEngine.Container node = engine.byName("keiko-node-exporter");
    assertEquals("running", node.status());
    assertEquals(List.of(Mount.bind("/", "/host", true)), node.spec().mounts());
    assertEquals("true", node.spec().labels().get(StackLabels.PROPAGATION_FALLBACK));
    assertTrue(console.all().contains("warning: service node-exporter: this host's root mount is not shared or slave"),
        console.all());
    assertEquals(Action.KEEP, up.prepare(model()).plan().step("node-exporter").action(),
        "the fallback does not count as a change next time");
  }

  @Test
  void serviceRemovedFromTheFileIsRemovedAndAChangedOneRecreated() throws IOException {
    Map<String, String> first = apply(WAIT);
    String yaml = Files.readString(composeFile);
    int g = yaml.indexOf("  grafana:\n");
    int end = yaml.indexOf("\nvolumes:");
    Files.writeString(composeFile, (yaml.substring(0, g) + yaml.substring(end + 1)).replace("TZ: UTC", "TZ: CET"));
    engine.calls.clear();

    Map<String, String> second = apply(WAIT);

    assertNull(engine.byName("keiko-grafana"));
    assertTrue(engine.changes().contains("remove keiko-grafana"));
    assertEquals(List.of("keiko-alertmanager"), engine.created());
    assertEquals(first.get("prometheus"), second.get("prometheus"));
    assertFalse(first.get("alertmanager").equals(second.get("alertmanager")));
  }
}
