package io.keikomon.up;

import io.keikomon.compose.ComposeModel;
import io.keikomon.compose.ComposeParser;
import io.keikomon.compose.StartOrder;
import io.keikomon.engine.DockerGateway;
import io.keikomon.engine.ProjectLock;
import io.keikomon.stack.ExporterHealth;
import io.keikomon.stack.SwarmStackRuntime;
import io.keikomon.compose.StackFile;

import io.keikomon.config.ConfigLoader;
import io.keikomon.config.KeikoConfig;
import io.keikomon.config.LoadedConfig;
import io.keikomon.config.Problem;
import io.keikomon.config.TextFile;
import io.keikomon.config.Secrets;
import io.keikomon.config.SecretsResolver;
import io.keikomon.core.Console;
import io.keikomon.core.Lazy;
import io.keikomon.core.OperationFailedException;
import io.keikomon.core.Workspace;
import io.keikomon.render.JustRendered;
import io.keikomon.render.RenderPlan;
import io.keikomon.render.RenderService;
import io.keikomon.render.RenderSummary;
import io.keikomon.stack.StackAccess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code keiko-mon up}: keiko.yml → rendered folder (only when keiko.yml or a template changed, so hand edits
 * to the rendered files are honoured) → compose file → plan; when the plan changes anything: validate, then
 * pre-flight, apply and wait. An unchanged stack is left alone, and validation is skipped because the
 * running stack is exactly what was validated when it was applied; so is validation of files that passed it
 * before (a stack brought up again after {@code down}).
 */
public final class UpService {
  /** Where the output folder keeps what live reloads applied (see {@link ReloadLedger}). */
  public static final String RELOAD_LEDGER = ".keiko-mon/reloaded-config.json";

  /**
   * Proves the project valid before anything is changed and returns its warnings; throws ConfigException (exit 3)
   * otherwise. Runs beside {@code up}'s reading of the engine, so it must not print.
   */
  @FunctionalInterface
  public interface Validation {
    /** @param justRendered the tree {@code up} rendered a moment ago, when it rendered (not to be rendered again) */
    List<Problem> check(Workspace ws, Optional<JustRendered> justRendered);
  }

  /**
   * @param timeout the whole command's budget, waiting for another holder of the project's lock included
   * @param force take over a project whose containers were started from another folder
   */
  public record Options(Duration timeout, boolean waitForHealth, boolean force) {
    public Options(Duration timeout, boolean waitForHealth) {
      this(timeout, waitForHealth, false);
    }
  }

  /** How long `up` waits for Prometheus to scrape every target once, before it reports them. */
  private static final Duration SCRAPE_WAIT = Duration.ofSeconds(20);

  private final Workspace ws;
  private final Console console;
  private final Supplier<DockerGateway> docker;
  private final Validation validation;
  private final Duration probeEvery;

  public UpService(Workspace ws, Console console, Supplier<DockerGateway> docker, Validation validation,
      Duration probeEvery) {
    this.ws = ws;
    this.console = console;
    this.docker = docker;
    this.validation = validation;
    this.probeEvery = probeEvery;
  }

  public void up(Options options) {
    long t0 = System.nanoTime();
    LoadedConfig loaded = ConfigLoader.load(ws);
    loaded.warnings().forEach(w -> console.warn(w.render()));
    KeikoConfig cfg = loaded.config();
    // the folder's lock is enough for rendering; the engine's is taken before anything is read from or done there
    try (ProjectLock lock = ProjectLock.acquireFolder(ws.dir(), cfg.project(), "up", options.timeout(),
        console::info)) {
      upLocked(loaded, lock, options, t0);
    }
  }

  private DockerGateway engine(ProjectLock lock) {
    DockerGateway engine = docker.get();
    lock.holdOnEngine(engine);
    return engine;
  }

  private void upLocked(LoadedConfig loaded, ProjectLock lock, Options options, long t0) {
    KeikoConfig cfg = loaded.config();
    if (cfg.swarm()) {
      new SwarmStackRuntime(engine(lock), ws.clock()).preflight(); // before anything is rendered or changed
    } else if (docker instanceof Lazy<DockerGateway> connecting) {
      connecting.startMaking("keiko-mon-connect"); // loading docker-java and the ping take CPU seconds; render meanwhile
    }
    RenderService render = new RenderService(ws, console);
    Path out = render.outputDir(cfg);
    RenderStamp stamp = RenderStamp.render(ws, out);
    Optional<JustRendered> rendered = Optional.empty();
    if (!stamp.matches()) {
      // one render: it writes only when what it renders is not what it wrote last time
      Secrets secrets = SecretsResolver.resolve(ws);
      RenderSummary summary = render.render(cfg, secrets, new RenderService.Options(false, false, true));
      rendered = Optional.of(new JustRendered(loaded, secrets, summary.tree()));
      stamp.save();
    }
    if (cfg.swarm()) {
      upSwarm(cfg, docker.get(), out, rendered, options, t0);
      return;
    }
    Path composeFile = out.resolve(RenderPlan.COMPOSE_FILE);
    if (!Files.isRegularFile(composeFile)) {
      throw new OperationFailedException(rel(composeFile) + " does not exist", "run `keiko-mon render`");
    }
    BackgroundValidation validating = BackgroundValidation.start(ws, out, validation, rendered);
    ComposeModel model = parse(cfg, composeFile); // still connecting, perhaps
    DockerGateway engine = engine(lock);

    Optional<String> elsewhere = StackRepair.otherWorkingDir(engine, model);
    if (elsewhere.isPresent()) {
      if (!options.force()) {
        throw new OperationFailedException("project " + model.project() + " runs from another folder, "
            + elsewhere.get() + "; `up` here would take over its containers",
            "run keiko-mon in that folder, give this one its own `project:` in keiko.yml, or take the containers"
                + " over with `keiko-mon up --force`");
      }
      console.warn("taking project " + model.project() + " over from " + elsewhere.get() + " (--force): its"
          + " containers are replaced by ones using this folder's files; its volumes (stored data) are kept");
      StackRepair.removeForeign(engine, model, console::info);
    }
    StackRepair.repair(engine, model, console::info, console::warn);
    StackUp stack = new StackUp(engine, new ReloadLedger(out.resolve(RELOAD_LEDGER)));
    StackUp.Prepared prepared = stack.prepare(model);
    if (prepared.upToDate()) {
      validating.discard();
      console.out("stack " + model.project() + " is up to date: " + model.services().size()
          + " services running, nothing changed (" + StackUp.seconds(elapsed(t0)) + ")");
      return;
    }
    engine.expectChanges(); // changes follow: the engine client sets up while validation finishes
    validating.await(console);
    boolean live = console.interactive() && !ws.env().containsKey("NO_COLOR")
        && !"dumb".equals(ws.env().get("TERM"));
    UpProgress progress = new UpProgress(console, live, StartOrder.of(model.services()).flat());
    Map<String, String> ids = stack.apply(prepared, new StackUp.Options(options.timeout(), options.waitForHealth(),
        probeEvery), progress);
    if (options.waitForHealth()) {
      noteEngineHealthLag(engine, ids);
    }
    console.out("stack " + model.project() + " is up: " + ids.size() + " services "
        + (options.waitForHealth() ? "ready" : "started") + " in " + StackUp.seconds(elapsed(t0)));
    for (ComposeModel.Service s : model.services().values()) {
      s.ports().stream().filter(p -> p.published() > 0 && s.onProjectNetwork()).findFirst().ifPresent(p ->
          console.out(String.format("  %-18s http://%s:%d", s.name(),
              p.hostIp().isEmpty() || p.hostIp().equals("0.0.0.0") ? "localhost" : p.hostIp(), p.published())));
    }
    if (options.waitForHealth() && model.services().containsKey("prometheus")) {
      reportMonitoredTargets(cfg, engine, model, options);
    }
  }

  /**
   * Swarm mode: pre-flight (a manager), validation, then the stack file deployed through the Engine API; Swarm
   * rolls changed services out by their update_config, and up waits until every service has converged.
   */
  private void upSwarm(KeikoConfig cfg, DockerGateway engine, Path out, Optional<JustRendered> rendered, Options options,
      long t0) {
    SwarmStackRuntime runtime = new SwarmStackRuntime(engine, ws.clock());
    Path stackFile = out.resolve(RenderPlan.STACK_FILE);
    if (!Files.isRegularFile(stackFile)) {
      throw new OperationFailedException(rel(stackFile) + " does not exist", "run `keiko-mon render`");
    }
    StackFile file = SwarmStackRuntime.read(cfg.project(), stackFile, ws.env());
    BackgroundValidation.start(ws, out, validation, rendered).await(console);
    SwarmStackRuntime.Deployed d = runtime.deploy(file, out, options.timeout(), options.waitForHealth(), console::info);
    if (d.nothingChanged()) {
      console.out("stack " + cfg.project() + " is up to date: " + file.services().size()
          + " services converged, nothing changed (" + StackUp.seconds(elapsed(t0)) + ")");
      return;
    }
    console.out("stack " + cfg.project() + " is up on the swarm: " + d.created().size() + " created, " + d.updated().size()
        + " updated, " + d.unchanged().size() + " unchanged" + (d.removed().isEmpty() ? "" : ", " + d.removed().size()
        + " removed") + "; " + (options.waitForHealth() ? "every service converged" : "not waiting") + " in "
        + StackUp.seconds(elapsed(t0)));
  }

  /** Healthy containers are not enough: say what Prometheus sees of every target and exporter gauge. */
  private void reportMonitoredTargets(KeikoConfig cfg, DockerGateway engine, ComposeModel model, Options options) {
    ExporterHealth.prometheus(engine.info().endpoint(), cfg.bind(), cfg.ports().prometheus(),
        StackAccess.of(model.workingDir())).ifPresent(p -> {
      Duration wait = options.timeout().compareTo(SCRAPE_WAIT) < 0 ? options.timeout() : SCRAPE_WAIT;
      ExporterHealth.Report report = ExporterHealth.check(p, engine, model.project(), wait);
      report.lines().forEach(console::out);
      report.failing().forEach(c -> console.warn(c.what() + " is " + c.state() + ": " + c.problem()));
    });
  }

  /**
   * `up` knows a service is healthy from running its healthcheck itself; Docker before 25 runs the first scheduled
   * check only after one interval, so `docker ps` may say "starting" a little longer ({@code status} probes then).
   */
  private void noteEngineHealthLag(DockerGateway engine, Map<String, String> ids) {
    List<String> starting = ids.entrySet().stream()
        .filter(e -> engine.inspectContainer(e.getValue()).map(c -> c.state().health())
            .map(h -> "starting".equals(h.status())).orElse(false))
        .map(Map.Entry::getKey).sorted().toList();
    if (!starting.isEmpty()) {
      console.info("note: " + String.join(", ", starting) + " passed their healthcheck when keiko-mon ran it;"
          + " Docker reports them as starting until its own first check, one healthcheck interval after start"
          + " (`keiko-mon status` runs the same check meanwhile)");
    }
  }

  private ComposeModel parse(KeikoConfig cfg, Path composeFile) {
    String text = TextFile.require(TextFile.read(composeFile, rel(composeFile)));
    ComposeParser.Result r = new ComposeParser(ws.env())
        .parse(composeFile.toAbsolutePath(), rel(composeFile), text, cfg.project());
    r.warnings().stream().map(Problem::render).forEach(console::warn);
    return r.model();
  }

  private String rel(Path p) {
    Path base = ws.dir().toAbsolutePath().normalize();
    Path abs = p.toAbsolutePath().normalize();
    return abs.startsWith(base) ? base.relativize(abs).toString() : abs.toString();
  }

  private static Duration elapsed(long t0) {
    return Duration.ofNanos(System.nanoTime() - t0);
  }
}
