package io.keikomon.engine.dockerjava;

import io.keikomon.engine.ContainerDetails;
import io.keikomon.engine.DockerOperationException;
import io.keikomon.engine.ExecResult;
import io.keikomon.engine.LogRequest;
import io.keikomon.engine.PublishedPort;
import io.keikomon.engine.PullListener;
import io.keikomon.core.TarWriter;

import io.keikomon.compose.ComposeLabels;
import io.keikomon.engine.ContainerEvent;
import io.keikomon.engine.ContainerSpec;
import io.keikomon.engine.ContainerSummary;
import io.keikomon.engine.DockerGateway;
import io.keikomon.engine.EventFilter;
import io.keikomon.engine.HealthcheckSpec;
import io.keikomon.engine.Mount;
import io.keikomon.engine.NetworkInfo;
import io.keikomon.engine.NetworkSpec;
import io.keikomon.engine.PortBinding;
import io.keikomon.engine.Subscription;
import io.keikomon.engine.VolumeInfo;
import io.keikomon.engine.VolumeSpec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keikomon.testing.TestImages;
import io.keikomon.testing.TestWorkspaces;
import java.io.ByteArrayOutputStream;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The gateway against the real engine: a Prometheus test image through its whole life. */
@Tag("docker")
class DockerJavaGatewayDockerTest {
  private static DockerGateway docker;
  private final String project = "keiko-gw-" + UUID.randomUUID().toString().substring(0, 8);
  private final Map<String, String> labels = Map.of(ComposeLabels.PROJECT, project);

  @BeforeAll
  static void images() {
    docker = DockerJavaConnector.connect(TestWorkspaces.jimfs(Map.of()));
    TestImages.ensure(docker, TestImages.Image.PROMETHEUS);
  }

  @AfterEach
  void cleanUp() {
    for (ContainerSummary c : docker.listContainers(labels)) {
      docker.removeContainer(c.id(), true);
    }
    docker.listNetworks(labels).forEach(n -> docker.removeNetwork(n.id()));
    docker.listVolumes(labels).forEach(v -> docker.removeVolume(v.name()));
  }

  @Test
  void containerLifeCycleWithHealthEventsExecLogsAndCopy() throws Exception {
    String network = project + "_default";
    docker.createNetwork(new NetworkSpec(network, null, labels, true));
    docker.createVolume(new VolumeSpec(project + "_data", null, labels));
    assertEquals(List.of(network), docker.listNetworks(labels).stream().map(NetworkInfo::name).toList());
    assertEquals(List.of(project + "_data"), docker.listVolumes(labels).stream().map(VolumeInfo::name).toList());

    List<ContainerEvent> events = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch healthy = new CountDownLatch(1);
    Subscription sub = docker.events(new EventFilter(labels, List.of("start", "die", "health_status")), e -> {
      events.add(e);
      if (e.healthStatus().filter("healthy"::equals).isPresent()) {
        healthy.countDown();
      }
    });
    ContainerSpec spec = ContainerSpec.builder(project + "-prometheus-1", TestImages.Image.PROMETHEUS.tag())
        .labels(labels).label(ComposeLabels.SERVICE, "prometheus")
        .network(network, List.of("prometheus"))
        .mount(Mount.volume(project + "_data", "/prometheus"))
        .port(PortBinding.tcp("127.0.0.1", 0, 9090))
        .extraHost("host.docker.internal:host-gateway")
        .healthcheck(new HealthcheckSpec(List.of("CMD", "wget", "-qO-", "http://localhost:9090/-/ready"),
            Duration.ofMillis(500), Duration.ofSeconds(3), null, 3))
        .restartPolicy("unless-stopped")
        .build();
    String id = docker.createAndStart(spec);
    try {
      assertTrue(healthy.await(60, TimeUnit.SECONDS), "no healthy event; got " + events);
    } finally {
      sub.close();
    }
    assertEquals("start", events.get(0).action());
    assertEquals("prometheus", events.get(0).attribute(ComposeLabels.SERVICE));

    ContainerDetails details = docker.inspectContainer(id).orElseThrow();
    assertEquals(project + "-prometheus-1", details.name());
    assertEquals("running", details.state().status());
    assertTrue(details.state().health().healthy(), details.toString());
    assertEquals(0, details.state().health().lastProbe().orElseThrow().exitCode());
    assertEquals(TestImages.Image.PROMETHEUS.tag(), details.image());
    assertEquals(List.of(network), details.networks());
    assertEquals("prometheus", details.label(ComposeLabels.SERVICE));
    PublishedPort port = details.ports().get(0);
    assertEquals("127.0.0.1", port.hostIp());
    assertEquals(9090, port.containerPort());
    assertTrue(port.hostPort() > 0, port.toString());
    assertTrue(details.state().startedAt() != null);

    ExecResult version = docker.exec(id, List.of("promtool", "--version"), Duration.ofSeconds(20));
    assertEquals(0, version.exitCode(), version.toString());
    assertTrue(version.output().contains("promtool, version"), version.output());
    ExecResult hosts = docker.exec(id, List.of("cat", "/etc/hosts"), Duration.ofSeconds(10));
    assertTrue(hosts.stdout().contains("host.docker.internal"), hosts.stdout());
    ExecResult failing = docker.exec(id, List.of("sh", "-c", "echo oops >&2; exit 3"), Duration.ofSeconds(10));
    assertEquals(3, failing.exitCode());
    assertEquals("oops\n", failing.stderr());

    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    try (TarWriter w = new TarWriter(tar, 0)) {
      w.file("hello.txt", "copied in\n", 0644);
    }
    docker.copyIn(id, "/tmp", new ByteArrayInputStream(tar.toByteArray()));
    assertEquals("copied in\n", docker.exec(id, List.of("cat", "/tmp/hello.txt"), Duration.ofSeconds(10)).stdout());
    try (java.io.InputStream out = docker.copyOut(id, "/tmp/hello.txt")) {
      String archive = new String(out.readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
      assertTrue(archive.startsWith("hello.txt"), "a tar whose first entry is the file");
      assertTrue(archive.contains("copied in\n"));
    }
    DockerOperationException missing = org.junit.jupiter.api.Assertions.assertThrows(DockerOperationException.class,
        () -> docker.copyOut(id, "/tmp/not-there"));
    assertEquals(DockerOperationException.Kind.NOT_FOUND, missing.kind(), missing.getMessage());
    assertTrue(missing.getMessage().contains("/tmp/not-there"), missing.getMessage());

    List<String> lines = Collections.synchronizedList(new ArrayList<>());
    try (Subscription logs = docker.logs(id, LogRequest.all(), (stderr, line) -> lines.add(line))) {
      assertTrue(logs.awaitCompletion(Duration.ofSeconds(20)));
    }
    assertTrue(lines.stream().anyMatch(l -> l.contains("Server is ready to receive web requests.")),
        String.join("\n", lines));
    List<String> tail = Collections.synchronizedList(new ArrayList<>());
    try (Subscription logs = docker.logs(id, LogRequest.last(2), (stderr, line) -> tail.add(line))) {
      assertTrue(logs.awaitCompletion(Duration.ofSeconds(20)));
    }
    assertEquals(2, tail.size(), tail.toString());

    assertEquals(List.of(id), docker.listContainers(labels).stream().map(ContainerSummary::id).toList());
    docker.stopContainer(id, Duration.ofSeconds(10));
    ContainerDetails stopped = docker.inspectContainer(id).orElseThrow();
    assertFalse(stopped.state().running());
    assertEquals("exited", stopped.state().status());
    docker.stopContainer(id, Duration.ofSeconds(10)); // stopping a stopped container is fine
    docker.removeContainer(id, false);
    assertTrue(docker.inspectContainer(id).isEmpty());
    docker.removeContainer(id, false); // so is removing a removed one
    docker.removeNetwork(network);
    assertTrue(docker.inspectNetwork(network).isEmpty());
    assertTrue(docker.inspectVolume(project + "_data").isPresent(), "volumes stay until removed");
  }

  @Test
  void followedLogsArriveWhileWrittenAndStopWhenClosed() throws Exception {
    String id = docker.createAndStart(ContainerSpec.builder(project + "-ticker", TestImages.Image.PROMETHEUS.tag())
        .labels(labels)
        .entrypoint(List.of("/bin/sh", "-c", "i=0; while true; do i=$((i+1)); echo tick $i; sleep 0.2; done"))
        .build());
    List<String> lines = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch three = new CountDownLatch(3);
    Subscription follow = docker.logs(id, new LogRequest(0, true, null), (stderr, line) -> {
      lines.add(line);
      three.countDown();
    });
    assertTrue(three.await(20, TimeUnit.SECONDS), "lines so far: " + lines);
    follow.close();
    assertTrue(follow.awaitCompletion(Duration.ofSeconds(5)), "closing ends the stream");
    assertTrue(lines.get(0).matches("tick \\d+"), lines.toString());

    ExecResult slow = docker.exec(id, List.of("sh", "-c", "echo started; sleep 5"), Duration.ofMillis(500));
    assertTrue(slow.timedOut(), slow.toString());
    assertEquals("started\n", slow.stdout());
  }

  @Test
  void specOptionsReachTheContainer(@org.junit.jupiter.api.io.TempDir java.nio.file.Path hostDir) throws Exception {
    java.nio.file.Files.writeString(hostDir.resolve("config.yml"), "from the host\n");
    java.nio.file.Files.setPosixFilePermissions(hostDir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    String network = project + "_default";
    docker.createNetwork(new NetworkSpec(network, null, labels, true));
    List<String> sleeper = List.of("/bin/sh", "-c", "trap 'exit 0' TERM; sleep 300 & wait");
    String server = docker.createAndStart(ContainerSpec.builder(project + "-server", TestImages.Image.PROMETHEUS.tag())
        .labels(labels).entrypoint(sleeper).network(network, List.of("the-alias"))
        .mount(Mount.bind(hostDir.toString(), "/etc/conf", true))
        .user("1234:1234")
        .build());
    String client = docker.createAndStart(ContainerSpec.builder(project + "-client", TestImages.Image.PROMETHEUS.tag())
        .labels(labels).entrypoint(sleeper).network(network, List.of()).build());
    String host = docker.createAndStart(ContainerSpec.builder(project + "-host", TestImages.Image.PROMETHEUS.tag())
        .labels(labels).entrypoint(sleeper).networkMode("host").pidMode("host").build());

    assertEquals("from the host\n", docker.exec(server, List.of("cat", "/etc/conf/config.yml"), Duration.ofSeconds(5))
        .stdout());
    ExecResult write = docker.exec(server, List.of("sh", "-c", "echo x > /etc/conf/new"), Duration.ofSeconds(5));
    assertTrue(write.exitCode() != 0 && write.stderr().contains("Read-only file system"), write.toString());
    assertTrue(docker.exec(server, List.of("sh", "-c", "grep Uid /proc/self/status"), Duration.ofSeconds(5)).stdout()
        .contains("1234"));
    ExecResult resolve = docker.exec(client, List.of("busybox", "nslookup", "the-alias"), Duration.ofSeconds(5));
    assertEquals(0, resolve.exitCode(), "the alias resolves on the network: " + resolve);
    assertTrue(docker.exec(client, List.of("busybox", "nslookup", "no-such-alias"), Duration.ofSeconds(5)).exitCode() != 0);
    // pid host: PID 1 is the host's init, not our sleeper; network host: the host's docker0 bridge is visible
    String pid1 = docker.exec(host, List.of("cat", "/proc/1/comm"), Duration.ofSeconds(5)).stdout().strip();
    assertTrue(!pid1.equals("sh"), "pid 1 is " + pid1);
    assertTrue(docker.exec(host, List.of("cat", "/proc/net/dev"), Duration.ofSeconds(5)).stdout().contains("docker0"));
    assertEquals(List.of(), docker.inspectContainer(host).orElseThrow().networks().stream()
        .filter(n -> n.equals(network)).toList());
  }

  @Test
  void failedPullSaysWhichImageAndWhy() {
    DockerOperationException e = org.junit.jupiter.api.Assertions.assertThrows(DockerOperationException.class,
        () -> docker.pullImage("127.0.0.1:1/keiko/nothing:1", PullListener.NONE));
    assertTrue(e.getMessage().contains("127.0.0.1:1/keiko/nothing"), e.getMessage());
    assertTrue(e.getMessage().contains("connection refused"), e.getMessage());
  }

  @Test
  void waitForExitReportsTheExitCode() {
    ContainerSpec spec = ContainerSpec.builder(project + "-oneoff", TestImages.Image.PROMETHEUS.tag())
        .labels(labels).entrypoint(List.of("/bin/sh", "-c", "exit 7")).build();
    String id = docker.createAndStart(spec);
    assertEquals(7, docker.waitForExit(id, Duration.ofSeconds(30)));
  }

  @Test
  void missingThingsAreEmptyAndEngineErrorsSayWhatFailed() {
    assertTrue(docker.inspectContainer("keiko-no-such-container").isEmpty());
    assertTrue(docker.inspectImage("keiko-test/no-such-image:1").isEmpty());
    DockerOperationException e = org.junit.jupiter.api.Assertions.assertThrows(DockerOperationException.class,
        () -> docker.createContainer(ContainerSpec.builder(project + "-x", "keiko-test/no-such-image:1").build()));
    assertEquals(DockerOperationException.Kind.NOT_FOUND, e.kind());
    assertTrue(e.getMessage().contains("keiko-test/no-such-image:1"), e.getMessage());
  }
}
