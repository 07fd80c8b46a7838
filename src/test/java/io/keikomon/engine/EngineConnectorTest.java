package io.keikomon.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keikomon.core.DockerUnavailableException;
import io.keikomon.testing.TestWorkspaces;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EngineConnectorTest {
  private final Path home = TestWorkspaces.jimfs().dir().getFileSystem().getPath("/home/user");
  private final List<String> pinged = new ArrayList<>();

  /** Answers only for the endpoints in {@code alive}; the rest refuse the connection. */
  private EngineConnector.Pinger pinger(Set<String> alive) {
    return (endpoint, timeout) -> {
      pinged.add(endpoint);
      if (alive.contains(endpoint)) {
        return new EngineInfo(endpoint, "24.0.7", "1.43", "linux", "amd64");
      }
      throw new RuntimeException(new ConnectException("Connection refused"));
    };
  }

  private EngineConnector connector(Map<String, String> env, Set<String> alive) {
    return new EngineConnector(env, home, pinger(alive));
  }

  @Test
  void withoutExplicitChoiceTheDefaultSocketIsUsed() {
    EngineConnector.Found found = connector(Map.of(), Set.of("unix:///var/run/docker.sock")).locate();
    assertEquals("unix:///var/run/docker.sock", found.endpoint());
    assertEquals(List.of("unix:///var/run/docker.sock"), pinged);
  }

  @Test
  void rootlessSocketIsTriedWhenTheDefaultOneDoesNotAnswer() {
    EngineConnector.Found found = connector(Map.of("XDG_RUNTIME_DIR", "/run/user/1000"),
        Set.of("unix:///run/user/1000/docker.sock")).locate();
    assertEquals("unix:///run/user/1000/docker.sock", found.endpoint());
    assertEquals("rootless socket", found.source());
    assertEquals(List.of("unix:///var/run/docker.sock", "unix:///run/user/1000/docker.sock"), pinged);
  }

  @Test
  void noEngineListsEveryAttemptWithItsReason() {
    DockerUnavailableException e = assertThrows(DockerUnavailableException.class,
        () -> connector(Map.of("XDG_RUNTIME_DIR", "/run/user/1000"), Set.of()).locate());
    String message = e.getMessage();
    assertTrue(message.contains("unix:///var/run/docker.sock (default socket): connection refused"), message);
    assertTrue(message.contains("unix:///run/user/1000/docker.sock (rootless socket): connection refused"), message);
    assertTrue(e.hint().contains("start the Docker Engine"), e.hint());
    assertTrue(e.hint().contains("DOCKER_HOST"), e.hint());
  }

  @Test
  void aPingThatNeverReturnsIsAbandonedAfterItsTimeout() {
    EngineConnector c = new EngineConnector(Map.of("DOCKER_HOST", "unix:///tmp/wedged.sock"), home, (endpoint, timeout) -> {
      Thread.sleep(Long.MAX_VALUE); // a transport that ignores the timeout it was given
      return null;
    });
    long t0 = System.nanoTime();
    DockerUnavailableException e = assertThrows(DockerUnavailableException.class, c::locate);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertTrue(ms < 9_500, "gave up after " + ms + " ms");
    assertTrue(e.getMessage().contains("unix:///tmp/wedged.sock (DOCKER_HOST): no answer within 8s"), e.getMessage());
  }

  @Test
  void socketWithoutPermissionSaysHowToGetIt() {
    EngineConnector c = new EngineConnector(Map.of(), home, (endpoint, timeout) -> {
      throw new RuntimeException(new java.net.SocketException("Permission denied"));
    });
    DockerUnavailableException e = assertThrows(DockerUnavailableException.class, c::locate);
    assertTrue(e.getMessage().contains("unix:///var/run/docker.sock (default socket): permission denied"),
        e.getMessage());
    assertTrue(e.hint().contains("add the user to the docker group"), e.hint());
  }

  @Test
  void dockerHostIsTheOnlyEndpointTriedWhenSet() {
    DockerUnavailableException e = assertThrows(DockerUnavailableException.class,
        () -> connector(Map.of("DOCKER_HOST", "tcp://10.0.0.5:2375"), Set.of("unix:///var/run/docker.sock"))
            .locate());
    assertEquals(List.of("tcp://10.0.0.5:2375"), pinged);
    assertTrue(e.getMessage().contains("tcp://10.0.0.5:2375 (DOCKER_HOST): connection refused"), e.getMessage());
    assertTrue(e.hint().contains("DOCKER_HOST is set"), e.hint());
  }

  @Test
  void addressesThatCannotWorkAreExplainedWithoutTryingThem() {
    DockerUnavailableException ssh = assertThrows(DockerUnavailableException.class,
        () -> connector(Map.of("DOCKER_HOST", "ssh://me@build-box"), Set.of()).locate());
    assertTrue(ssh.getMessage().contains("ssh://me@build-box (DOCKER_HOST): ssh:// endpoints are not supported;"
        + " forward the remote socket"), ssh.getMessage());
    DockerUnavailableException typo = assertThrows(DockerUnavailableException.class,
        () -> connector(Map.of("DOCKER_HOST", "localhost:2375"), Set.of()).locate());
    assertTrue(typo.getMessage().contains("localhost:2375 (DOCKER_HOST): not an engine address (expected"
        + " unix:///path/to/docker.sock or tcp://host:port)"), typo.getMessage());
    assertEquals(List.of(), pinged);
  }

  @Test
  void currentContextFromConfigJsonIsUsed() throws IOException {
    writeContext("remote", "tcp://build-box:2376");
    Files.writeString(home.resolve(".docker/config.json"), "{\"currentContext\": \"remote\"}");
    EngineConnector.Found found = connector(Map.of(), Set.of("tcp://build-box:2376")).locate();
    assertEquals("tcp://build-box:2376", found.endpoint());
    assertEquals("Docker context \"remote\"", found.source());
  }

  @Test
  void dockerContextVariableWinsOverConfigJsonAndDockerHostWinsOverBoth() throws IOException {
    writeContext("remote", "tcp://build-box:2376");
    writeContext("other", "tcp://other:2376");
    Files.writeString(home.resolve(".docker/config.json"), "{\"currentContext\": \"remote\"}");
    Set<String> alive = Set.of("tcp://build-box:2376", "tcp://other:2376", "tcp://explicit:2375");
    assertEquals("tcp://other:2376",
        connector(Map.of("DOCKER_CONTEXT", "other"), alive).locate().endpoint());
    Map<String, String> env = new HashMap<>(Map.of("DOCKER_CONTEXT", "other", "DOCKER_HOST", "tcp://explicit:2375"));
    assertEquals("tcp://explicit:2375", connector(env, alive).locate().endpoint());
  }

  @Test
  void defaultContextMeansTheDefaultSocket() throws IOException {
    Files.createDirectories(home.resolve(".docker"));
    Files.writeString(home.resolve(".docker/config.json"), "{\"currentContext\": \"default\"}");
    assertEquals("unix:///var/run/docker.sock",
        connector(Map.of(), Set.of("unix:///var/run/docker.sock")).locate().endpoint());
  }

  @Test
  void missingContextIsReportedWithoutFallingBackToAnotherEngine() throws IOException {
    Files.createDirectories(home.resolve(".docker"));
    Files.writeString(home.resolve(".docker/config.json"), "{\"currentContext\": \"gone\"}");
    DockerUnavailableException e = assertThrows(DockerUnavailableException.class,
        () -> connector(Map.of(), Set.of("unix:///var/run/docker.sock")).locate());
    assertTrue(e.getMessage().contains("Docker context \"gone\"): context not found"), e.getMessage());
    assertEquals(List.of(), pinged);
  }

  @Test
  void dockerConfigVariableMovesTheConfigFolder() throws IOException {
    Path custom = home.getFileSystem().getPath("/etc/docker-cfg");
    Path meta = custom.resolve("contexts/meta").resolve(EngineConnector.sha256("ci")).resolve("meta.json");
    Files.createDirectories(meta.getParent());
    Files.writeString(meta, "{\"Name\":\"ci\",\"Endpoints\":{\"docker\":{\"Host\":\"tcp://ci:2375\"}}}");
    Files.writeString(custom.resolve("config.json"), "{\"currentContext\": \"ci\"}");
    assertEquals("tcp://ci:2375",
        connector(Map.of("DOCKER_CONFIG", "/etc/docker-cfg"), Set.of("tcp://ci:2375")).locate().endpoint());
  }

  @Test
  void contextDirectoryIsTheSha256OfTheName() {
    // the docker CLI's own layout: contexts/meta/<hex sha256 of the name>/meta.json
    assertEquals("03ac674216f3e15c761ee1a5e255f067953623c8b388b4459e13f978d7c846f4", EngineConnector.sha256("1234"));
  }

  private void writeContext(String name, String host) throws IOException {
    Path meta = home.resolve(".docker/contexts/meta").resolve(EngineConnector.sha256(name)).resolve("meta.json");
    Files.createDirectories(meta.getParent());
    Files.writeString(meta, "{\"Name\":\"" + name + "\",\"Metadata\":{},\"Endpoints\":{\"docker\":{\"Host\":\""
        + host + "\",\"SkipTLSVerify\":false}}}");
  }
}
