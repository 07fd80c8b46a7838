package io.keikomon.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keikomon.compose.StackFile;
import io.keikomon.core.OperationFailedException;
import io.keikomon.core.UnhealthyException;
import io.keikomon.engine.LogListener;
import io.keikomon.engine.LogRequest;
import io.keikomon.engine.Subscription;
import io.keikomon.engine.SwarmGateway;
import io.keikomon.engine.SwarmServiceSpec;
import io.keikomon.testing.InMemoryDockerEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@link SwarmStackRuntime#deploy} asks of the swarm, on a fake whose tasks run as soon as they are asked for:
 * only changed services are updated, Grafana starts alone and is scaled, a failed rollout is reported, and the
 * stack-file reader refuses what it cannot deploy faithfully.
 */
class SwarmDeployTest {
  @TempDir Path dir;

  static final String STACK = """
      services:
        prometheus:
          image: prom/prometheus:v3.5.0
          environment: {PROMETHEUS_REPLICA: "{{.Task.Slot}}"}
          configs: [{source: prometheus.yml-%s, target: /etc/prometheus/prometheus.yml}]
          volumes: [prometheus-data:/prometheus]
          networks: [monitoring]
          deploy:
            replicas: 2
            update_config: {parallelism: 1, order: stop-first, delay: 10s}
        grafana:
          image: grafana/grafana:12.0.2
          networks: [monitoring]
          deploy: {replicas: 2, update_config: {parallelism: 1, order: start-first}}
      networks:
        monitoring: {driver: overlay}
      volumes:
        prometheus-data: {name: "p_prometheus-data-{{.Task.Slot}}"}
      configs:
        prometheus.yml-%s: {file: ./prometheus.yml}
      """;

  final InMemoryDockerEngine engine = new InMemoryDockerEngine();
  final FakeSwarm swarm = new FakeSwarm();
  final List<String> progress = new CopyOnWriteArrayList<>();

  SwarmStackRuntime runtime() {
    engine.swarmApi = swarm;
    return new SwarmStackRuntime(engine, Clock.systemUTC(), Duration.ofMillis(1));
  }

  StackFile file(String hash) throws Exception {
    Files.writeString(dir.resolve("prometheus.yml"), "global: {}\n# " + hash + "\n");
    return StackFile.parse("p", "docker-stack.monitoring.yml", STACK.formatted(hash, hash), Map.of());
  }

  @Test
  void theFirstDeployCreatesEverythingAndStartsGrafanaAloneThenScalesIt() throws Exception {
    SwarmStackRuntime.Deployed d = runtime().deploy(file("aaaa1111"), dir, Duration.ofSeconds(10), true, progress::add);

    assertEquals(List.of("prometheus", "grafana"), d.created());
    assertTrue(swarm.calls.contains("create config p_prometheus.yml-aaaa1111"), swarm.calls.toString());
    assertTrue(swarm.calls.contains("create service p_grafana replicas 1"), swarm.calls.toString());
    assertTrue(swarm.calls.indexOf("update service p_grafana replicas 2") > swarm.calls.indexOf("create service p_grafana replicas 1"));
    assertTrue(engine.calls.contains("create network p_monitoring"), engine.calls.toString());
    SwarmServiceSpec prometheus = swarm.specs.get("p_prometheus");
    assertEquals(List.of("PROMETHEUS_REPLICA={{.Task.Slot}}"), prometheus.env());
    assertEquals("p_prometheus-data-{{.Task.Slot}}", prometheus.mounts().get(0).source());
    assertEquals(Map.of(StackFile.NAMESPACE, "p"), prometheus.mounts().get(0).volumeLabels());
    assertEquals(List.of("prometheus"), prometheus.networks().get(0).aliases(), "tasks.prometheus resolves");
    assertEquals("stop-first", prometheus.update().order());
  }

  @Test
  void anUnchangedStackIsLeftAloneAndAChangedConfigUpdatesOnlyItsService() throws Exception {
    runtime().deploy(file("aaaa1111"), dir, Duration.ofSeconds(10), true, progress::add);
    swarm.calls.clear();

    SwarmStackRuntime.Deployed same = runtime().deploy(file("aaaa1111"), dir, Duration.ofSeconds(10), true, progress::add);
    assertTrue(same.nothingChanged(), same.toString());
    assertTrue(swarm.calls.stream().noneMatch(c -> c.startsWith("create") || c.startsWith("update")), swarm.calls.toString());

    SwarmStackRuntime.Deployed changed = runtime().deploy(file("bbbb2222"), dir, Duration.ofSeconds(10), true,
        progress::add);
    assertEquals(List.of("prometheus"), changed.updated());
    assertEquals(List.of("grafana"), changed.unchanged());
    assertTrue(swarm.calls.contains("remove config p_prometheus.yml-aaaa1111"), "the old config pruned: " + swarm.calls);
  }

  @Test
  void aRolloutThatPausesIsReportedWithTheService() throws Exception {
    runtime().deploy(file("aaaa1111"), dir, Duration.ofSeconds(10), true, progress::add);
    swarm.updateStateAfterUpdate = "paused";

    UnhealthyException e = assertThrows(UnhealthyException.class,
        () -> runtime().deploy(file("bbbb2222"), dir, Duration.ofSeconds(10), true, progress::add));
    assertTrue(e.getMessage().startsWith("the rolling update of prometheus failed"), e.getMessage());
  }

  @Test
  void aKeyTheDeployerDoesNotHandleIsRefusedByName() {
    OperationFailedException e = assertThrows(OperationFailedException.class, () -> StackFile.parse("p", "s.yml",
        "services:\n  a:\n    image: x\n    privileged: true\n", Map.of()));
    assertTrue(e.getMessage().contains("s.yml uses services.a.privileged, which keiko-mon's swarm deployer does not"
        + " handle"), e.getMessage());
    assertTrue(e.hint().contains("docker stack deploy -c s.yml p"), e.hint());
  }

  /** Services whose tasks all run at once; {@code updateStateAfterUpdate} is what an update leaves. */
  static final class FakeSwarm implements SwarmGateway {
    final List<String> calls = new CopyOnWriteArrayList<>();
    final Map<String, SwarmServiceSpec> specs = new LinkedHashMap<>();
    final Map<String, Long> versions = new LinkedHashMap<>();
    final Map<String, String> states = new LinkedHashMap<>();
    final Map<String, String> configs = new LinkedHashMap<>();
    volatile String updateStateAfterUpdate = "completed";

    @Override
    public SwarmInfo swarmInfo() {
      return new SwarmInfo("active", true, "n1", "127.0.0.1");
    }

    @Override
    public void initSwarm(String advertiseAddress) {}

    @Override
    public Map<String, String> nodeNames() {
      return Map.of("n1", "node-1");
    }

    @Override
    public List<SwarmService> listServices(Map<String, String> labels) {
      List<SwarmService> out = new ArrayList<>();
      specs.forEach((name, s) -> out.add(new SwarmService(name, name, versions.get(name), s.labels(), s.replicas(),
          states.getOrDefault(name, ""), "")));
      return out;
    }

    @Override
    public String createService(SwarmServiceSpec spec) {
      calls.add("create service " + spec.name() + " replicas " + spec.replicas());
      specs.put(spec.name(), spec);
      versions.put(spec.name(), 1L);
      return spec.name();
    }

    @Override
    public void updateService(String id, long version, SwarmServiceSpec spec) {
      assertEquals(versions.get(id), version, "updates name the current version");
      calls.add("update service " + id + " replicas " + spec.replicas());
      specs.put(id, spec);
      versions.put(id, version + 1);
      states.put(id, updateStateAfterUpdate);
    }

    @Override
    public void removeService(String id) {
      calls.add("remove service " + id);
      specs.remove(id);
    }

    @Override
    public List<SwarmTask> listTasks(String serviceId) {
      int n = specs.get(serviceId).replicas() == null ? 1 : specs.get(serviceId).replicas();
      List<SwarmTask> tasks = new ArrayList<>();
      for (int i = 1; i <= n; i++) {
        tasks.add(new SwarmTask(serviceId + i, serviceId, i, "n1", "running", "running", "c" + i, "", "", null));
      }
      return tasks;
    }

    @Override
    public List<SwarmObject> listConfigs(Map<String, String> labels) {
      return configs.entrySet().stream().map(e -> new SwarmObject(e.getValue(), e.getKey(), labels)).toList();
    }

    @Override
    public String createConfig(String name, Map<String, String> labels, byte[] data) {
      calls.add("create config " + name);
      configs.put(name, "id-" + name);
      return "id-" + name;
    }

    @Override
    public void removeConfig(String id) {
      calls.add("remove config " + id.substring(3));
      configs.values().remove(id);
    }

    @Override
    public List<SwarmObject> listSecrets(Map<String, String> labels) {
      return List.of();
    }

    @Override
    public String createSecret(String name, Map<String, String> labels, byte[] data) {
      throw new AssertionError("no secrets in this stack");
    }

    @Override
    public void removeSecret(String id) {}

    @Override
    public Subscription serviceLogs(String id, LogRequest request, LogListener listener) {
      throw new UnsupportedOperationException();
    }
  }
}
