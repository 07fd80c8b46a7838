package io.keikomon.up;

import io.keikomon.engine.dockerjava.DockerJavaConnector;
import io.keikomon.compose.ComposeLabels;
import io.keikomon.engine.ContainerDetails;
import io.keikomon.engine.ContainerSummary;
import io.keikomon.engine.DockerGateway;
import io.keikomon.stack.StackLabels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keikomon.cli.Services;
import io.keikomon.core.Workspace;
import io.keikomon.testing.CliHarness;
import io.keikomon.testing.DemoBackend;
import io.keikomon.testing.TestImages;
import io.keikomon.testing.TestStacks;
import io.keikomon.testing.TestWorkspaces;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
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
 * {@code keiko-mon up} against the real engine, one stack shared by the ordered steps below (the issue's
 * end-to-end list). Images are the Debian-built test images via keiko.yml {@code images:} (the mechanism a user
 * with a private registry uses); <b>Grafana and Jaeger are stand-ins</b> (busybox httpd serving their health
 * endpoints), so nothing here checks what Grafana or Jaeger themselves do. PostgreSQL and Redis run on the host
 * (bin/test-setup starts them); the demo backend runs in this JVM on 0.0.0.0 so containers reach it through
 * host.docker.internal.
 */
@Tag("docker")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UpEndToEndDockerTest {
  static final ObjectMapper JSON = new ObjectMapper();
  final String project = "kmtest" + UUID.randomUUID().toString().substring(0, 6);
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  DockerGateway docker;
  DemoBackend backend;
  int backendPort;
  int prometheusPort;
  int alertmanagerPort;
  int grafanaPort;
  Path dir;
  Map<String, String> idsAfterFirstUp;

  TestStacks.HeldLock nodeExporterPort;

  @BeforeAll
  void stack() throws IOException {
    nodeExporterPort = TestStacks.holdNodeExporterPort();
    docker = DockerJavaConnector.connect(TestWorkspaces.jimfs(System.getenv()));
    TestImages.ensureAll(docker);
    backend = new DemoBackend("0.0.0.0", DemoBackend.DEFAULT_LABELS).start(0);
    backendPort = backend.port();
    backend.generateTraffic(50);
    prometheusPort = freePort();
    alertmanagerPort = freePort();
    grafanaPort = freePort();
    dir = Files.createTempDirectory("keiko-up-e2e");
    Files.writeString(dir.resolve("keiko.yml"), """
        version: 1
        project: %s
        ports: {prometheus: %d, alertmanager: %d, grafana: %d, jaeger: %d, otlp_grpc: %d, otlp_http: %d}
        prometheus: {scrape_interval: 1s, evaluation_interval: 1s}
        backend:
          targets: [host.docker.internal:%d]
          health_url: http://host.docker.internal:%d
        alerting: {none: true}
        # about up, not security (SecureStackDockerTest runs the secured stack): plain http to Prometheus
        security: {auth: false, tls: false}
        alerts:
          service_down: {for: 3s}
        """.formatted(project, prometheusPort, alertmanagerPort, grafanaPort, freePort(), freePort(), freePort(),
            backendPort, backendPort)
        + TestImages.imagesOverride());
    // the password bin/test-setup gives the `keiko` role
    Files.writeString(dir.resolve(".env"), "POSTGRES_PASSWORD=keiko-test\n");
    Files.setPosixFilePermissions(dir.resolve(".env"), java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
  }

  @AfterAll
  void tearDown() throws IOException {
    try {
      if (docker != null) {
        TestStacks.removeProject(docker, project);
        docker.close();
      }
      if (backend != null) {
        backend.stop();
      }
      if (dir != null) {
        TestStacks.deleteTree(dir);
      }
    } finally {
      if (nodeExporterPort != null) {
        nodeExporterPort.close();
      }
    }
  }

  CliHarness.Result keikoMon(String... args) {
    return TestStacks.keikoMon(dir, args);
  }

  Map<String, String> containerIds() {
    Map<String, String> ids = new TreeMap<>();
    docker.listContainers(StackLabels.projectFilter(project))
        .forEach(c -> ids.put(c.label(ComposeLabels.SERVICE), c.id()));
    return ids;
  }

  @Test
  @Order(1)
  void upFromNothingBringsEveryServiceUpHealthy() {
    CliHarness.Result r = keikoMon("up", "--timeout", "3m");

    assertEquals(0, r.exitCode(), r.toString());
    idsAfterFirstUp = containerIds();
    assertEquals(Set.of("alertmanager", "blackbox-exporter", "grafana", "jaeger", "node-exporter", "postgres-exporter",
        "prometheus", "redis-exporter"), idsAfterFirstUp.keySet());
    for (Map.Entry<String, String> e : idsAfterFirstUp.entrySet()) {
      ContainerDetails c = docker.inspectContainer(e.getValue()).orElseThrow();
      assertTrue(c.state().running(), e.getKey() + " runs");
      assertEquals(project + "-" + e.getKey(), c.name());
      assertTrue(r.err().contains(String.format("%-17s  healthy", e.getKey())) || r.err().contains(e.getKey() + "  healthy"),
          e.getKey() + " reported healthy:\n" + r);
    }
    assertTrue(r.out().contains("stack " + project + " is up: 8 services ready"), r.toString());
    assertTrue(docker.inspectNetwork(project + "_default").isPresent());
    assertTrue(docker.inspectVolume(project + "_prometheus-data").isPresent());

    CliHarness.Result status = keikoMon("status");
    assertEquals(0, status.exitCode(), "status right after up agrees with it:\n" + status);
  }

  @Test
  @Order(2)
  void everyPrometheusTargetIsUpWithRealPostgresAndRedis() throws Exception {
    // grafana's job is left out: the Grafana stand-in serves no /metrics
    Set<String> jobs = Set.of("prometheus", "alertmanager", "node", "postgres", "redis", "backend", "health");
    JsonNode targets = eventually("every target of " + jobs + " up", Duration.ofSeconds(60), () -> {
      JsonNode t = prometheus("/api/v1/targets").path("data").path("activeTargets");
      List<String> notUp = new ArrayList<>();
      Set<String> seen = new java.util.HashSet<>();
      for (JsonNode target : t) {
        String job = target.path("scrapePool").asText();
        seen.add(job);
        if (jobs.contains(job) && !"up".equals(target.path("health").asText())) {
          notUp.add(job + " " + target.path("scrapeUrl").asText() + ": " + target.path("lastError").asText());
        }
      }
      return seen.containsAll(jobs) && notUp.isEmpty() ? t : null;
    });
    assertTrue(targets.size() >= jobs.size());
    eventually("pg_up 1", Duration.ofSeconds(30), () -> value("pg_up", "1"));
    eventually("redis_up 1", Duration.ofSeconds(30), () -> value("redis_up", "1"));
    eventually("the three health probes succeed", Duration.ofSeconds(30), () -> value("sum(probe_success)", "3"));
  }

  @Test
  @Order(3)
  void everyContainerRunsHardenedAndStillBecameHealthy() throws Exception {
    Map<String, Boolean> readOnly = Map.of("prometheus", true, "alertmanager", true, "grafana", false, "jaeger", false,
        "node-exporter", true, "postgres-exporter", true, "redis-exporter", true, "blackbox-exporter", true);
    ObjectMapper json = new ObjectMapper();
    for (Map.Entry<String, String> e : idsAfterFirstUp.entrySet()) {
      // the docker CLI as the oracle: what the engine recorded, not what keiko-mon asked for
      Process p = new ProcessBuilder("docker", "inspect", "--format", "{{json .HostConfig}}", e.getValue())
          .redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(60, TimeUnit.SECONDS));
      assertEquals(0, p.exitValue(), out);
      JsonNode host = json.readTree(out);
      String service = e.getKey();
      // the engine adds label=disable itself for pid: host (node-exporter)
      assertTrue(host.path("SecurityOpt").toString().contains("\"no-new-privileges:true\""), service + ": " + host);
      assertEquals("[\"ALL\"]", host.path("CapDrop").toString(), service);
      assertEquals(readOnly.get(service), host.path("ReadonlyRootfs").asBoolean(), service + " read-only root");
      assertTrue(host.path("Memory").asLong() >= 128L << 20, service + " has a memory limit: " + host.path("Memory"));
      assertEquals("json-file", host.path("LogConfig").path("Type").asText(), service);
      assertEquals("10m", host.path("LogConfig").path("Config").path("max-size").asText(), service);
    }
    assertEquals(2L << 30, memory("prometheus"), "keiko.yml's default limit");
  }

  private long memory(String service) throws Exception {
    Process p = new ProcessBuilder("docker", "inspect", "--format", "{{.HostConfig.Memory}}", project + "-" + service)
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    return Long.parseLong(out);
  }

  @Test
  @Order(3)
  void dockerComposeRecognisesTheContainers() throws Exception {
    Process p = new ProcessBuilder("docker-compose", "-p", project, "-f", "monitoring/docker-compose.monitoring.yml", "ps")
        .directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    for (String service : idsAfterFirstUp.keySet()) {
      assertTrue(out.contains(project + "-" + service + " "), service + " listed:\n" + out);
    }
    assertTrue(out.contains("Up (healthy)"), out);
  }

  @Test
  @Order(4)
  void secondUpChangesNothing() {
    CliHarness.Result r = keikoMon("up");

    assertEquals(0, r.exitCode(), r.toString());
    assertTrue(r.out().contains("is up to date"), r.toString());
    assertEquals(idsAfterFirstUp, containerIds());
  }

  @Test
  @Order(5)
  void statusRightAfterUpExitsZeroEveryTime() {
    // each round stops three services, so up starts them again and Docker's first healthcheck is pending again
    List<String> services = List.of("alertmanager", "prometheus", "grafana");
    int probed = 0;
    for (int round = 1; round <= 4; round++) {
      services.forEach(s -> docker.stopContainer(idsAfterFirstUp.get(s), Duration.ofSeconds(10)));

      CliHarness.Result up = keikoMon("up");
      CliHarness.Result status = keikoMon("status");

      assertEquals(0, up.exitCode(), up.toString());
      assertEquals(0, status.exitCode(), "round " + round + ": status right after up:\n" + status);
      probed += status.out().contains("healthy (probe)") ? 1 : 0;
    }
    assertEquals(idsAfterFirstUp, containerIds(), "the same containers were started again");
    System.out.println("status needed its own probe in " + probed + " of 4 rounds");
  }

  @Test
  @Order(6)
  void ruleChangeIsReloadedInPlace() throws Exception {
    Files.writeString(dir.resolve("keiko.yml"),
        Files.readString(dir.resolve("keiko.yml")).replace("service_down: {for: 3s}", "service_down: {for: 4s}"));

    CliHarness.Result r = keikoMon("up");

    assertEquals(0, r.exitCode(), r.toString());
    assertTrue(r.err().contains("prometheus         reloaded"), r.toString());
    assertEquals(idsAfterFirstUp, containerIds(), "no container was replaced");
    assertEquals(4.0, backendDownRule().path("duration").asDouble(), "the changed rule is live");
  }

  @Test
  @Order(7)
  void scrapeIntervalChangeReloadsPrometheusAndGrafanaProvisioningAndKeepsEveryContainer() throws Exception {
    Path keikoYml = dir.resolve("keiko.yml");
    String before = Files.readString(keikoYml);
    Files.writeString(keikoYml, before.replace("scrape_interval: 1s", "scrape_interval: 2s"));
    try {
      long t0 = System.nanoTime();
      CliHarness.Result r = keikoMon("up");
      long millis = (System.nanoTime() - t0) / 1_000_000;

      assertEquals(0, r.exitCode(), r.toString());
      assertTrue(r.err().contains("prometheus         reloaded"), r.toString());
      assertTrue(r.err().contains("grafana            reloaded"), r.toString());
      assertEquals(idsAfterFirstUp, containerIds(), "no container was replaced");
      assertTrue(get("http://127.0.0.1:" + prometheusPort + "/api/v1/status/config").contains("scrape_interval: 2s"));
      assertEquals("2s", grafanaDatasource("prometheus").path("jsonData").path("timeInterval").asText(),
          "Grafana's provisioning was reloaded through its API");
      System.out.println("scrape_interval change: up took " + millis + " ms");
    } finally {
      Files.writeString(keikoYml, before);
    }
    CliHarness.Result back = keikoMon("up");
    assertEquals(0, back.exitCode(), back.toString());
    assertEquals("1s", grafanaDatasource("prometheus").path("jsonData").path("timeInterval").asText());
    assertEquals(idsAfterFirstUp, containerIds());
  }

  @Test
  @Order(8)
  void grafanaStandInAsksForTheAdminPassword() throws Exception {
    HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + grafanaPort + "/api/datasources/uid/prometheus")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(401, anonymous.statusCode(), anonymous.body());
  }

  JsonNode grafanaDatasource(String uid) throws Exception {
    HttpResponse<String> r = grafana("/api/datasources/uid/" + uid, null);
    assertEquals(200, r.statusCode(), r.body());
    return json(r.body());
  }

  @Test
  @Order(9)
  void brokenRuleStopsUpBeforeTheStackIsTouched() throws Exception {
    Path rules = ruleFileOf("KeikoBackendDown");
    String good = Files.readString(rules);
    Files.writeString(rules, good.replace("up{job=\"backend\"} == 0", "up{job=\"backend\"} == == 0"));
    try {
      CliHarness.Result r = keikoMon("up");

      assertEquals(3, r.exitCode(), r.toString());
      assertTrue(r.err().contains(dir.relativize(rules).toString().replace('\\', '/')) || r.err().contains(rules.getFileName().toString()),
          "names the file:\n" + r);
      assertFalse(r.err().contains("reloading"), r.toString());
      assertEquals(idsAfterFirstUp, containerIds());
      assertEquals("up{job=\"backend\"} == 0", backendDownRule().path("query").asText(), "the running rule is unchanged");
    } finally {
      Files.writeString(rules, good);
    }
    assertTrue(keikoMon("up").out().contains("is up to date"), "restoring the file restores the applied state");
  }

  @Test
  @Order(10)
  void backendDownAlertReachesAlertmanager() throws Exception {
    backend.stop();
    try {
      JsonNode alert = eventually("KeikoBackendDown in Alertmanager", Duration.ofSeconds(90), () -> {
        for (JsonNode a : json(get("http://127.0.0.1:" + alertmanagerPort + "/api/v2/alerts"))) {
          if ("KeikoBackendDown".equals(a.path("labels").path("alertname").asText())) {
            return a;
          }
        }
        return null;
      });
      assertEquals("critical", alert.path("labels").path("severity").asText());
    } finally {
      backend = new DemoBackend("0.0.0.0", DemoBackend.DEFAULT_LABELS).start(backendPort);
    }
  }

  @Test
  @Order(11)
  void downKeepsVolumesAndMetricsSurviveTheNextUp() throws Exception {
    double before = Instant.now().getEpochSecond() - 2;
    String query = "count(up{job=\"prometheus\"})";
    assertEquals("1", scalarAt(query, before), "Prometheus has scraped itself by now");
    // a dashboard saved through Grafana's API (the stand-in keeps it in the grafana-data volume, as Grafana does)
    HttpResponse<String> saved = grafana("/api/dashboards/db",
        "{\"dashboard\": {\"uid\": \"saved-in-ui\", \"title\": \"Saved in the UI\"}, \"overwrite\": true}");
    assertEquals(200, saved.statusCode(), saved.body());
    HttpResponse<String> provisioned = grafana("/api/dashboards/db",
        "{\"dashboard\": {\"uid\": \"keiko-backend\", \"title\": \"edited\"}, \"overwrite\": true}");
    assertEquals(400, provisioned.statusCode(), "a provisioned dashboard refuses API saves: " + provisioned.body());

    CliHarness.Result down = keikoMon("down");

    assertEquals(0, down.exitCode(), down.toString());
    assertTrue(containerIds().isEmpty());
    assertTrue(docker.inspectVolume(project + "_prometheus-data").isPresent(), "volumes are kept");

    CliHarness.Result up = keikoMon("up");

    assertEquals(0, up.exitCode(), up.toString());
    assertNotEquals(idsAfterFirstUp.get("prometheus"), containerIds().get("prometheus"));
    eventually("metrics from before down", Duration.ofSeconds(30), () -> "1".equals(scalarAt(query, before)) ? "1" : null);
    HttpResponse<String> kept = grafana("/api/dashboards/uid/saved-in-ui", null);
    assertEquals(200, kept.statusCode(), "the saved dashboard survived down and up in its volume: " + kept.body());
    assertEquals("Saved in the UI", json(kept.body()).path("dashboard").path("title").asText(), kept.body());
  }

  /** Grafana's API on its published port as admin: a GET, or with a body a POST. */
  HttpResponse<String> grafana(String path, String postBody) throws Exception {
    String password = Files.readString(dir.resolve("monitoring/secrets/grafana_admin_password")).strip();
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + grafanaPort + path))
        .header("Authorization", "Basic " + java.util.Base64.getEncoder()
            .encodeToString(("admin:" + password).getBytes(StandardCharsets.UTF_8)));
    if (postBody != null) {
      b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(postBody));
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  @Order(9)
  void twoUpsStartedTogetherOnAStoppedStackConvergeAndAThirdIsANoOp() throws Exception {
    for (int round = 1; round <= 5; round++) {
      containerIds().values().parallelStream().forEach(id -> docker.stopContainer(id, Duration.ofSeconds(1)));
      // two threads of their own: the common pool has one thread on a 2-core machine
      java.util.concurrent.ExecutorService two = java.util.concurrent.Executors.newFixedThreadPool(2);
      java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
      java.util.concurrent.Callable<CliHarness.Result> up = () -> {
        go.await();
        return keikoMon("up");
      };
      java.util.concurrent.Future<CliHarness.Result> a = two.submit(up);
      java.util.concurrent.Future<CliHarness.Result> b = two.submit(up);
      go.countDown();
      CliHarness.Result first = a.get();
      CliHarness.Result second = b.get();
      two.shutdown();

      assertEquals(0, first.exitCode(), "round " + round + ": " + first);
      assertEquals(0, second.exitCode(), "round " + round + ": " + second);
      assertEquals(1, docker.listNetworks(StackLabels.projectFilter(project)).size(), "round " + round);
      containerIds().values().forEach(id -> assertTrue(docker.inspectContainer(id).orElseThrow().state().running()));
      // A no-op: nothing created or recreated. (Right after the restarts Docker may still say "starting",
      // so the third up may wait for readiness instead of printing "is up to date".)
      Map<String, String> before = containerIds();
      CliHarness.Result third = keikoMon("up");
      assertEquals(0, third.exitCode(), "round " + round + ": " + third);
      assertEquals(before, containerIds(), "round " + round + ": " + third);
      assertFalse(third.out().contains("created") || third.out().contains("recreat"), "round " + round + ": " + third);
    }
  }

  @Test
  @Order(10)
  void upRepairsADuplicateNetworkAndAContainerStuckInCreated() throws Exception {
    CliHarness.Result down = keikoMon("down");
    assertEquals(0, down.exitCode(), down.toString());
    // what two racing ups left before the lock: a second <project>_default (the API allows it without
    // CheckDuplicate) and a container created on it but never started
    String net = project + "_default";
    String labels = "{\"com.docker.compose.project\":\"" + project + "\",\"com.docker.compose.network\":\"default\"}";
    for (int i = 0; i < 2; i++) {
      Process p = new ProcessBuilder("curl", "-sf", "--unix-socket", "/var/run/docker.sock", "-H",
          "Content-Type: application/json", "-d", "{\"Name\":\"" + net + "\",\"CheckDuplicate\":false,\"Labels\":"
          + labels + "}", "http://localhost/networks/create").inheritIO().start();
      assertEquals(0, p.waitFor());
    }
    Process created = new ProcessBuilder("docker", "create", "--name", project + "-jaeger", "--label",
        "com.docker.compose.project=" + project, "--label", "com.docker.compose.service=jaeger",
        TestImages.Image.JAEGER_STANDIN.tag()).start();
    assertEquals(0, created.waitFor(), new String(created.getErrorStream().readAllBytes()));
    assertEquals(2, docker.listNetworks(StackLabels.projectFilter(project)).size());

    CliHarness.Result up = keikoMon("up");

    assertEquals(0, up.exitCode(), up.toString());
    assertTrue(up.err().contains("removed duplicate network " + net), up.toString());
    assertTrue(up.err().contains("removed container " + project + "-jaeger, left in Created"), up.toString());
    assertEquals(1, docker.listNetworks(StackLabels.projectFilter(project)).size());
    assertTrue(docker.inspectContainer(project + "-jaeger").orElseThrow().state().running());
  }

  @Test
  @Order(11)
  void aSecondFolderWithTheSameProjectIsRefusedNamingTheFirst() throws Exception {
    Path other = Files.createTempDirectory("keiko-up-e2e-2");
    try {
      Files.copy(dir.resolve("keiko.yml"), other.resolve("keiko.yml"));
      Map<String, String> env = new HashMap<>(System.getenv());
      env.put("NO_COLOR", "1");
      Map<String, String> before = containerIds();

      CliHarness.Result r = new CliHarness(new Services(new Workspace(other, env, Clock.systemUTC()), false)).run("up");

      assertEquals(1, r.exitCode(), r.toString());
      assertTrue(r.err().contains("project " + project + " runs from another folder, " + dir.resolve("monitoring")),
          r.toString());
      assertTrue(r.err().contains("--force"), r.toString());
      assertEquals(before, containerIds(), "nothing was touched");
    } finally {
      try (Stream<Path> walk = Files.walk(other)) {
        walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Test
  @Order(12)
  void aWrongPostgresPasswordIsAWarningFromUpAndAFailureFromStatus() throws Exception {
    Files.writeString(dir.resolve(".env"), "POSTGRES_PASSWORD=not-the-password\n");
    try {
      CliHarness.Result up = keikoMon("up");

      assertEquals(0, up.exitCode(), up.toString());
      assertTrue(up.out().contains("monitored targets (as Prometheus scrapes them)"), up.toString());
      // pg_up 0, or (when the exporter answers the scrape too late) the postgres target down: either way, with
      // the exporter's own reason
      // the exporter's own reason; right after its recreate the last scrape may still be the one that found
      // no container ("no such host"), so up is only required to warn about postgres
      // (up reports what Prometheus has scraped by then, which right after the recreate may be the old exporter;
      // the assertion that matters is status's, below)

      // once Prometheus has scraped the new exporter, status names the password failure
      CliHarness.Result status = keikoMon("status");
      for (int i = 0; i < 30 && !status.err().contains("password authentication failed for user"); i++) {
        Thread.sleep(1000);
        status = keikoMon("status");
      }
      assertEquals(6, status.exitCode(), status.toString());
      assertTrue(status.err().contains("password authentication failed for user"), status.toString());
    } finally {
      Files.writeString(dir.resolve(".env"), "POSTGRES_PASSWORD=keiko-test\n");
    }
  }

  // ---- helpers

  JsonNode backendDownRule() throws Exception {
    for (JsonNode g : prometheus("/api/v1/rules").path("data").path("groups")) {
      for (JsonNode rule : g.path("rules")) {
        if ("KeikoBackendDown".equals(rule.path("name").asText())) {
          return rule;
        }
      }
    }
    return fail("no KeikoBackendDown rule loaded");
  }

  Path ruleFileOf(String alert) throws IOException {
    try (Stream<Path> files = Files.list(dir.resolve("monitoring/prometheus/rules"))) {
      for (Path f : files.sorted().toList()) {
        if (Files.readString(f).contains("alert: " + alert)) {
          return f;
        }
      }
    }
    return fail("no rule file defines " + alert);
  }

  /** {@code expected} when {@code promql} now returns exactly that single value, else null. */
  String value(String promql, String expected) throws Exception {
    return expected.equals(scalarAt(promql, Double.NaN)) ? expected : null;
  }

  /** The single value {@code promql} returns (at {@code time}, or now when NaN), or null when it returns none. */
  String scalarAt(String promql, double time) throws Exception {
    String q = "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)
        + (Double.isNaN(time) ? "" : "&time=" + time);
    JsonNode result = prometheus(q).path("data").path("result");
    return result.size() == 1 ? result.get(0).path("value").get(1).asText() : null;
  }

  JsonNode prometheus(String path) throws Exception {
    return json(get("http://127.0.0.1:" + prometheusPort + path));
  }

  String get(String url) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    return r.body();
  }

  static JsonNode json(String s) throws IOException {
    return JSON.readTree(s);
  }

  @FunctionalInterface
  interface Probe<T> {
    T get() throws Exception;
  }

  /** Polls {@code probe} until it returns non-null; fails with {@code what} and the last error after {@code limit}. */
  static <T> T eventually(String what, Duration limit, Probe<T> probe) throws InterruptedException {
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
      Thread.sleep(250);
    }
    return fail("not reached within " + limit.toSeconds() + "s: " + what + (last == null ? "" : " (last error: " + last + ")"));
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
