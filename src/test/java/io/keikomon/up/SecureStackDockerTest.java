package io.keikomon.up;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keikomon.api.Tls;
import io.keikomon.cli.Services;
import io.keikomon.compose.ComposeLabels;
import io.keikomon.core.Workspace;
import io.keikomon.engine.ContainerSummary;
import io.keikomon.engine.DockerGateway;
import io.keikomon.engine.ExecResult;
import io.keikomon.engine.dockerjava.DockerJavaConnector;
import io.keikomon.stack.StackLabels;
import io.keikomon.testing.CliHarness;
import io.keikomon.testing.DemoBackend;
import io.keikomon.testing.TestImages;
import io.keikomon.testing.TestStacks;
import io.keikomon.testing.TestWorkspaces;
import java.io.IOException;
import java.net.URI;
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
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The default {@code security: {auth: true, tls: true}} against the real engine and the real Debian Prometheus 2.42,
 * Alertmanager 0.25 and node-exporter 1.5 (test images); <b>Grafana is the stand-in</b>. One stack shared by the
 * ordered steps. node-exporter is on: it is the exporter published on the host, so its web config is part of what is
 * checked (it binds the host gateway's port 9100).
 */
@Tag("docker")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecureStackDockerTest {
  static final ObjectMapper JSON = new ObjectMapper();
  final String project = "kmsec" + UUID.randomUUID().toString().substring(0, 6);
  DockerGateway docker;
  DemoBackend backend;
  int backendPort;
  int prometheusPort;
  int alertmanagerPort;
  int grafanaPort;
  Path dir;
  Map<String, String> ids;
  HttpClient trusting;
  SSLContext trustingContext;
  HttpClient systemTrust;

  TestStacks.HeldLock nodeExporterPort;

  @BeforeAll
  void stack() throws Exception {
    nodeExporterPort = TestStacks.holdNodeExporterPort();
    docker = DockerJavaConnector.connect(TestWorkspaces.jimfs(System.getenv()));
    TestImages.ensureAll(docker);
    backend = new DemoBackend("0.0.0.0", DemoBackend.DEFAULT_LABELS).start(0);
    backendPort = backend.port();
    prometheusPort = UpEndToEndDockerTest.freePort();
    alertmanagerPort = UpEndToEndDockerTest.freePort();
    grafanaPort = UpEndToEndDockerTest.freePort();
    dir = Files.createTempDirectory("keiko-secure-e2e");
    Files.writeString(dir.resolve("keiko.yml"), """
        version: 1
        project: %s
        ports: {prometheus: %d, alertmanager: %d, grafana: %d}
        prometheus: {scrape_interval: 1s, evaluation_interval: 1s}
        backend:
          targets: [host.docker.internal:%d]
          health_url: http://host.docker.internal:%d
        postgres: {enabled: false}
        redis: {enabled: false}
        tracing: {enabled: false}
        alerting: {none: true}
        alerts:
          service_down: {for: 3s}
        """.formatted(project, prometheusPort, alertmanagerPort, grafanaPort, backendPort, backendPort)
        + TestImages.imagesOverride());
    systemTrust = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).sslContext(SSLContext.getDefault())
        .build();
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
    Map<String, String> out = new TreeMap<>();
    docker.listContainers(StackLabels.projectFilter(project)).forEach(c -> out.put(c.label(ComposeLabels.SERVICE), c.id()));
    return out;
  }

  String env(String name) throws IOException {
    for (String line : Files.readAllLines(dir.resolve(".env"))) {
      if (line.startsWith(name + "=")) {
        return line.substring(name.length() + 1);
      }
    }
    return fail(name + " not in .env");
  }

  Path secret(String name) {
    return dir.resolve("monitoring/secrets").resolve(name);
  }

  static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  HttpResponse<String> send(HttpClient client, String method, String url, String authorization) throws Exception {
    if (url.startsWith("https://") && url.contains(":9100")) {
      return nodeExporter(client == trusting ? trustingContext : SSLContext.getDefault(), url, authorization);
    }
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
        .method(method, HttpRequest.BodyPublishers.noBody());
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /**
   * node-exporter is reached at the host gateway's IP, while its certificate names host.docker.internal (how
   * Prometheus reaches it): the chain is verified with {@code ssl} as usual, the name checked against
   * host.docker.internal instead of the IP.
   */
  HttpResponse<String> nodeExporter(SSLContext ssl, String url, String authorization) throws Exception {
    javax.net.ssl.HttpsURLConnection c = (javax.net.ssl.HttpsURLConnection) URI.create(url).toURL().openConnection();
    c.setSSLSocketFactory(ssl.getSocketFactory());
    c.setHostnameVerifier((host, session) -> {
      try {
        return io.keikomon.core.crypto.LocalCa.subjectAltNames(
            (java.security.cert.X509Certificate) session.getPeerCertificates()[0]).contains("host.docker.internal");
      } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
        return false;
      }
    });
    c.setConnectTimeout(5000);
    c.setReadTimeout(10000);
    if (authorization != null) {
      c.setRequestProperty("Authorization", authorization);
    }
    int code;
    try {
      code = c.getResponseCode();
    } catch (IOException e) {
      if (e instanceof SSLHandshakeException || e.getCause() instanceof SSLHandshakeException) {
        throw e instanceof SSLHandshakeException ? (SSLHandshakeException) e : (SSLHandshakeException) e.getCause();
      }
      throw e;
    } finally {
      c.disconnect();
    }
    return new HttpResponse<>() {
      public int statusCode() { return code; }
      public HttpRequest request() { return null; }
      public java.util.Optional<HttpResponse<String>> previousResponse() { return java.util.Optional.empty(); }
      public java.net.http.HttpHeaders headers() { return java.net.http.HttpHeaders.of(Map.of(), (a, b) -> true); }
      public String body() { return ""; }
      public java.util.Optional<javax.net.ssl.SSLSession> sslSession() { return java.util.Optional.empty(); }
      public URI uri() { return URI.create(url); }
      public HttpClient.Version version() { return HttpClient.Version.HTTP_1_1; }
    };
  }

  JsonNode prometheus(String path) throws Exception {
    HttpResponse<String> r = send(trusting, "GET", "https://127.0.0.1:" + prometheusPort + path,
        basic("admin", env("PROMETHEUS_PASSWORD")));
    assertEquals(200, r.statusCode(), r.body());
    return JSON.readTree(r.body());
  }

  /** Where node-exporter listens: the host gateway address host.docker.internal stands for. */
  String nodeExporterUrl() {
    ExecResult hosts = docker.exec(ids.get("node-exporter"), List.of("cat", "/etc/hosts"), Duration.ofSeconds(10));
    for (String line : hosts.stdout().split("\n")) {
      if (line.contains("host.docker.internal")) {
        return "https://" + line.trim().split("\\s+")[0] + ":9100";
      }
    }
    return fail("no host.docker.internal in node-exporter's /etc/hosts:\n" + hosts.stdout());
  }

  @Test
  @Order(1)
  void upWithTheDefaultsBringsEveryServiceUpHealthy() throws Exception {
    CliHarness.Result r = keikoMon("up", "--timeout", "3m");

    assertEquals(0, r.exitCode(), r.toString());
    ids = containerIds();
    assertEquals(Set.of("alertmanager", "blackbox-exporter", "grafana", "node-exporter", "prometheus"), ids.keySet());
    for (String name : List.of("PROMETHEUS_PASSWORD", "ALERTMANAGER_PASSWORD", "METRICS_PASSWORD")) {
      assertEquals(32, env(name).length(), name + " generated into .env");
    }
    assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
        Files.getPosixFilePermissions(dir.resolve("monitoring/pki/ca.key"))));
    trustingContext = Tls.caCertificate(dir.resolve("monitoring/pki/ca.crt")).context();
    trusting = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).sslContext(trustingContext).build();

    CliHarness.Result status = keikoMon("status");
    assertEquals(0, status.exitCode(), "status reads the targets through the authenticated transport:\n" + status);
    assertTrue(status.out().contains("up"), status.toString());
  }

  @Test
  @Order(2)
  void everyTargetIsUpWithNo401AndNoX509Error() throws Exception {
    // grafana's job is left out: the Grafana stand-in serves no /metrics
    Set<String> jobs = Set.of("prometheus", "alertmanager", "node", "backend", "health", "blackbox");
    JsonNode targets = UpEndToEndDockerTest.eventually("every target of " + jobs + " up", Duration.ofSeconds(90), () -> {
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
    for (JsonNode target : targets) {
      String job = target.path("scrapePool").asText();
      if (Set.of("prometheus", "alertmanager", "node").contains(job)) {
        assertTrue(target.path("scrapeUrl").asText().startsWith("https://"), target.toString());
      }
    }
    JsonNode am = prometheus("/api/v1/alertmanagers").path("data").path("activeAlertmanagers");
    assertEquals(1, am.size(), am.toString());
    assertTrue(am.get(0).path("url").asText().startsWith("https://alertmanager:9093"), am.toString());
  }

  @Test
  @Order(3)
  void everyPublishedPortAsksForThePasswordAndRefusesAWrongOne() throws Exception {
    Map<String, String> urls = Map.of(
        "prometheus", "https://127.0.0.1:" + prometheusPort + "/api/v1/status/buildinfo",
        "alertmanager", "https://127.0.0.1:" + alertmanagerPort + "/api/v2/status",
        "node-exporter", nodeExporterUrl() + "/metrics");
    Map<String, String> right = Map.of("prometheus", basic("admin", env("PROMETHEUS_PASSWORD")),
        "alertmanager", basic("admin", env("ALERTMANAGER_PASSWORD")),
        "node-exporter", basic("metrics", env("METRICS_PASSWORD")));
    for (Map.Entry<String, String> e : urls.entrySet()) {
      String url = e.getValue();
      assertEquals(401, send(trusting, "GET", url, null).statusCode(), e.getKey() + " without credentials");
      assertEquals(401, send(trusting, "GET", url, basic("admin", "wrong")).statusCode(), e.getKey() + " wrong password");
      assertEquals(401, send(trusting, "GET", url, basic("metrics", env("PROMETHEUS_PASSWORD") + "x")).statusCode(),
          e.getKey() + " another user's password");
      assertEquals(200, send(trusting, "GET", url, right.get(e.getKey())).statusCode(), e.getKey() + " right password");
    }
    // Grafana (the stand-in, like Grafana): its login page is public, its API is not
    assertEquals(200, send(trusting, "GET", "http://127.0.0.1:" + grafanaPort + "/api/health", null).statusCode());
    assertEquals(401, send(trusting, "GET", "http://127.0.0.1:" + grafanaPort + "/api/datasources", null).statusCode());
  }

  @Test
  @Order(4)
  void tlsVerifiesWithTheGeneratedCaAndFailsWithout() throws Exception {
    for (String url : List.of("https://127.0.0.1:" + prometheusPort + "/-/ready",
        "https://127.0.0.1:" + alertmanagerPort + "/-/ready", nodeExporterUrl() + "/")) {
      String p = url.contains(":9100") ? basic("metrics", env("METRICS_PASSWORD"))
          : url.contains(":" + prometheusPort) ? basic("admin", env("PROMETHEUS_PASSWORD"))
          : basic("admin", env("ALERTMANAGER_PASSWORD"));
      assertEquals(200, send(trusting, "GET", url, p).statusCode(), url);
      assertThrows(SSLHandshakeException.class, () -> send(systemTrust, "GET", url, p), url + " without the CA");
      // and plain http is not served at all
      String plain = url.replace("https://", "http://");
      HttpResponse<String> r = systemTrust.send(HttpRequest.newBuilder(URI.create(plain)).header("Authorization", p)
          .build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(400, r.statusCode(), plain + " answers TLS only");
    }
  }

  @Test
  @Order(5)
  void reloadAndAdminApiNeedTheCredentials() throws Exception {
    String base = "https://127.0.0.1:" + prometheusPort;
    assertEquals(401, send(trusting, "POST", base + "/-/reload", null).statusCode());
    assertEquals(401, send(trusting, "POST", base + "/api/v1/admin/tsdb/snapshot", null).statusCode());
    assertEquals(401, send(trusting, "POST", "https://127.0.0.1:" + alertmanagerPort + "/-/reload", null).statusCode());
    assertEquals(200, send(trusting, "POST", base + "/-/reload", basic("admin", env("PROMETHEUS_PASSWORD"))).statusCode());
  }

  @Test
  @Order(6)
  void noSecretShowsInDockerInspect() throws Exception {
    List<String> secrets = List.of(env("PROMETHEUS_PASSWORD"), env("ALERTMANAGER_PASSWORD"), env("METRICS_PASSWORD"),
        env("GRAFANA_ADMIN_PASSWORD"), Files.readString(secret("prometheus_auth_header")).strip().substring(6));
    for (Map.Entry<String, String> e : ids.entrySet()) {
      Process p = new ProcessBuilder("docker", "inspect", e.getValue()).redirectErrorStream(true).start();
      String inspect = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(30, TimeUnit.SECONDS));
      assertEquals(0, p.exitValue(), inspect);
      for (String s : secrets) {
        assertFalse(inspect.contains(s), e.getKey() + "'s docker inspect shows a secret");
      }
    }
    // the healthchecks are authenticated (a 401 would make them fail) and Docker says healthy
    for (String service : List.of("prometheus", "alertmanager", "node-exporter")) {
      String health = UpEndToEndDockerTest.eventually(service + " healthy by Docker's own check", Duration.ofSeconds(60),
          () -> docker.inspectContainer(ids.get(service)).map(c -> c.state().health())
              .filter(h -> "healthy".equals(h.status())).map(h -> h.status()).orElse(null));
      assertEquals("healthy", health);
    }
  }

  @Test
  @Order(7)
  void aRuleChangeIsReloadedThroughTheAuthenticatedTransport() throws Exception {
    Files.writeString(dir.resolve("keiko.yml"),
        Files.readString(dir.resolve("keiko.yml")).replace("service_down: {for: 3s}", "service_down: {for: 4s}"));

    CliHarness.Result r = keikoMon("up");

    assertEquals(0, r.exitCode(), r.toString());
    assertTrue(r.err().contains("prometheus         reloaded"), r.toString());
    assertEquals(ids, containerIds(), "no container was replaced");
  }

  @Test
  @Order(8)
  void backendDownAlertReachesAlertmanagerOverTheEncryptedAuthenticatedPath() throws Exception {
    backend.stop();
    try {
      JsonNode alert = UpEndToEndDockerTest.eventually("KeikoBackendDown in Alertmanager", Duration.ofSeconds(90), () -> {
        HttpResponse<String> r = send(trusting, "GET", "https://127.0.0.1:" + alertmanagerPort + "/api/v2/alerts",
            basic("admin", env("ALERTMANAGER_PASSWORD")));
        for (JsonNode a : JSON.readTree(r.body())) {
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
  @Order(9)
  void secondUpChangesNothing() {
    CliHarness.Result r = keikoMon("up");

    assertEquals(0, r.exitCode(), r.toString());
    assertTrue(r.out().contains("is up to date"), r.toString());
    assertEquals(ids, containerIds());
  }

  @Test
  @Order(10)
  void secretsRotateSwapsThePasswordsLiveOldRefusedNewAcceptedSameContainersEveryTargetUp() throws Exception {
    Map<String, String> old = Map.of("PROMETHEUS_PASSWORD", env("PROMETHEUS_PASSWORD"),
        "ALERTMANAGER_PASSWORD", env("ALERTMANAGER_PASSWORD"), "METRICS_PASSWORD", env("METRICS_PASSWORD"));
    Object inode = Files.readAttributes(secret("prometheus_password"),
        java.nio.file.attribute.BasicFileAttributes.class).fileKey();
    long start = Instant.now().getEpochSecond();

    // grafana is left out: the in-container stand-in has no password endpoint (SecretRotationTest covers it)
    CliHarness.Result r = keikoMon("secrets", "rotate", "prometheus", "alertmanager", "node-exporter");

    assertEquals(0, r.exitCode(), r.toString());
    assertTrue(r.out().contains("the new passwords work and the old ones are refused"), r.toString());
    assertEquals(ids, containerIds(), "no container was replaced");
    assertEquals(inode, Files.readAttributes(secret("prometheus_password"),
        java.nio.file.attribute.BasicFileAttributes.class).fileKey(), "the bind-mounted secret kept its inode");
    Map<String, String> urls = Map.of(
        "PROMETHEUS_PASSWORD", "https://127.0.0.1:" + prometheusPort + "/api/v1/status/buildinfo",
        "ALERTMANAGER_PASSWORD", "https://127.0.0.1:" + alertmanagerPort + "/api/v2/status",
        "METRICS_PASSWORD", nodeExporterUrl() + "/metrics");
    for (Map.Entry<String, String> e : urls.entrySet()) {
      String user = e.getKey().equals("METRICS_PASSWORD") ? "metrics" : "admin";
      String now = env(e.getKey());
      assertEquals(32, now.length());
      assertFalse(now.equals(old.get(e.getKey())), e.getKey() + " changed");
      assertEquals(401, send(trusting, "GET", e.getValue(), basic(user, old.get(e.getKey()))).statusCode(),
          e.getKey() + ": the old password stops working");
      assertEquals(200, send(trusting, "GET", e.getValue(), basic(user, now)).statusCode(),
          e.getKey() + ": the new one works");
    }
    try (Stream<Path> files = Files.list(dir)) {
      assertTrue(files.anyMatch(f -> f.getFileName().toString().startsWith(".env.bak-")), "the old .env is kept");
    }

    // every target the rotation touches stayed up: Prometheus' own record of each scrape since the rotation began, a
    // few scrapes after. Not the backend: it is this class's in-JVM demo server, which another test stops and starts
    // (a failed scrape of it just before `start`, within the whole-second window, failed this once under load).
    Thread.sleep(3000);
    long window = Instant.now().getEpochSecond() - start;
    JsonNode min = prometheus("/api/v1/query?query=" + java.net.URLEncoder.encode(
        "min_over_time(up{job=~\"prometheus|alertmanager|node|blackbox\"}[" + window + "s])",
        StandardCharsets.UTF_8)).path("data").path("result");
    Set<String> jobs = new java.util.HashSet<>();
    for (JsonNode series : min) {
      jobs.add(series.path("metric").path("job").asText());
      assertEquals("1", series.path("value").get(1).asText(), "a scrape failed during the rotation: " + series);
    }
    assertTrue(jobs.containsAll(Set.of("prometheus", "alertmanager", "node")), min.toString());
    // and a scrape after the rotation used the new client passwords (Prometheus re-reads password_file per scrape)
    JsonNode after = prometheus("/api/v1/query?query=up").path("data").path("result");
    for (JsonNode series : after) {
      if (Set.of("prometheus", "alertmanager", "node").contains(series.path("metric").path("job").asText())) {
        assertEquals("1", series.path("value").get(1).asText(), series.toString());
      }
    }

    CliHarness.Result again = keikoMon("up");
    assertEquals(0, again.exitCode(), again.toString());
    assertTrue(again.out().contains("is up to date"), "up after the rotation changes nothing:\n" + again);
    assertEquals(ids, containerIds());
  }
}
