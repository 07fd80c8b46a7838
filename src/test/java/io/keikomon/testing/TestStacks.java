package io.keikomon.testing;

import io.keikomon.cli.Services;
import io.keikomon.core.Workspace;
import io.keikomon.engine.ContainerSummary;
import io.keikomon.engine.DockerGateway;
import io.keikomon.stack.StackLabels;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/** What the end-to-end classes that bring up a real stack share: running the CLI in a folder, and cleaning up. */
public final class TestStacks {
  private TestStacks() {}

  /** keiko-mon, in-process, in {@code dir} with this process' environment (colours off). */
  public static CliHarness.Result keikoMon(Path dir, String... args) {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("NO_COLOR", "1");
    return new CliHarness(new Services(new Workspace(dir, env, Clock.systemUTC()), false)).run(args);
  }

  /** Every container, network and volume of {@code project}, whatever state a failed test left them in. */
  public static void removeProject(DockerGateway docker, String project) {
    for (ContainerSummary c : docker.listContainers(StackLabels.projectFilter(project))) {
      docker.removeContainer(c.id(), true);
    }
    docker.listNetworks(StackLabels.projectFilter(project)).forEach(n -> docker.removeNetwork(n.id()));
    docker.listVolumes(StackLabels.projectFilter(project)).forEach(v -> docker.removeVolume(v.name()));
  }

  /** A held lock; closing releases it. */
  public interface HeldLock extends AutoCloseable {
    @Override
    void close() throws IOException;
  }

  /**
   * node-exporter publishes on the host's port 9100, and the suite runs test classes in two JVMs at once: a class
   * whose stack runs node-exporter holds this lock (a file lock both JVMs see) from its set-up to its tear-down.
   */
  public static HeldLock holdNodeExporterPort() throws IOException {
    FileChannel channel = FileChannel.open(Paths.get(System.getProperty("java.io.tmpdir"),
        "keiko-test-node-exporter-9100.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock = channel.lock();
    return () -> {
      lock.release();
      channel.close();
    };
  }

  /** Deletes a test's scratch folder, files first. */
  public static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
