package io.keikomon.up;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.keikomon.cli.Services;
import io.keikomon.compose.StackFile;
import io.keikomon.core.Workspace;
import io.keikomon.engine.ContainerSummary;
import io.keikomon.engine.DockerGateway;
import io.keikomon.engine.ExecResult;
import io.keikomon.engine.SwarmGateway;
import io.keikomon.engine.SwarmGateway.SwarmService;
import io.keikomon.engine.SwarmGateway.SwarmTask;
import io.keikomon.engine.dockerjava.DockerJavaConnector;
import io.keikomon.render.RenderPlan;
import io.keikomon.testing.CliHarness;
import io.keikomon.testing.TestImages;
import io.keikomon.testing.TestWorkspaces;
import io.keikomon.testing.Tool;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Swarm mode on a real single-node swarm ({@code docker swarm init --advertise-addr 127.0.0.1}, done here when
 * the engine is not in one yet, and never left: other tests share the engine). ONE deployment for the whole class:
 * 2 Prometheus, 3 Alertmanager and 2 Grafana tasks, from the Debian-built test images; <b>Grafana is the
 * busybox stand-in</b>: like Grafana it keeps dashboards in the database GF_DATABASE_* names (the host's real
 * PostgreSQL, database and role {@code keiko} from bin/test-setup, reached through host.docker.internal), so the
 * tests prove keiko-mon's wiring of the shared database, not Grafana's own use of it. The alert is
 * the always-firing Watchdog, sent by both Prometheus replicas to all three Alertmanagers, routed to a webhook
 * receiver in this JVM (reached from the tasks through host.docker.internal).
 */
@Tag("docker")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SwarmEndToEndDockerTest {
  static final ObjectMapper JSON = new ObjectMapper();
  /** Watchdog's route: group_interval and repeat_interval 1m. Two sends closer than this are a duplicate. */
  static final Duration DUPLICATE_WITHIN = Duration.ofSeconds(30);
  /** Role keiko's password on the host's PostgreSQL (bin/test-setup). */
  static final String POSTGRES_PASSWORD = "keiko-test";

  final String project = "kmswarm" + UUID.randomUUID().toString().substring(0, 5);
  DockerGateway docker;
  SwarmGateway swarm;
  HttpServer webhook;
  final List<Notification> notifications = new CopyOnWriteArrayList<>();
  Path dir;
  String keikoYml;

  record Notification(Instant at, JsonNode body) {}

  @BeforeAll
  void deploy() throws Exception {
    docker = DockerJavaConnector.connect(TestWorkspaces.jimfs(System.getenv()));
    swarm = docker.swarm();
    if (!swarm.swarmInfo().active()) {
      swarm.initSwarm("127.0.0.1");
    }
    TestImages.ensure(docker, TestImages.Image.PROMETHEUS);
    TestImages.ensure(docker, TestImages.Image.ALERTMANAGER);
    TestImages.ensure(docker, TestImages.Image.GRAFANA_STANDIN);
    webhook = HttpServer.create(new InetSocketAddress("0.0.0.0", 0), 0);
    webhook.createContext("/watchdog", exchange -> {
      byte[] body = exchange.getRequestBody().readAllBytes();
      notifications.add(new Notification(Instant.now(), JSON.readTree(body)));
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    webhook.start();
    dir = Files.createTempDirectory("keiko-swarm-e2e");
    keikoYml = """
        version: 1
        project: %s
        mode: swarm
        ports: {prometheus: %d, alertmanager: %d, grafana: %d}
        prometheus: {scrape_interval: 5s, evaluation_interval: 5s}
        components: {node-exporter: false, blackbox-exporter: false}
        postgres: {enabled: false}
        redis: {enabled: false}
        tracing: {enabled: false}
        alerting:
          none: true
          dead_mans_switch_url: http://host.docker.internal:%d/watchdog
        ha:
          grafana:
            database: {host: host.docker.internal, database: keiko, user: keiko}
        """.formatted(project, freePort(), freePort(), freePort(), webhook.getAddress().getPort())
        + TestImages.imagesOverride();
    Files.writeString(dir.resolve("keiko.yml"), keikoYml);
    Files.writeString(dir.resolve(".env"), "GRAFANA_DB_PASSWORD=" + POSTGRES_PASSWORD + "\n");
    Files.setPosixFilePermissions(dir.resolve(".env"), java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    CliHarness.Result up = keikoMon("up", "--timeout", "4m");
    assertEquals(0, up.exitCode(), up.toString());
    assertTrue(up.out().contains("stack " + project + " is up on the swarm: 3 created"), up.toString());
    assertTrue(up.err().contains("scaled grafana to 2 replicas"), "Grafana started alone, then scaled:\n" + up);
  }

  @AfterAll
  void cleanUp() throws IOException {
    if (swarm != null) {
      Map<String, String> labels = Map.of(StackFile.NAMESPACE, project);
      swarm.listServices(labels).forEach(s -> swarm.removeService(s.id()));
      for (int i = 0; i < 60 && !docker.listContainers(labels).isEmpty(); i++) {
        sleep(Duration.ofSeconds(1));
      }
      docker.listNetworks(labels).forEach(n -> docker.removeNetwork(n.id()));
      swarm.listConfigs(labels).forEach(c -> swarm.removeConfig(c.id()));
      swarm.listSecrets(labels).forEach(s -> swarm.removeSecret(s.id()));
      docker.listVolumes(labels).forEach(v -> docker.removeVolume(v.name()));
      docker.close();
    }
    if (webhook != null) {
      webhook.stop(0);
    }
    if (dir != null) {
      try (Stream<Path> walk = Files.walk(dir)) {
        walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Test
  @Order(1)
  void statusShowsEveryReplicaRunningAndItsNode() throws Exception {
    CliHarness.Result status = keikoMon("status", "--output", "json");

    assertEquals(0, status.exitCode(), status.toString());
    JsonNode replicas = JSON.readTree(status.out()).path("replicas");
    Map<String, String> counts = new HashMap<>();
    replicas.forEach(r -> counts.put(r.path("service").asText(), r.path("running").asInt() + "/" + r.path("desired").asInt()));
    assertEquals(Map.of("prometheus", "2/2", "alertmanager", "3/3", "grafana", "2/2"), counts, status.out());
    String node = swarm.nodeNames().values().iterator().next();
    replicas.forEach(r -> assertEquals(node, r.path("nodes").path(0).asText(), r.toString()));

    CliHarness.Result table = keikoMon("status");
    assertTrue(table.out().contains("prometheus.2 on " + node), table.toString());
    assertTrue(table.out().matches("(?s).*alertmanager\\s+3/3\\s+" + node + ".*"), table.toString());
  }

  @Test
  @Order(2)
  void alertmanagersFormOneReadyClusterOfThree() throws Exception {
    for (String container : containers("alertmanager")) {
      JsonNode cluster = eventually("cluster of 3 ready on " + container, Duration.ofSeconds(90), () -> {
        JsonNode c = get(container, 9093, "/api/v2/status").path("cluster");
        return "ready".equals(c.path("status").asText()) && c.path("peers").size() == 3 ? c : null;
      });
      // every peer advertises its address on the stack's overlay network, never docker_gwbridge's
      for (JsonNode peer : cluster.path("peers")) {
        assertFalse(peer.path("address").asText().startsWith("172."), cluster.toString());
      }
    }
  }

  @Test
  @Order(3)
  void bothGrafanaReplicasServeTheSameDashboardsFromTheSharedPostgres() throws Exception {
    List<String> grafanas = containers("grafana");
    assertEquals(2, grafanas.size(), "two Grafana tasks: " + grafanas);
    for (String c : grafanas) {
      JsonNode provisioned = JSON.readTree(grafana(c, "/api/dashboards/uid/keiko-backend", null));
      assertEquals("keiko-backend", provisioned.path("dashboard").path("uid").asText(), c + ": " + provisioned);
      assertTrue(provisioned.path("meta").path("provisioned").asBoolean(), c + ": " + provisioned);
    }
    String uid = "saved-" + project;
    String saved = grafana(grafanas.get(0), "/api/dashboards/db",
        "{\"dashboard\": {\"uid\": \"" + uid + "\", \"title\": \"Saved on the first replica\"}, \"overwrite\": true}");
    assertTrue(saved.contains("\"status\":\"success\""), saved);

    JsonNode onTheOther = JSON.readTree(grafana(grafanas.get(1), "/api/dashboards/uid/" + uid, null));
    assertEquals("Saved on the first replica", onTheOther.path("dashboard").path("title").asText(), onTheOther.toString());
    assertFalse(onTheOther.path("meta").path("provisioned").asBoolean(), onTheOther.toString());
    Tool row = Tool.run(dir, "psql", "-X", "-tA",
        "postgresql://keiko:" + POSTGRES_PASSWORD + "@127.0.0.1/keiko", "-c",
        "SELECT title FROM standin_dashboard WHERE uid = '" + uid + "'");
    assertEquals("Saved on the first replica", row.output().strip(), "the row is in the host's PostgreSQL: " + row);
    IllegalStateException refused = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
        () -> grafana(grafanas.get(1), "/api/dashboards/db",
            "{\"dashboard\": {\"uid\": \"keiko-backend\", \"title\": \"edited\"}, \"overwrite\": true}"));
    assertTrue(refused.getMessage().contains("400"), "a provisioned dashboard refuses API saves: " + refused);
    Tool.run(dir, "psql", "-X", "-tA",
        "postgresql://keiko:" + POSTGRES_PASSWORD + "@127.0.0.1/keiko", "-c",
        "DELETE FROM standin_dashboard WHERE uid = '" + uid + "'");
  }

  /**
   * A GET (or, with a body, a POST) to one Grafana replica from inside its task container, as admin with the
   * password the user has (monitoring/secrets), which the swarm secret must carry unchanged.
   */
  String grafana(String container, String path, String postBody) throws IOException {
    String password = Files.readString(dir.resolve("monitoring/secrets/grafana_admin_password")).strip();
    String auth = "Authorization: Basic " + java.util.Base64.getEncoder()
        .encodeToString(("admin:" + password).getBytes(StandardCharsets.UTF_8));
    List<String> cmd = new ArrayList<>(List.of("wget", "-qO-", "--header", auth));
    if (postBody != null) {
      cmd.addAll(List.of("--header", "Content-Type: application/json", "--post-data", postBody));
    }
    cmd.add("http://127.0.0.1:3000" + path);
    return exec(container, cmd.toArray(String[]::new));
  }

  @Test
  @Order(3)
  void bothPrometheusReplicasSendToAllThreeAlertmanagers() throws Exception {
    List<String> prometheus = containers("prometheus");
    assertEquals(2, prometheus.size());
    Set<String> replicaLabels = new java.util.TreeSet<>();
    for (String container : prometheus) {
      eventually("3 Alertmanagers discovered by " + container, Duration.ofSeconds(90), () -> {
        JsonNode am = get(container, 9090, "/api/v1/alertmanagers").path("data").path("activeAlertmanagers");
        return am.size() == 3 ? am : null;
      });
      String config = get(container, 9090, "/api/v1/status/config").path("data").path("yaml").asText();
      assertTrue(config.contains("tasks.alertmanager"), config);
      JsonNode flags = get(container, 9090, "/api/v1/status/flags").path("data");
      assertTrue(flags.path("enable-feature").asText().contains("expand-external-labels"), flags.toString());
      // the replica label as loaded: expanded from the task slot (--enable-feature=expand-external-labels on 2.x)
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("replica: \"?(\\d+)\"?").matcher(config);
      assertTrue(m.find(), "an expanded replica label in\n" + config);
      replicaLabels.add(m.group(1));
    }
    assertEquals(Set.of("1", "2"), replicaLabels, "one label value per replica");
  }

  /**
   * Doctor on the healthy swarm stack: a finding per task, the APIs read through a task container, Grafana's
   * datasource healthy through the stand-in; the one error is the backend this test runs none of (keiko.yml's default
   * backend target host.docker.internal:8000 refuses).
   */
  @Test
  @Order(4)
  void doctorReadsEveryTaskAndFindsNothingButTheAbsentBackend() throws Exception {
    CliHarness.Result doctor = keikoMon("doctor", "--output", "json");

    JsonNode report = JSON.readTree(doctor.out());
    List<String> errors = new ArrayList<>();
    Set<String> checks = new java.util.TreeSet<>();
    for (JsonNode f : report.path("findings")) {
      checks.add(f.path("check").asText());
      if ("error".equals(f.path("severity").asText())) {
        errors.add(f.path("check").asText() + ": " + f.path("cause").asText());
      }
    }
    assertEquals(List.of("target backend host.docker.internal:8000: host.docker.internal:8000 refused the connection:"
        + " nothing listens on that port, or only on 127.0.0.1"), errors, doctor.toString());
    assertEquals(5, doctor.exitCode(), "exit 5 for that error finding: " + doctor);
    String node = swarm.nodeNames().values().iterator().next();
    for (String task : List.of("prometheus.1", "prometheus.2", "alertmanager.1", "alertmanager.2", "alertmanager.3",
        "grafana.1", "grafana.2")) {
      assertTrue(checks.contains("task " + task + " on " + node), task + " in " + checks);
    }
    assertTrue(checks.contains("Alertmanager discovered by Prometheus"), checks.toString());
    assertTrue(checks.stream().anyMatch(c -> c.startsWith("datasource ")), "Grafana's datasource checked: " + checks);
    assertTrue(checks.stream().filter(c -> c.startsWith("target alertmanager ")).count() == 3, checks.toString());
  }

  /**
   * Backup of the swarm stack: config, one Prometheus replica's snapshot (the lowest slot, named in the manifest),
   * the silences of the Alertmanager cluster (one created on the third peer, read from the first), Grafana's
   * dashboards from the shared database; the archive passes verify; restoring its Prometheus part is refused.
   */
  @Test
  @Order(5)
  void backupTakesOneReplicasSnapshotTheClustersSilencesAndGrafanasDashboards() throws Exception {
    String third = docker.listContainers(Map.of("com.docker.swarm.service.name", project + "_alertmanager")).stream()
        .filter(c -> "running".equals(c.state()) && c.name().contains("_alertmanager.3.")).map(ContainerSummary::id)
        .findFirst().orElseThrow();
    Instant now = Instant.now();
    String silence = exec(third, "wget", "-qO-", "--header", "Content-Type: application/json", "--post-data",
        "{\"matchers\": [{\"name\": \"alertname\", \"value\": \"KeikoSwarmBackup\", \"isRegex\": false}],"
            + " \"startsAt\": \"" + now + "\", \"endsAt\": \"" + now.plus(Duration.ofHours(1)) + "\","
            + " \"createdBy\": \"test\", \"comment\": \"made on the third peer\"}",
        "http://127.0.0.1:9093/api/v2/silences");
    String silenceId = JSON.readTree(silence).path("silenceID").asText();
    for (String am : containers("alertmanager")) {
      eventually("the silence gossiped to " + am, Duration.ofSeconds(30),
          () -> get(am, 9093, "/api/v2/silence/" + silenceId).path("id").asText().equals(silenceId) ? true : null);
    }
    Path archive = dir.resolve("swarm-backup.tar.gz");

    CliHarness.Result backup = keikoMon("backup", "--out", archive.toString());

    assertEquals(0, backup.exitCode(), backup.toString());
    assertTrue(backup.err().contains("prometheus: replica prometheus.1, snapshot "), backup.toString());
    Tool manifestText = Tool.run(dir, "tar", "-xzOf", archive.toString(), "manifest.json");
    JsonNode manifest = JSON.readTree(manifestText.output());
    assertEquals(List.of("config", "prometheus", "grafana", "alertmanager"),
        JSON.convertValue(manifest.path("parts"), List.class), manifest.toString());
    JsonNode prometheus = manifest.path("prometheus");
    assertEquals("prometheus.1", prometheus.path("replica").asText(), prometheus.toString());
    assertTrue(prometheus.path("blocks").size() >= 1, "the snapshot's blocks (head included): " + prometheus);
    assertTrue(prometheus.path("blocks").path(0).path("numSamples").asLong() > 0, prometheus.toString());
    List<String> paths = new ArrayList<>();
    manifest.path("entries").forEach(e -> paths.add(e.path("path").asText()));
    String ulid = prometheus.path("blocks").path(0).path("ulid").asText();
    assertTrue(paths.contains("prometheus/" + ulid + "/meta.json") && paths.contains("prometheus/" + ulid + "/index"),
        paths.toString());
    assertTrue(paths.contains("config/keiko.yml") || paths.stream().anyMatch(p -> p.endsWith("keiko.yml")), paths.toString());
    assertTrue(paths.stream().anyMatch(p -> p.endsWith(RenderPlan.STACK_FILE)), "the stack file: " + paths);
    List<String> silences = new ArrayList<>();
    manifest.path("alertmanager").path("silences").forEach(x -> silences.add(x.path("id").asText()));
    assertTrue(silences.contains(silenceId), "the third peer's silence, read from the first: " + manifest.path("alertmanager"));
    List<String> dashboards = new ArrayList<>();
    manifest.path("grafana").path("dashboards").forEach(x -> dashboards.add(x.path("uid").asText()));
    assertTrue(dashboards.contains("keiko-backend"), manifest.path("grafana").toString());

    CliHarness.Result verify = keikoMon("backup", "verify", "--checksums-only", archive.toString());
    assertEquals(0, verify.exitCode(), verify.toString());

    CliHarness.Result restore = keikoMon("restore", archive.toString(), "--only", "prometheus", "--yes");
    assertEquals(1, restore.exitCode(), restore.toString());
    assertTrue(restore.err().contains("restoring the prometheus part into a swarm stack is not supported"), restore.toString());
    assertTrue(restore.err().contains("nothing was changed"), restore.toString());
    assertEquals(2, running("prometheus"), "both replicas untouched");
  }

  @Test
  @Order(10)
  void oneAlertFromBothReplicasIsNotifiedOnceEvenWhenAPrometheusAndAnAlertmanagerDie() throws Exception {
    eventually("two Watchdog notifications", Duration.ofMinutes(3), () -> notifications.size() >= 2 ? true : null);
    assertNoDuplicates("before the kill");

    SwarmTask prometheusTask = task("prometheus");
    SwarmTask alertmanagerTask = task("alertmanager");
    docker.removeContainer(prometheusTask.container().orElseThrow(), true);
    docker.removeContainer(alertmanagerTask.container().orElseThrow(), true);
    int seenAtKill = notifications.size();

    eventually("both services back at full strength with new tasks", Duration.ofMinutes(2), () ->
        running("prometheus") == 2 && running("alertmanager") == 3 ? true : null);
    assertTrue(currentTasks("prometheus").stream().noneMatch(t -> t.id().equals(prometheusTask.id()) && t.running()),
        "the killed Prometheus task was replaced by a new one");
    assertTrue(currentTasks("alertmanager").stream().noneMatch(t -> t.id().equals(alertmanagerTask.id()) && t.running()),
        "the killed Alertmanager task was replaced by a new one");
    eventually("two more notifications after the kill", Duration.ofMinutes(3),
        () -> notifications.size() >= seenAtKill + 2 ? true : null);
    assertNoDuplicates("after the kill");
  }

  /** Each notification carries the one Watchdog alert without a replica label, and none repeats another early. */
  void assertNoDuplicates(String when) {
    List<Notification> all = new ArrayList<>(notifications);
    for (Notification n : all) {
      JsonNode alerts = n.body().path("alerts");
      assertEquals(1, alerts.size(), when + ": one alert, not one per replica: " + n.body());
      assertEquals("Watchdog", alerts.get(0).path("labels").path("alertname").asText());
      assertTrue(alerts.get(0).path("labels").path("replica").isMissingNode(), when + ": replica label dropped: " + n.body());
    }
    for (int i = 1; i < all.size(); i++) {
      Duration gap = Duration.between(all.get(i - 1).at(), all.get(i).at());
      assertTrue(gap.compareTo(DUPLICATE_WITHIN) > 0, when + ": notification " + i + " came " + gap.toSeconds()
          + "s after the one before (a second Alertmanager sent it too): " + all.stream().map(Notification::at).toList());
    }
  }

  @Test
  @Order(11)
  void aRuleChangeRollsOutOneReplicaAtATimeWhileTheOtherEvaluates() throws Exception {
    // a rule of every stack (the host rules need node-exporter, which this one leaves out)
    Files.writeString(dir.resolve("keiko.yml"), keikoYml.replace("alerting:\n",
        "alerts:\n  service_down: {for: 7m}\nalerting:\n"));
    AtomicBoolean rolling = new AtomicBoolean(true);
    AtomicInteger fewest = new AtomicInteger(Integer.MAX_VALUE);
    AtomicInteger samples = new AtomicInteger();
    Thread watcher = new Thread(() -> {
      while (rolling.get()) {
        try {
          int ready = 0;
          for (String c : containers("prometheus")) {
            ExecResult r = docker.exec(c, List.of("wget", "-qO-", "http://127.0.0.1:9090/-/ready"), Duration.ofSeconds(3));
            ready += r.exitCode() == 0 ? 1 : 0;
          }
          fewest.accumulateAndGet(ready, Math::min);
          samples.incrementAndGet();
        } catch (RuntimeException raceWithAStoppingTask) {
          // the container went between list and exec: the next sample sees the new state
        }
        sleep(Duration.ofMillis(300));
      }
    });
    watcher.start();
    CliHarness.Result up;
    try {
      up = keikoMon("up", "--timeout", "4m");
    } finally {
      rolling.set(false);
      watcher.join();
    }

    assertEquals(0, up.exitCode(), up.toString());
    assertTrue(up.err().contains("updated service prometheus"), up.toString());
    assertFalse(up.err().contains("updated service alertmanager"), "alertmanager.yml did not change:\n" + up);
    assertTrue(samples.get() > 10, "sampled through the rollout: " + samples);
    assertEquals(1, Math.min(fewest.get(), 1), "at least one Prometheus ready at every sample (fewest " + fewest + ")");
    for (String c : containers("prometheus")) {
      String rules = get(c, 9090, "/api/v1/rules").toString();
      assertTrue(rules.contains("\"duration\":420"), "the new rule (for: 7m) on " + c + ": " + rules);
    }
    CliHarness.Result again = keikoMon("up", "--timeout", "2m");
    assertTrue(again.out().contains("is up to date"), "nothing changed, nothing rolled: " + again);
  }

  @Test
  @Order(12)
  void theStackFileDeploysWithDockerStackDeployAlone() throws Exception {
    String other = project + "cli";
    Path otherDir = Files.createTempDirectory("keiko-swarm-cli");
    try {
      Files.writeString(otherDir.resolve("keiko.yml"), """
          project: %s
          mode: swarm
          ports: {prometheus: %d, alertmanager: %d, grafana: %d}
          components: {node-exporter: false, blackbox-exporter: false, grafana: false}
          postgres: {enabled: false}
          redis: {enabled: false}
          tracing: {enabled: false}
          alerting: {none: true}
          ha: {prometheus: {replicas: 1}, alertmanager: {replicas: 1}}
          """.formatted(other, freePort(), freePort(), freePort()) + TestImages.imagesOverride());
      CliHarness.Result render = new CliHarness(new Services(new Workspace(otherDir, env(), Clock.systemUTC()), false))
          .run("render");
      assertEquals(0, render.exitCode(), render.toString());
      Path out = otherDir.resolve("monitoring");

      Tool deploy = Tool.run(out, "docker", "stack", "deploy", "-c", RenderPlan.STACK_FILE, other);

      assertEquals(0, deploy.exitCode(), deploy.toString());
      for (String service : List.of("prometheus", "alertmanager")) {
        eventually(service + " of the CLI-deployed stack running", Duration.ofMinutes(2), () -> {
          SwarmService s = swarm.listServices(Map.of(StackFile.NAMESPACE, other)).stream()
              .filter(x -> x.name().equals(other + "_" + service)).findFirst().orElse(null);
          return s != null && swarm.listTasks(s.id()).stream().anyMatch(t -> t.current() && t.running()) ? s : null;
        });
      }
    } finally {
      Tool.run(otherDir, "docker", "stack", "rm", other);
      Map<String, String> labels = Map.of(StackFile.NAMESPACE, other);
      for (int i = 0; i < 60 && !docker.listContainers(labels).isEmpty(); i++) {
        sleep(Duration.ofSeconds(1));
      }
      for (String v : List.of("_prometheus-data-1", "_alertmanager-data-1")) {
        docker.inspectVolume(other + v).ifPresent(x -> docker.removeVolume(x.name()));
      }
      try (Stream<Path> walk = Files.walk(otherDir)) {
        walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Test
  @Order(13)
  void downRemovesServicesNetworkConfigsAndSecretsAndKeepsVolumesUnlessAsked() throws Exception {
    Map<String, String> labels = Map.of(StackFile.NAMESPACE, project);
    CliHarness.Result down = keikoMon("down");

    assertEquals(0, down.exitCode(), down.toString());
    assertEquals(List.of(), swarm.listServices(labels));
    assertEquals(List.of(), docker.listNetworks(labels));
    assertEquals(List.of(), swarm.listConfigs(labels));
    assertEquals(List.of(), swarm.listSecrets(labels));
    Set<String> volumes = docker.listVolumes(labels).stream().map(v -> v.name()).collect(Collectors.toSet());
    assertEquals(Set.of(project + "_prometheus-data-1", project + "_prometheus-data-2", project + "_alertmanager-data-1",
        project + "_alertmanager-data-2", project + "_alertmanager-data-3"), volumes, down.toString());

    CliHarness.Result withVolumes = keikoMon("down", "--volumes");
    assertEquals(0, withVolumes.exitCode(), withVolumes.toString());
    assertEquals(List.of(), docker.listVolumes(labels));
  }

  // --- helpers

  Map<String, String> env() {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("NO_COLOR", "1");
    return env;
  }

  CliHarness.Result keikoMon(String... args) {
    return new CliHarness(new Services(new Workspace(dir, env(), Clock.systemUTC()), false)).run(args);
  }

  SwarmService service(String shortName) {
    return swarm.listServices(Map.of(StackFile.NAMESPACE, project)).stream()
        .filter(s -> s.name().equals(project + "_" + shortName)).findFirst().orElseThrow();
  }

  List<SwarmTask> currentTasks(String shortName) {
    return swarm.listTasks(service(shortName).id()).stream().filter(SwarmTask::current).toList();
  }

  SwarmTask task(String shortName) {
    return currentTasks(shortName).stream().filter(SwarmTask::running).findFirst().orElseThrow();
  }

  long running(String shortName) {
    return currentTasks(shortName).stream().filter(SwarmTask::running).count();
  }

  /** The running task containers of a service (a single-node swarm: all on this engine). */
  List<String> containers(String shortName) {
    return docker.listContainers(Map.of("com.docker.swarm.service.name", project + "_" + shortName)).stream()
        .filter(c -> "running".equals(c.state())).map(ContainerSummary::id).sorted().toList();
  }

  String exec(String container, String... cmd) {
    ExecResult r = docker.exec(container, List.of(cmd), Duration.ofSeconds(10));
    if (r.exitCode() != 0) {
      throw new IllegalStateException(String.join(" ", cmd) + " in " + container + ": exit " + r.exitCode() + " "
          + r.stderr());
    }
    return r.stdout();
  }

  /** A component's API from inside its own task container (busybox wget): this replica, never the VIP. */
  JsonNode get(String container, int port, String path) throws IOException {
    return JSON.readTree(exec(container, "wget", "-qO-", "http://127.0.0.1:" + port + path));
  }

  interface Probe<T> {
    T get() throws Exception;
  }

  static <T> T eventually(String what, Duration limit, Probe<T> probe) {
    Instant end = Instant.now().plus(limit);
    Exception last = null;
    while (Instant.now().isBefore(end)) {
      try {
        T v = probe.get();
        if (v != null) {
          return v;
        }
      } catch (Exception e) {
        last = e;
      }
      sleep(Duration.ofMillis(500));
    }
    return fail("not reached within " + limit.toSeconds() + "s: " + what + (last == null ? "" : " (last error: " + last + ")"));
  }

  static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
