package io.keikomon.up;

import io.keikomon.render.JustRendered;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.keikomon.config.ConfigException;
import io.keikomon.config.ConfigLoader;
import io.keikomon.config.KeikoConfig;
import io.keikomon.config.Problem;
import io.keikomon.core.OperationFailedException;
import io.keikomon.core.Workspace;
import io.keikomon.engine.ContainerDetails;
import io.keikomon.testing.InMemoryDockerEngine;
import io.keikomon.testing.TestWorkspaces;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The whole of `up` from keiko.yml to the engine, over jimfs and an in-memory engine. */
class UpServiceTest {
  static final UpService.Options WAIT = new UpService.Options(Duration.ofSeconds(5), true);

  final InMemoryDockerEngine engine = new InMemoryDockerEngine();
  final StackUpTest.Lines console = new StackUpTest.Lines();
  final AtomicInteger validations = new AtomicInteger();
  Workspace ws;
  UpService.Validation validation = (w, justRendered) -> {
    validations.incrementAndGet();
    return List.of();
  };

  @BeforeEach
  void workspace() throws IOException {
    ws = TestWorkspaces.jimfs(Map.of("GRAFANA_ADMIN_PASSWORD", "pw-for-tests"));
    Files.writeString(ws.configFile(), "version: 1\nproject: demo\n");
    KeikoConfig.Images i = ConfigLoader.defaults().images();
    List.of(i.prometheus(), i.alertmanager(), i.grafana(), i.jaeger(), i.nodeExporter(), i.postgresExporter(),
        i.redisExporter(), i.blackboxExporter()).forEach(engine::image);
  }

  void up() {
    new UpService(ws, console, () -> engine, validation, Duration.ofMillis(5)).up(WAIT);
  }

  Path compose() {
    return ws.dir().resolve("monitoring/docker-compose.monitoring.yml");
  }

  @Test
  void firstUpRendersValidatesAndStartsTheRenderedStack() {
    up();
    assertTrue(Files.exists(compose()));
    assertEquals(1, validations.get());
    assertEquals("running", engine.byName("demo-prometheus").status());
    assertTrue(console.all().contains("stack demo is up: 8 services ready"), console.all());
  }

  @Test
  void unchangedStackIsNeitherValidatedNorTouched() {
    up();
    int changes = engine.changes().size();

    up();

    assertEquals(1, validations.get(), "the running stack is what was validated when it was applied");
    assertEquals(changes, engine.changes().size());
    assertTrue(console.all().contains("stack demo is up to date: 8 services running, nothing changed"), console.all());
  }

  @Test
  void validationIsHandedTheTreeUpRenderedAndRendersItselfOnlyWhenUpDidNot() throws IOException {
    List<Optional<JustRendered>> handed = new ArrayList<>();
    validation = (w, justRendered) -> {
      handed.add(justRendered);
      return List.of();
    };
    up();
    String onDisk = Files.readString(compose());
    assertEquals(onDisk, handed.get(0).orElseThrow().tree().text("docker-compose.monitoring.yml").orElseThrow());
    assertEquals("demo", handed.get(0).orElseThrow().loaded().config().project());

    // a hand edit with keiko.yml unchanged: nothing is rendered, so validation reads keiko.yml and the folder itself
    Files.writeString(compose(), onDisk + "\n# edited\n");
    up();
    assertEquals(Optional.empty(), handed.get(1));
  }

  @Test
  void filesThatPassedValidationBeforeAreNotValidatedAgain() throws IOException {
    up();
    engine.containers.clear();

    up();

    assertEquals(1, validations.get());
    assertTrue(console.all().contains("validation skipped: these exact files passed it before"), console.all());
    assertEquals("running", engine.byName("demo-prometheus").status());

    Path datasources = ws.dir().resolve("monitoring/grafana/provisioning/datasources/datasources.yml");
    String original = Files.readString(datasources);
    Files.writeString(datasources, original + "\n# changed\n");
    up();
    assertEquals(2, validations.get(), "a changed file is validated");

    Files.writeString(datasources, original);
    up();
    assertEquals(2, validations.get(), "going back to files validated before needs no new validation");
  }

  @Test
  void handEditOfTheComposeFileIsHonouredNotOverwritten() throws IOException {
    up();
    String edited = Files.readString(compose()).replace("GF_USERS_ALLOW_SIGN_UP: \"false\"",
        "GF_USERS_ALLOW_SIGN_UP: \"false\"\n      GF_LOG_LEVEL: debug");
    assertFalse(edited.equals(Files.readString(compose())), "the rendered file has the line the test edits");
    Files.writeString(compose(), edited);
    engine.calls.clear();

    up();

    assertEquals(edited, Files.readString(compose()));
    assertEquals(List.of("demo-grafana"), engine.created());
    assertEquals("debug", engine.byName("demo-grafana").spec().env().get("GF_LOG_LEVEL"));
  }

  @Test
  void keikoYmlChangeThatRendersTheSameFilesLeavesAHandEditAlone() throws IOException {
    up();
    String edited = Files.readString(compose()) + "\n# my note\n";
    Files.writeString(compose(), edited);
    Files.writeString(ws.configFile(), "version: 1\nproject: demo   # a comment changes no rendered file\n");
    engine.calls.clear();

    up();

    assertEquals(edited, Files.readString(compose()), "nothing to render, so nothing is reported or overwritten");
    assertTrue(engine.created().isEmpty(), engine.calls.toString());
  }

  @Test
  void keikoYmlChangeOverAHandEditStopsLikeRenderDoes() throws IOException {
    up();
    Files.writeString(compose(), Files.readString(compose()) + "\n# my note\n");
    Files.writeString(ws.configFile(), "version: 1\nproject: demo\nprometheus: {retention: 30d}\n");
    engine.calls.clear();

    OperationFailedException e = assertThrows(OperationFailedException.class, this::up);

    assertTrue(e.getMessage().contains("edited by hand"), e.getMessage());
    assertTrue(engine.changes().isEmpty());
  }

  @Test
  void invalidProjectStopsUpBeforeTheStackIsTouched() throws IOException {
    up();
    Path rules = ws.dir().resolve("monitoring/prometheus/prometheus.yml");
    Files.writeString(rules, Files.readString(rules) + "\n# changed\n");
    validation = (w, justRendered) -> {
      throw new ConfigException(List.of(Problem.error("monitoring/prometheus/prometheus.yml", 3, 1, "x", "broken", null)));
    };
    engine.calls.clear();

    assertThrows(ConfigException.class, this::up);

    assertTrue(engine.changes().isEmpty(), engine.calls.toString());
  }

  @Test
  void composeKeyUpCannotHonourIsReportedWithItsPosition() throws IOException {
    up();
    Files.writeString(compose(), Files.readString(compose()).replace("    container_name: demo-jaeger\n",
        "    container_name: demo-jaeger\n    cpus: 0.5\n"));

    ConfigException e = assertThrows(ConfigException.class, this::up);

    Problem p = e.problems().get(0);
    assertEquals("monitoring/docker-compose.monitoring.yml", p.file());
    assertEquals("services.jaeger.cpus", p.path());
    assertTrue(p.line() > 0);
  }

  @Test
  void aProjectRunningFromAnotherFolderIsNotTakenOverWithoutForce() throws IOException {
    up();
    String theirs = compose().getParent().toString();
    Workspace other = new Workspace(Files.createDirectories(ws.dir().resolve("checkout-2")), ws.env(), ws.clock());
    Files.writeString(other.configFile(), "version: 1\nproject: demo\n");
    engine.calls.clear();

    OperationFailedException e = assertThrows(OperationFailedException.class, () -> upIn(other, WAIT));

    assertEquals("project demo runs from another folder, " + theirs + "; `up` here would take over its containers",
        e.getMessage());
    assertTrue(e.hint().contains("keiko-mon up --force"), e.hint());
    assertTrue(engine.changes().isEmpty(), engine.changes().toString());

    upIn(other, new UpService.Options(Duration.ofSeconds(5), true, true));

    String ours = other.dir().resolve("monitoring").toString();
    engine.containers.values().forEach(c -> assertEquals(ours,
        c.details().label(io.keikomon.compose.ComposeLabels.WORKING_DIR), c.name()));
    assertTrue(console.all().contains("taking project demo over from " + theirs + " (--force)"), console.all());
  }

  @Test
  void aContainerLeftInCreatedIsRemovedAndCreatedAgain() {
    up();
    InMemoryDockerEngine.Container grafana = engine.byName("demo-grafana");
    ContainerDetails d = grafana.details();
    engine.containers.remove(d.id());
    engine.container(new ContainerDetails("stuck1", d.name(), d.image(), d.imageId(), d.labels(),
        new io.keikomon.engine.ContainerState("created", false, 0, false, null, null, null, ""), d.ports(),
        d.networks(), d.created()));

    up();

    assertFalse(engine.containers.containsKey("stuck1"));
    assertEquals("running", engine.byName("demo-grafana").status());
    assertTrue(console.all().contains("removed container demo-grafana, left in Created by an earlier run"),
        console.all());
  }

  void upIn(Workspace w, UpService.Options options) {
    new UpService(w, console, () -> engine, validation, Duration.ofMillis(5)).up(options);
  }
}
