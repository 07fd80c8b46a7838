package io.keikomon.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which Prometheus replica a swarm backup is of, and how the manifest says so (and a compose one does not). */
class SwarmBackupPartsTest {
  @Test
  void theReplicaIsTheServiceAndTaskSlotOfTheTaskContainer() {
    assertEquals("prometheus.2", PrometheusPart.replica(Map.of(
        "com.docker.swarm.service.name", "kmswarm1_prometheus",
        "com.docker.swarm.task.name", "kmswarm1_prometheus.2.q0k4x1mwbg7n3c8c0tqkd6c9u")));
    assertNull(PrometheusPart.replica(Map.of("com.docker.compose.service", "prometheus")), "compose: none");
  }

  @Test
  void theManifestNamesTheReplicaInSwarmModeOnly() throws Exception {
    Manifest.Block block = new Manifest.Block("01J0", 0, 7_200_000, 10, 100);
    Manifest swarm = manifest(new Manifest.PrometheusSummary("snap", "2.45.3", List.of(block), "prometheus.1"));
    Manifest compose = manifest(new Manifest.PrometheusSummary("snap", "2.45.3", List.of(block)));

    String json = new String(swarm.toJson(), java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(json.contains("\"replica\" : \"prometheus.1\""), json);
    assertEquals("prometheus.1", Manifest.parse(swarm.toJson()).prometheus().replica());
    assertFalse(new String(compose.toJson(), java.nio.charset.StandardCharsets.UTF_8).contains("replica"));
    assertNull(Manifest.parse(compose.toJson()).prometheus().replica());
  }

  static Manifest manifest(Manifest.PrometheusSummary p) {
    return new Manifest(Manifest.FORMAT_VERSION, "t", "p", "2026-12-01T00:00:00Z", false, List.of("prometheus"),
        Map.of(), "monitoring", List.of(), p, null, null);
  }
}
