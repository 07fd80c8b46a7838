package io.keikomon.engine.dockerjava;

import io.keikomon.engine.DockerGateway;
import io.keikomon.engine.DockerOperationException;
import io.keikomon.engine.PullListener;
import io.keikomon.core.TarWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keikomon.testing.TestWorkspaces;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pulling through the gateway from a real registry: Debian's docker-registry, started here on a free
 * loopback port (the engine trusts plain HTTP on 127.0.0.0/8), holding an image pushed with the docker CLI.
 */
@Tag("docker")
class RegistryPullDockerTest {
  @TempDir static Path storage;
  private static Process registry;
  private static String address;
  private static DockerGateway docker;

  @BeforeAll
  static void startRegistry() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    address = "127.0.0.1:" + port;
    Path config = storage.resolve("config.yml");
    Files.writeString(config, "version: 0.1\nlog: {level: error}\nstorage: {filesystem: {rootdirectory: "
        + storage.resolve("data") + "}}\nhttp: {addr: '" + address + "'}\n");
    registry = new ProcessBuilder("docker-registry", "serve", config.toString())
        .redirectErrorStream(true).redirectOutput(storage.resolve("registry.log").toFile()).start();
    for (int i = 0; i < 100 && !answers("http://" + address + "/v2/"); i++) {
      Thread.sleep(100);
    }
    assertTrue(answers("http://" + address + "/v2/"), "registry did not start: "
        + Files.readString(storage.resolve("registry.log")));
    docker = DockerJavaConnector.connect(TestWorkspaces.jimfs(Map.of()));
  }

  @AfterAll
  static void stopRegistry() {
    if (registry != null) {
      registry.destroy();
    }
    if (docker != null) {
      docker.close();
    }
  }

  private static boolean answers(String url) {
    try {
      HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
      c.setConnectTimeout(500);
      return c.getResponseCode() == 200;
    } catch (IOException e) {
      return false;
    }
  }

  private static void cli(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("docker"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), String.join(" ", cmd) + ":\n" + out);
  }

  @Test
  void missingImageIsPulledWithProgress() throws Exception {
    // an image with a layer of its own, so the pull really downloads something
    String local = "keiko-test/pull-probe:" + UUID.randomUUID().toString().substring(0, 8);
    ByteArrayOutputStream context = new ByteArrayOutputStream();
    try (TarWriter tar = new TarWriter(context, 0)) {
      tar.file("Dockerfile", "FROM scratch\nCOPY payload /payload\n", 0644);
      byte[] payload = new byte[256 * 1024];
      new java.util.Random().nextBytes(payload);
      tar.file("payload", payload, 0644, 0, 0);
    }
    docker.buildImage(new ByteArrayInputStream(context.toByteArray()), local);
    String remote = address + "/keiko/pull-probe:1";
    cli("tag", local, remote);
    cli("push", remote);
    cli("rmi", local, remote);
    assertFalse(docker.imageExists(remote));

    List<String> progress = Collections.synchronizedList(new ArrayList<>());
    List<Long> totals = Collections.synchronizedList(new ArrayList<>());
    docker.pullImage(remote, (layer, status, current, total) -> {
      progress.add(status);
      if (total > 0) {
        totals.add(total);
      }
    });
    assertTrue(docker.imageExists(remote), "pulled: " + progress);
    assertTrue(progress.contains("Pull complete"), progress.toString());
    assertTrue(progress.stream().anyMatch(s -> s.startsWith("Status: Downloaded newer image")), progress.toString());
    assertFalse(totals.isEmpty(), "download progress carries byte counts: " + progress);
    cli("rmi", remote);
  }

  @Test
  void imageMissingFromTheRegistrySaysSo() {
    DockerOperationException e = org.junit.jupiter.api.Assertions.assertThrows(DockerOperationException.class,
        () -> docker.pullImage(address + "/keiko/never-pushed:1", PullListener.NONE));
    assertTrue(e.getMessage().contains(address + "/keiko/never-pushed"), e.getMessage());
    assertTrue(e.getMessage().contains("not found") || e.getMessage().contains("unknown"), e.getMessage());
  }
}
