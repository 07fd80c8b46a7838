package io.keikomon.backup;

import com.fasterxml.jackson.databind.JsonNode;
import io.keikomon.api.PrometheusClient;
import io.keikomon.compose.ComposeLabels;
import io.keikomon.core.Component;
import io.keikomon.core.Console;
import io.keikomon.core.OperationFailedException;
import io.keikomon.core.TarReader;
import io.keikomon.core.TarWriter;
import io.keikomon.engine.ContainerDetails;
import io.keikomon.engine.ContainerSpec;
import io.keikomon.engine.DockerGateway;
import io.keikomon.engine.ExecResult;
import io.keikomon.engine.Mount;
import io.keikomon.stack.StackLabels;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The {@code prometheus/} part: a TSDB snapshot taken through the admin API ({@code --web.enable-admin-api}), head
 * included, so the blocks are consistent while Prometheus keeps scraping. The snapshot (hard links on the data
 * volume) is streamed out of the container with the engine's copy-from-container and removed afterwards.
 * Layout: {@code prometheus/<ULID>/meta.json|index|tombstones|chunks/*}.
 *
 * <p>Restore stops Prometheus, empties its data volume with a one-off helper container, copies the blocks into the
 * stopped container's volume with copy-to-container and starts it again: the data folder is then exactly the snapshot
 * (no {@code wal/}, {@code chunks_head/}), which Prometheus' storage docs call coherent.
 */
final class PrometheusPart {
  /** {@code --storage.tsdb.path} in the rendered compose file. */
  static final String DATA_DIR = "/prometheus";
  static final String VOLUME = "prometheus-data";
  /** A progress line per this many bytes copied (a TSDB of some GB takes a while). */
  private static final long PROGRESS_EVERY = 256L << 20;
  private static final Duration EXEC_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration STOP_GRACE = Duration.ofSeconds(30);

  private PrometheusPart() {}

  static Manifest.PrometheusSummary backup(LiveStack stack, ArchiveWriter archive, Console console)
      throws IOException {
    ContainerDetails c = stack.running(Component.PROMETHEUS, "a Prometheus backup");
    PrometheusClient client = stack.prometheus(c);
    String version = client.buildInfo().version();
    String name = client.snapshot(false);
    String snapshotDir = DATA_DIR + "/snapshots/" + name;
    List<Manifest.Block> blocks = new ArrayList<>();
    long copied = 0;
    long nextReport = PROGRESS_EVERY;
    try (InputStream in = stack.docker().copyOut(c.id(), snapshotDir); TarReader tar = new TarReader(in)) {
      TarReader.Entry e;
      while ((e = tar.next()) != null) {
        // entries are "<name>/<ULID>/...": the copy is rooted at the snapshot folder itself
        int slash = e.name().indexOf('/');
        String rel = slash < 0 ? "" : e.name().substring(slash + 1);
        if (e.type() != TarReader.Type.FILE || rel.isEmpty()) {
          continue;
        }
        String path = Part.PROMETHEUS.folder() + rel;
        if (rel.endsWith("/meta.json") && rel.indexOf('/') == rel.lastIndexOf('/')) {
          byte[] meta = tar.content().readAllBytes();
          blocks.add(block(meta));
          archive.add(path, new ByteArrayInputStream(meta), meta.length, e.mode() & 0777, e.uid(), e.gid());
        } else {
          // chunks are compressed by Prometheus already: deflating them again costs time and saves nothing
          archive.add(path, tar.content(), e.size(), e.mode() & 0777, e.uid(), e.gid(), !rel.contains("/chunks/"));
        }
        copied += e.size();
        if (copied >= nextReport) {
          console.info("prometheus: " + BackupService.size(copied) + " copied ...");
          nextReport += PROGRESS_EVERY;
        }
      }
    } finally {
      ExecResult rm = stack.docker().exec(c.id(), List.of("rm", "-rf", snapshotDir), EXEC_TIMEOUT);
      if (rm.exitCode() != 0) {
        console.warn("could not remove the snapshot " + snapshotDir + " from " + c.name() + ": " + rm.output().strip()
            + " (it holds hard links only; `docker exec " + c.name() + " rm -rf " + snapshotDir + "` frees it)");
      }
    }
    blocks.sort(java.util.Comparator.comparingLong(Manifest.Block::minTime));
    return new Manifest.PrometheusSummary(name, version, blocks, replica(c.labels()));
  }

  /**
   * {@code prometheus.1} for a swarm task container (its task name {@code <project>_prometheus.1.<task id>}), null
   * for a compose container.
   */
  static String replica(Map<String, String> labels) {
    String task = labels.get(TASK_NAME);
    String service = labels.get(SERVICE_NAME);
    if (task == null || service == null || !task.startsWith(service + ".")) {
      return null;
    }
    String slot = task.substring(service.length() + 1).split("\\.", 2)[0];
    int underscore = service.indexOf('_');
    return service.substring(underscore + 1) + "." + slot;
  }

  static final String TASK_NAME = "com.docker.swarm.task.name";
  static final String SERVICE_NAME = "com.docker.swarm.service.name";

  /** A restore stops the container and rewrites its volume: with Swarm, which replaces a stopped task, it cannot. */
  static OperationFailedException notInSwarm() {
    return new OperationFailedException("restoring the prometheus part into a swarm stack is not supported: a"
        + " restore stops Prometheus and rewrites its volume, and Swarm replaces a stopped task at once (each replica"
        + " also has its own volume); nothing was changed",
        "leave it out with --only config,alertmanager,grafana, or restore the archive into a compose-mode project"
            + " (mode: compose) and query it there");
  }

  static Manifest.Block block(byte[] metaJson) throws IOException {
    JsonNode m = Manifest.JSON.readTree(metaJson);
    JsonNode stats = m.path("stats");
    return new Manifest.Block(m.path("ulid").asText(), m.path("minTime").asLong(), m.path("maxTime").asLong(),
        stats.path("numSeries").asLong(), stats.path("numSamples").asLong());
  }

  /**
   * Replaces the data of the project's Prometheus with the archive's snapshot and waits until it is ready again.
   * Prometheus is left stopped only if starting it fails.
   */
  static void restore(LiveStack stack, ArchiveReader archive, Manifest manifest, Duration readyTimeout,
      Console console) {
    DockerGateway docker = stack.docker();
    ContainerDetails c = stack.container(Component.PROMETHEUS).orElseThrow(() -> new OperationFailedException(
        "project " + manifest.project() + " has no prometheus container to restore into",
        "run `keiko-mon up` first (restore of the config part does)"));
    console.info("prometheus: stopping " + c.name());
    docker.stopContainer(c.id(), STOP_GRACE);
    String volume = stack.stack().project() + "_" + VOLUME;
    if (docker.inspectVolume(volume).isEmpty()) {
      throw new OperationFailedException("volume " + volume + " does not exist", "run `keiko-mon up` to create it");
    }
    emptyVolume(docker, stack.stack().project(), c.image(), volume);
    console.info("prometheus: copying " + manifest.prometheus().blocks().size() + " blocks into " + volume);
    copyIn(docker, c.id(), archive, manifest);
    docker.startContainer(c.id());
    waitReady(stack, readyTimeout);
    console.info("prometheus: ready with the snapshot's data");
  }

  /** A one-off container of the Prometheus image (busybox inside) removes everything on the volume. */
  private static void emptyVolume(DockerGateway docker, String project, String image, String volume) {
    Map<String, String> labels = new java.util.HashMap<>(StackLabels.projectFilter(project));
    labels.put(ComposeLabels.ONEOFF, "True");
    String name = project + "-restore-" + Long.toHexString(System.nanoTime());
    String id = docker.createContainer(ContainerSpec.builder(name, image)
        .entrypoint(List.of("/bin/sh", "-c"))
        .cmd(List.of("rm -rf " + DATA_DIR + "/* " + DATA_DIR + "/.[!.]* 2>/dev/null; [ -z \"$(ls -A " + DATA_DIR
            + ")\" ]"))
        .labels(labels)
        .mount(Mount.volume(volume, DATA_DIR))
        .build());
    try {
      docker.startContainer(id);
      int code = docker.waitForExit(id, EXEC_TIMEOUT);
      if (code != 0) {
        throw new OperationFailedException("could not empty volume " + volume + " (helper exit code " + code + ")",
            "check the volume with `docker run --rm -v " + volume + ":/data busybox ls -la /data`");
      }
    } finally {
      docker.removeContainer(id, true);
    }
  }

  /** The archive's {@code prometheus/} entries, re-rooted at the data folder, piped into the stopped container. */
  private static void copyIn(DockerGateway docker, String containerId, ArchiveReader archive, Manifest manifest) {
    AtomicReference<RuntimeException> failure = new AtomicReference<>();
    try (PipedInputStream pipeIn = new PipedInputStream(1 << 16)) {
      PipedOutputStream pipeOut = new PipedOutputStream(pipeIn);
      Thread writer = new Thread(() -> {
        try (TarWriter tar = new TarWriter(pipeOut, manifest.createdAtSeconds())) {
          Set<String> dirs = new HashSet<>();
          archive.extract(manifest, List.of(Part.PROMETHEUS.folder()), (e, content) -> {
            String rel = e.name().substring(Part.PROMETHEUS.folder().length());
            int slash = rel.lastIndexOf('/');
            for (int i = rel.indexOf('/'); i >= 0 && i <= slash; i = rel.indexOf('/', i + 1)) {
              String dir = rel.substring(0, i);
              if (dirs.add(dir)) {
                tar.directory(dir, 0755, e.uid(), e.gid());
              }
            }
            tar.file(rel, content, e.size(), e.mode() == 0 ? 0644 : e.mode(), e.uid(), e.gid());
          });
        } catch (RuntimeException | IOException ex) {
          failure.set(ex instanceof RuntimeException r ? r : new UncheckedIOException((IOException) ex));
          try {
            pipeOut.close();
          } catch (IOException ignored) {
            // the reader sees the end either way
          }
        }
      }, "keiko-restore-prometheus");
      writer.setDaemon(true);
      writer.start();
      try {
        docker.copyIn(containerId, DATA_DIR, pipeIn);
      } finally {
        writer.join(Duration.ofMinutes(1).toMillis());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OperationFailedException("interrupted while copying the snapshot", "run the restore again");
    }
    if (failure.get() != null) {
      throw failure.get();
    }
  }

  private static void waitReady(LiveStack stack, Duration timeout) {
    Instant until = Instant.now().plus(timeout);
    RuntimeException last = null;
    while (Instant.now().isBefore(until)) {
      ContainerDetails c = stack.container(Component.PROMETHEUS).orElseThrow(() -> new OperationFailedException(
          "the prometheus container disappeared during the restore", "run `keiko-mon up`"));
      if (!c.state().running() && c.state().finishedAt() != null
          && c.state().startedAt() != null && c.state().finishedAt().isAfter(c.state().startedAt())) {
        throw new OperationFailedException("prometheus stopped after the restore (" + c.state().status()
            + ", exit code " + c.state().exitCode() + ")", "`keiko-mon logs prometheus` shows why");
      }
      try {
        if (stack.prometheus(c).ready()) {
          return;
        }
      } catch (RuntimeException e) {
        last = e; // starting: the port may refuse or drop connections until Prometheus listens
      }
      try {
        Thread.sleep(300);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new OperationFailedException("interrupted while waiting for Prometheus", "run `keiko-mon status`");
      }
    }
    throw new io.keikomon.core.UnhealthyException("prometheus was not ready " + timeout.toSeconds()
        + " s after the restore" + (last == null ? "" : ": " + last.getMessage()),
        "`keiko-mon logs prometheus` shows why");
  }
}
