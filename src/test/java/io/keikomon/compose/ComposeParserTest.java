package io.keikomon.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keikomon.config.ConfigException;
import io.keikomon.config.Problem;
import io.keikomon.compose.ComposeModel.Condition;
import io.keikomon.compose.ComposeModel.Mount;
import io.keikomon.compose.ComposeModel.MountType;
import io.keikomon.compose.ComposeModel.Port;
import io.keikomon.compose.ComposeModel.Service;
import io.keikomon.testing.TestWorkspaces;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

public class ComposeParserTest {
  static final Path FILE = Path.of("/srv/keiko/monitoring/docker-compose.monitoring.yml");
  static final String LABEL = "monitoring/docker-compose.monitoring.yml";

  static String fixture(String name) {
    try (InputStream in = ComposeParserTest.class.getResourceAsStream("/compose/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /**
   * A jimfs output folder holding the full.yml compose fixture and the config files it mounts; returns the
   * compose file.
   */
  public static Path renderedTree() throws IOException {
    Path dir = TestWorkspaces.jimfs().dir().resolve("monitoring");
    Files.createDirectories(dir.resolve("prometheus/rules"));
    Files.createDirectories(dir.resolve("alertmanager"));
    Files.createDirectories(dir.resolve("secrets"));
    Files.writeString(dir.resolve("prometheus/prometheus.yml"), "global: {}\n");
    Files.writeString(dir.resolve("prometheus/rules/a.yml"), "groups: []\n");
    Files.writeString(dir.resolve("alertmanager/alertmanager.yml"), "route: {receiver: x}\n");
    Files.writeString(dir.resolve("secrets/slack_url"), "https://hooks\n");
    Files.writeString(dir.resolve("secrets/grafana_admin"), "pw\n");
    Path composeFile = dir.resolve("docker-compose.monitoring.yml");
    Files.writeString(composeFile, fixture("full.yml"));
    return composeFile;
  }

  static ComposeParser.Result parse(String yaml) {
    return new ComposeParser(Map.of("FROM_ENV", "hello")).parse(FILE, LABEL, yaml, "keiko");
  }

  static List<String> errors(String yaml) {
    ConfigException e = assertThrows(ConfigException.class, () -> parse(yaml));
    return e.problems().stream().filter(Problem::isError).map(Problem::render).collect(Collectors.toList());
  }

  @Test
  void readsEveryServiceFieldOfTheRenderedShape() {
    ComposeParser.Result r = parse(fixture("full.yml"));
    ComposeModel m = r.model();
    assertEquals("keiko", m.project());
    assertEquals(List.of("alertmanager", "grafana", "node-exporter", "prometheus"), List.copyOf(m.services().keySet()));

    Service prom = m.service("prometheus");
    assertEquals("prom/prometheus:v3.5.0", prom.image());
    assertEquals("keiko-prometheus", prom.containerName());
    assertEquals("unless-stopped", prom.restart(), "merged from the x-common anchor");
    assertEquals(List.of("host.docker.internal:host-gateway"), prom.extraHosts());
    assertEquals(4, prom.command().orElseThrow().size());
    assertEquals(List.of(new Port("127.0.0.1", 9090, 9090, "tcp")), prom.ports());
    assertEquals(List.of(
        new Mount(MountType.BIND, "/srv/keiko/monitoring/prometheus", "/etc/prometheus", true, ""),
        new Mount(MountType.VOLUME, "prometheus-data", "/prometheus", false, "")), prom.mounts());
    ComposeModel.Health h = prom.healthcheck().orElseThrow();
    assertEquals(List.of("CMD", "wget", "-qO-", "http://localhost:9090/-/ready"), h.test());
    assertEquals(10_000_000_000L, h.intervalNanos());
    assertEquals(5_000_000_000L, h.timeoutNanos());
    assertEquals(90_000_000_000L, h.startPeriodNanos());
    assertEquals(3, h.retries());
    assertEquals(Condition.SERVICE_HEALTHY, prom.dependsOn().get("alertmanager").condition());

    Service am = m.service("alertmanager");
    assertEquals(List.of("--config.file=/etc/alertmanager/alertmanager.yml", "--storage.path=/alertmanager"),
        am.command().orElseThrow(), "a string command is split like a shell would");
    assertEquals(List.of(new Port("127.0.0.1", 9093, 9093, "tcp")), am.ports());
    assertTrue(am.mounts().contains(
        new Mount(MountType.BIND, "/srv/keiko/monitoring/secrets/slack_url", "/run/secrets/slack_url", true, "")),
        "file secrets become read-only binds at /run/secrets/NAME: " + am.mounts());
    assertTrue(am.mounts().contains(
        new Mount(MountType.BIND, "/srv/keiko/monitoring/alertmanager", "/etc/alertmanager", true, "")));
    assertEquals(Map.of("TZ", "UTC", "FROM_ENV", "hello"), am.environment(), "bare keys come from the environment");
    assertEquals(List.of("CMD-SHELL", "wget -qO- http://localhost:9093/-/ready || exit 1"),
        am.healthcheck().orElseThrow().test());
    assertEquals(500_000_000L, am.healthcheck().orElseThrow().intervalNanos());

    Service node = m.service("node-exporter");
    assertEquals(Optional.of("host"), node.networkMode());
    assertEquals(Optional.of("host"), node.pid());
    assertEquals(List.of(new Mount(MountType.BIND, "/", "/host", true, "rslave")), node.mounts());
    assertEquals(Map.of("team", "ops", "tier", ""), node.labels());
    assertEquals("no", node.restart());

    Service grafana = m.service("grafana");
    assertEquals("grafana/grafana:12.0.2", grafana.image(), "${VAR:-default} falls back to the default");
    assertEquals("$5", grafana.environment().get("COST"), "$$ is a literal dollar");
    assertEquals(Condition.SERVICE_STARTED, grafana.dependsOn().get("prometheus").condition());
    assertEquals("/run/secrets/grafana_admin", grafana.mounts().get(1).target());

    assertEquals("keiko_default", m.defaultNetworkName());
    assertEquals("keiko_prometheus-data", m.volumeName("prometheus-data"));
    assertEquals(Map.of("backup", "yes"), m.volumes().get("grafana-data").labels());
    assertTrue(r.warnings().isEmpty(), r.warnings().toString());
  }

  @Test
  void keysItCannotHonourAreErrorsWithTheirPositionAndPath() {
    List<String> errors = errors("""
        services:
          prometheus:
            image: prom/prometheus
            build: .
            deploy: {replicas: 2}
        configs:
          x: {file: ./x}
        """);
    assertEquals(List.of(
        LABEL + ":4:12: services.prometheus.build: keiko-mon up cannot honour this key"
            + " (hint: remove it, or run the file with docker-compose yourself)",
        LABEL + ":5:13: services.prometheus.deploy: keiko-mon up cannot honour this key"
            + " (hint: remove it, or run the file with docker-compose yourself)",
        LABEL + ":7:3: configs: keiko-mon up cannot honour this key"
            + " (hint: remove it, or run the file with docker-compose yourself)"), sorted(errors));
  }

  @Test
  void extensionKeysAreAllowedAndVersionOnlyWarns() {
    ComposeParser.Result r = parse("""
        version: "3.8"
        x-note: anything
        services:
          a: {image: busybox, x-owner: me}
        """);
    assertEquals(1, r.warnings().size());
    assertTrue(r.warnings().get(0).render().contains(":1:10: warning: version: is obsolete"), r.warnings().toString());
  }

  @Test
  void hardeningKeysBecomeTheEnginesSettings() {
    ComposeModel m = parse("""
        services:
          a:
            image: busybox
            security_opt: [no-new-privileges:true]
            cap_drop: [ALL]
            cap_add: [cap_net_raw]
            read_only: true
            tmpfs: /tmp:size=16m
            mem_limit: 1536m
            logging: {driver: json-file, options: {max-size: 10m, max-file: "3"}}
          b: {image: busybox}
        """).model();
    io.keikomon.engine.Hardening h = m.services().get("a").hardening();
    assertEquals(List.of("no-new-privileges:true"), h.securityOpt());
    assertEquals(List.of("ALL"), h.capDrop());
    assertEquals(List.of("NET_RAW"), h.capAdd());
    assertTrue(h.readOnlyRootfs());
    assertEquals(List.of("/tmp:size=16m"), h.tmpfs());
    assertEquals(1536L << 20, h.memoryBytes());
    assertEquals("json-file", h.logDriver());
    assertEquals(Map.of("max-file", "3", "max-size", "10m"), h.logOptions());
    assertTrue(m.services().get("b").hardening().isNone());
  }

  @Test
  void aBadMemoryLimitOrCapabilityIsPositioned() {
    List<String> errors = errors("""
        services:
          a:
            image: busybox
            mem_limit: plenty
            cap_drop: [all things]
        """);
    assertEquals(List.of(
        LABEL + ":4:16: services.a.mem_limit: `plenty` is not a size (hint: e.g. 512m or 2g)",
        LABEL + ":5:15: services.a.cap_drop: `all things` is not a capability name"
            + " (hint: e.g. ALL, CHOWN, NET_BIND_SERVICE)"), sorted(errors));
  }

  @Test
  void wrongValuesAreReportedAllAtOnce() {
    List<String> errors = errors("""
        services:
          a:
            image: busybox
            ports: ["9090-9091:9090"]
            restart: sometimes
            healthcheck: {test: [CMD, true], interval: 10 seconds}
            volumes: [data:/data, /tmp]
            depends_on: {b: {condition: service_ready}, c: {condition: service_started}}
          b:
            image: busybox
        """);
    String all = String.join("\n", errors);
    assertTrue(all.contains(":4:13: services.a.ports[0]: `9090-9091:9090` is not"), all);
    assertTrue(all.contains(":5:14: services.a.restart: `sometimes` is not a restart policy"), all);
    assertTrue(all.contains(":6:48: services.a.healthcheck.interval: `10 seconds` is not a duration"), all);
    assertTrue(all.contains(":7:15: services.a.volumes[0]: volume `data` is not declared"), all);
    assertTrue(all.contains(":7:27: services.a.volumes[1]: anonymous volumes are not supported"), all);
    assertTrue(all.contains("services.a.depends_on.b.condition: `service_ready` is not a condition"), all);
    assertTrue(all.contains("services.a.depends_on.c: no such service"), all);
    assertEquals(7, errors.size(), all);
  }

  @Test
  void dependencyCycleIsAnError() {
    List<String> errors = errors("""
        services:
          a: {image: x, depends_on: [b]}
          b: {image: x, depends_on: [a]}
        """);
    assertTrue(errors.get(0).contains("depends_on has a cycle between a, b"), errors.toString());
  }

  @Test
  void malformedYamlNamesThePosition() {
    List<String> errors = errors("services:\n  a: {image: x\n");
    assertTrue(errors.get(0).startsWith(LABEL + ":3:1: not valid YAML"), errors.toString());
  }

  @Test
  void requiredVariableThatIsUnsetIsAnError() {
    List<String> errors = errors("services:\n  a: {image: \"${IMG:?set IMG}\"}\n");
    assertTrue(errors.get(0).contains("services.a.image: variable IMG is required: set IMG"), errors.toString());
  }

  @Test
  void onlyTheDefaultNetworkIsSupported() {
    List<String> errors = errors("""
        services:
          a: {image: x, networks: [front]}
        networks:
          front: {}
        """);
    assertEquals(2, errors.size(), errors.toString());
  }

  @Test
  void startOrderPutsDependenciesFirstAndIndependentServicesTogether() {
    ComposeModel m = parse(fixture("full.yml")).model();
    assertEquals(List.of(List.of("alertmanager", "node-exporter"), List.of("prometheus"), List.of("grafana")),
        StartOrder.of(m.services()).waves());
  }

  private static List<String> sorted(List<String> l) {
    return l.stream().sorted().toList();
  }
}
