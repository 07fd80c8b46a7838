package io.keikomon.engine.dockerjava;

import io.keikomon.compose.ComposeLabels;
import io.keikomon.engine.ContainerDetails;
import io.keikomon.engine.ContainerSpec;
import io.keikomon.engine.ContainerSummary;
import io.keikomon.engine.DockerGateway;
import io.keikomon.engine.DockerOperationException;
import io.keikomon.engine.EngineConnector;
import io.keikomon.engine.HealthcheckSpec;
import io.keikomon.engine.Mount;
import io.keikomon.engine.NetworkInfo;
import io.keikomon.engine.NetworkSpec;
import io.keikomon.engine.PortBinding;
import io.keikomon.engine.VolumeSpec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keikomon.testing.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract of the raw reads ({@link EngineReads}): every record they make equals docker-java's for the same
 * engine object, the 404s are empty lookups, and failures carry the same kind, message and hint.
 */
@Tag("docker")
class EngineReadsDockerTest {
  private static DockerJavaGateway raw;
  private static DockerJavaGateway dockerJava;
  private final String project = "keiko-rr-" + UUID.randomUUID().toString().substring(0, 8);
  private final Map<String, String> labels = Map.of(ComposeLabels.PROJECT, project);

  @BeforeAll
  static void gateways() {
    raw = DockerJavaGateway.open(EngineConnector.DEFAULT_SOCKET, Map.of(), Duration.ofSeconds(5),
        Duration.ofSeconds(60));
    dockerJava = DockerJavaGateway.open(EngineConnector.DEFAULT_SOCKET, Map.of(), Duration.ofSeconds(5),
        Duration.ofSeconds(60), false);
    TestImages.ensure(dockerJava, TestImages.Image.PROMETHEUS);
  }

  @AfterAll
  static void close() {
    raw.close();
    dockerJava.close();
  }

  @AfterEach
  void cleanUp() {
    for (ContainerSummary c : dockerJava.listContainers(labels)) {
      dockerJava.removeContainer(c.id(), true);
    }
    dockerJava.listNetworks(labels).forEach(n -> dockerJava.removeNetwork(n.id()));
    dockerJava.listVolumes(labels).forEach(v -> dockerJava.removeVolume(v.name()));
  }

  @Test
  void everyReadEqualsDockerJavas(@TempDir Path hostDir) throws Exception {
    Files.writeString(hostDir.resolve("f.txt"), "x\n");
    String front = project + "_front";
    String back = project + "_back";
    dockerJava.createNetwork(new NetworkSpec(front, null, labels, true));
    dockerJava.createNetwork(new NetworkSpec(back, null, Map.of(ComposeLabels.PROJECT, project, "tier", "back"),
        false));
    String volume = project + "_data";
    raw.createVolume(new VolumeSpec(volume, null, Map.of(ComposeLabels.PROJECT, project, "keep", "yes")));
    assertEquals(dockerJava.inspectVolume(volume), raw.inspectVolume(volume));
    assertEquals(Map.of(ComposeLabels.PROJECT, project, "keep", "yes"),
        dockerJava.inspectVolume(volume).orElseThrow().labels());
    assertEquals("local", dockerJava.inspectVolume(volume).orElseThrow().driver());

    String image = TestImages.Image.PROMETHEUS.tag();
    List<String> sleeper = List.of("/bin/sh", "-c", "trap 'exit 7' TERM; sleep 300 & wait");
    String id = dockerJava.createAndStart(ContainerSpec.builder(project + "-server", image)
        .labels(labels).label(ComposeLabels.SERVICE, "server").label("empty", "")
        .entrypoint(sleeper)
        .network(front, List.of("server"))
        .network(back, List.of("server-back"))
        .mount(Mount.volume(volume, "/data"))
        .mount(Mount.bind(hostDir.toString(), "/etc/conf", true))
        // two bindings of one port, and udp next to tcp: the sort must be total to be deterministic
        .port(PortBinding.tcp("127.0.0.1", 0, 9090))
        .port(PortBinding.tcp("127.0.0.2", 0, 9090))
        .port(new PortBinding("127.0.0.1", 0, 9090, "udp"))
        .port(PortBinding.tcp("127.0.0.1", 0, 8080))
        .healthcheck(new HealthcheckSpec(List.of("CMD-SHELL", "echo probed; true"), Duration.ofMillis(300),
            Duration.ofSeconds(3), null, 3))
        .build());
    String created = dockerJava.createContainer(ContainerSpec.builder(project + "-never-started", image)
        .labels(labels).entrypoint(sleeper).build());

    ContainerDetails running = waitFor(id, d -> d.state().health() != null && d.state().health().healthy()
        && !d.state().health().log().isEmpty());
    assertEquals(4, running.ports().size(), running.toString());
    assertEquals(List.of(front, back).stream().sorted().toList(), running.networks().stream().sorted().toList());
    assertEquals("", running.label("empty"));
    sameWhileSteady(() -> dockerJava.inspectContainer(id), () -> raw.inspectContainer(id));
    assertEquals(dockerJava.inspectContainer(created), raw.inspectContainer(created));
    assertTrue(raw.inspectContainer(created).orElseThrow().state().startedAt() == null);
    assertTrue(raw.inspectContainer(created).orElseThrow().state().health() == null);

    assertEquals(dockerJava.info(), raw.info());
    sameWhileSteady(() -> dockerJava.listContainers(labels), () -> raw.listContainers(labels));
    assertEquals(2, raw.listContainers(labels).size());
    assertEquals(dockerJava.listContainers(Map.of(ComposeLabels.PROJECT, project, ComposeLabels.SERVICE, "server")),
        raw.listContainers(Map.of(ComposeLabels.PROJECT, project, ComposeLabels.SERVICE, "server")));
    assertEquals(1, raw.listContainers(Map.of(ComposeLabels.PROJECT, project, ComposeLabels.SERVICE, "server"))
        .size());
    // the engine lists networks in no fixed order (a Go map): compare them by id
    Function<List<NetworkInfo>, List<NetworkInfo>> byId = l -> l.stream()
        .sorted(java.util.Comparator.comparing(NetworkInfo::id)).toList();
    assertEquals(byId.apply(dockerJava.listNetworks(labels)), byId.apply(raw.listNetworks(labels)));
    assertEquals(2, raw.listNetworks(labels).size());
    assertEquals(dockerJava.listNetworks(Map.of("tier", "back")).stream().filter(n -> n.name().equals(back)).toList(),
        raw.listNetworks(Map.of("tier", "back")).stream().filter(n -> n.name().equals(back)).toList());
    sameWhileSteady(() -> byId.apply(dockerJava.listNetworks(Map.of())), () -> byId.apply(raw.listNetworks(Map.of())));
    assertEquals(dockerJava.listVolumes(labels), raw.listVolumes(labels));
    assertEquals(1, raw.listVolumes(labels).size());
    for (String n : List.of(front, back, "bridge")) {
      assertEquals(dockerJava.inspectNetwork(n), raw.inspectNetwork(n));
    }
    assertEquals(dockerJava.inspectNetwork(front).orElseThrow().id(), raw.inspectNetwork(front).orElseThrow().id());
    assertEquals(dockerJava.inspectImage(image), raw.inspectImage(image));
    assertTrue(raw.inspectImage(image).orElseThrow().tags().contains(image));
    String imageId = raw.inspectImage(image).orElseThrow().id();
    assertEquals(dockerJava.inspectImage(imageId), raw.inspectImage(imageId));

    // the volume is in use: the same conflict, word for word
    DockerOperationException dj = assertThrows(DockerOperationException.class, () -> dockerJava.removeVolume(volume));
    DockerOperationException rr = assertThrows(DockerOperationException.class, () -> raw.removeVolume(volume));
    sameFailure(dj, rr);
    assertEquals(DockerOperationException.Kind.CONFLICT, rr.kind());

    // stopped: exit code, finish time and the last health log are frozen, so compare them exactly
    dockerJava.stopContainer(id, Duration.ofSeconds(10));
    ContainerDetails stopped = raw.inspectContainer(id).orElseThrow();
    assertFalse(stopped.state().running());
    assertEquals(7, stopped.state().exitCode(), stopped.toString());
    assertTrue(stopped.state().finishedAt() != null);
    assertEquals(dockerJava.inspectContainer(id), raw.inspectContainer(id));
    sameWhileSteady(() -> dockerJava.listContainers(labels), () -> raw.listContainers(labels));

    dockerJava.removeContainer(id, true);
    dockerJava.removeContainer(created, true);
    raw.removeVolume(volume);
    assertTrue(dockerJava.inspectVolume(volume).isEmpty());
    raw.removeVolume(volume); // gone already: quietly
  }

  @Test
  void missingThingsAreEmptyAndBadRequestsFailAlike() {
    String missing = project + "-missing";
    assertEquals(Optional.empty(), raw.inspectContainer(missing));
    assertEquals(Optional.empty(), raw.inspectNetwork(missing));
    assertEquals(Optional.empty(), raw.inspectVolume(missing));
    assertEquals(Optional.empty(), raw.inspectImage("keiko-test/" + missing + ":nope"));
    assertEquals(Optional.empty(), dockerJava.inspectImage("keiko-test/" + missing + ":nope"));
    assertEquals(List.of(), raw.listContainers(labels));
    assertEquals(List.of(), raw.listNetworks(labels));
    assertEquals(List.of(), raw.listVolumes(labels));
    raw.removeVolume(missing);

    // not a reference at all: the engine's 400, with its message
    DockerOperationException dj = assertThrows(DockerOperationException.class,
        () -> dockerJava.inspectImage("Not//A:Reference"));
    DockerOperationException rr = assertThrows(DockerOperationException.class,
        () -> raw.inspectImage("Not//A:Reference"));
    sameFailure(dj, rr);
  }

  @Test
  void aDeadEndpointFailsLikeDockerJavaWithTheEngineHint() {
    String endpoint = "unix:///nonexistent-" + project + ".sock";
    try (DockerJavaGateway dead = DockerJavaGateway.open(endpoint, Map.of(), Duration.ofSeconds(2),
        Duration.ofSeconds(2))) {
      DockerOperationException e = assertThrows(DockerOperationException.class, () -> dead.listContainers(labels));
      assertEquals(DockerOperationException.Kind.OTHER, e.kind());
      assertTrue(e.getMessage().startsWith("could not list containers (" + endpoint + "): "), e.getMessage());
      assertTrue(e.hint() != null && e.hint().contains("docker info"), String.valueOf(e.hint()));
    }
  }

  private static void sameFailure(DockerOperationException dockerJava, DockerOperationException raw) {
    assertEquals(dockerJava.kind(), raw.kind());
    assertEquals(dockerJava.getMessage(), raw.getMessage());
    assertEquals(dockerJava.hint(), raw.hint());
  }

  /** Equal answers, read again until nothing moved between the two reads (a health probe may land in between). */
  private static <T> void sameWhileSteady(java.util.function.Supplier<T> dockerJava,
      java.util.function.Supplier<T> raw) {
    T expected = null;
    T actual = null;
    for (int attempt = 0; attempt < 10; attempt++) {
      expected = dockerJava.get();
      actual = raw.get();
      if (expected.equals(actual) && expected.equals(dockerJava.get())) {
        return;
      }
    }
    assertEquals(expected, actual);
  }

  private static ContainerDetails waitFor(String id, Function<ContainerDetails, Boolean> ready) throws Exception {
    long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    ContainerDetails d = raw.inspectContainer(id).orElseThrow();
    while (!ready.apply(d)) {
      assertTrue(System.nanoTime() < until, "not ready: " + d);
      Thread.sleep(200);
      d = raw.inspectContainer(id).orElseThrow();
    }
    return d;
  }
}
