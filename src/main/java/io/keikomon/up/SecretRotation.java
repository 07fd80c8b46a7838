package io.keikomon.up;

import io.keikomon.api.ApiException;
import io.keikomon.api.ApiRequest;
import io.keikomon.api.ApiResponse;
import io.keikomon.api.BasicAuth;
import io.keikomon.api.GrafanaClient;
import io.keikomon.compose.ComposeLabels;
import io.keikomon.config.ConfigLoader;
import io.keikomon.config.EnvFileUpdate;
import io.keikomon.config.KeikoConfig;
import io.keikomon.config.Passwords;
import io.keikomon.config.Secrets;
import io.keikomon.config.SecretsResolver;
import io.keikomon.config.TextFile;
import io.keikomon.core.AtomicFiles;
import io.keikomon.core.Component;
import io.keikomon.core.Console;
import io.keikomon.core.FileAccessException;
import io.keikomon.core.KeikoException;
import io.keikomon.core.OperationFailedException;
import io.keikomon.core.ProtectedEndpoint;
import io.keikomon.core.Workspace;
import io.keikomon.engine.ContainerDetails;
import io.keikomon.engine.DockerGateway;
import io.keikomon.render.RenderService;
import io.keikomon.render.SecurityMaterial;
import io.keikomon.stack.ComponentEndpoints;
import io.keikomon.stack.StackAccess;
import io.keikomon.stack.StackLabels;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code keiko-mon secrets rotate}: new passwords into .env, then the running stack brought in line the way `up`
 * does it, which applies them live: render writes the web configs (in folder mounts) and rewrites the file secrets in
 * place, Prometheus, Alertmanager and node-exporter re-read both per request (no reload is needed for
 * {@code password_file}; the reload `up` sends is harmless), and Grafana re-reads its datasource passwords on the
 * provisioning reload. Grafana's admin password lives in its database, so it is changed through Grafana's API first,
 * with the current password, and only then written to .env. The old .env is kept as {@code .env.bak-<time>}.
 */
public final class SecretRotation {
  /** The names `secrets rotate` accepts, in the order it rotates them. */
  public static final List<String> NAMES = List.of("prometheus", "alertmanager", "node-exporter", "grafana");

  /** {@code grafanaCurrentPassword}: what Grafana's admin has now, when it is not the one in .env. */
  public record Options(List<String> names, Optional<String> grafanaCurrentPassword) {}

  /** Brings the running stack in line with .env: {@link UpService#up}. */
  @FunctionalInterface
  public interface Apply {
    void run();
  }

  private final Workspace ws;
  private final Console console;
  private final Supplier<DockerGateway> docker;
  private final Apply up;

  public SecretRotation(Workspace ws, Console console, Supplier<DockerGateway> docker, Apply up) {
    this.ws = ws;
    this.console = console;
    this.docker = docker;
    this.up = up;
  }

  public void rotate(Options options) {
    KeikoConfig cfg = ConfigLoader.load(ws).config();
    if (cfg.swarm()) {
      throw new OperationFailedException("secrets rotate works on a compose stack; keiko.yml has mode: swarm",
          "put new values into .env and run `keiko-mon up`: Swarm secrets are immutable, so the services roll over");
    }
    List<String> names = chosen(cfg, options.names());
    Map<String, String> variables = new LinkedHashMap<>();
    for (String name : names) {
      String variable = variable(name);
      if (ws.env().get(variable) != null && !ws.env().get(variable).isEmpty()) {
        throw new OperationFailedException(variable + " is set in the environment, which wins over .env, so a"
            + " password written to .env would not be used", "unset it (or rotate it where it is set), then run"
            + " `keiko-mon secrets rotate " + name + "` again");
      }
      variables.put(name, variable);
    }
    Map<String, String> old = new LinkedHashMap<>();
    variables.forEach((name, variable) -> SecretsResolver.lookup(ws, variable).ifPresent(v -> old.put(name, v)));
    Map<String, String> fresh = new LinkedHashMap<>();
    names.forEach(n -> fresh.put(variables.get(n), Passwords.generate()));

    DockerGateway engine = docker.get();
    Path out = new RenderService(ws, console).outputDir(cfg);
    ComponentEndpoints endpoints = ComponentEndpoints.of(engine, StackAccess.of(out));
    Optional<ContainerDetails> grafana = names.contains("grafana")
        ? Optional.of(running(engine, cfg, Component.GRAFANA)) : Optional.empty();

    Path env = ws.envFile();
    String before = readEnv(env);
    Path pending = env.resolveSibling(env.getFileName() + ".rotating");
    Path backup = env.resolveSibling(env.getFileName() + ".bak-" + DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
        .withZone(ZoneOffset.UTC).format(ws.clock().instant()));
    try {
      // both written before anything changes: the old values survive whatever happens next, and the new .env is
      // one rename away once Grafana took its password
      AtomicFiles.write(backup, before.getBytes(StandardCharsets.UTF_8), AtomicFiles.PRIVATE);
      AtomicFiles.write(pending, EnvFileUpdate.apply(before, fresh).getBytes(StandardCharsets.UTF_8),
          AtomicFiles.PRIVATE);
    } catch (IOException e) {
      throw FileAccessException.of("write", pending, e);
    }
    if (grafana.isPresent()) {
      String current = options.grafanaCurrentPassword().or(() -> Optional.ofNullable(old.get("grafana"))).orElse("");
      try {
        changeGrafana(endpoints, grafana.get(), current, fresh.get(Secrets.GRAFANA_ADMIN_PASSWORD),
            options.grafanaCurrentPassword().isPresent());
      } catch (RuntimeException e) {
        deleteQuietly(pending);
        deleteQuietly(backup);
        throw e;
      }
      console.info("grafana: admin password changed through Grafana's API");
    }
    try {
      Files.move(pending, env, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new OperationFailedException("could not move the new passwords from " + pending.getFileName() + " to "
          + env.getFileName() + ": " + e.getMessage(), "move it by hand (`mv " + pending.getFileName() + " "
          + env.getFileName() + "`), then run `keiko-mon up`" + (grafana.isPresent()
              ? "; Grafana already has the new admin password, which is in " + pending.getFileName() : ""), e);
    }
    console.info("new passwords for " + String.join(", ", names) + " saved in " + env.getFileName()
        + "; the previous " + env.getFileName() + " is kept as " + backup.getFileName());
    Map<String, String> idsBefore = containerIds(engine, cfg);
    try {
      up.run();
    } catch (KeikoException e) {
      throw new OperationFailedException("the new passwords are in " + env.getFileName() + " but applying them failed: "
          + e.getMessage(), (e.hint() == null ? "" : e.hint() + "; ") + "fix it and run `keiko-mon up`, or go back"
          + " with `cp " + backup.getFileName() + " " + env.getFileName() + " && keiko-mon up`"
          + (grafana.isPresent() ? " (Grafana keeps its new admin password then: rotate it again with"
              + " --grafana-current-password-file)" : ""), e);
    }
    verify(engine, cfg, endpoints, names, old);
    Map<String, String> after = containerIds(engine, cfg);
    List<String> replaced = idsBefore.keySet().stream().filter(s -> !idsBefore.get(s).equals(after.get(s))).sorted().toList();
    console.out("rotated " + String.join(", ", names) + ": the new passwords work and the old ones are refused; "
        + (replaced.isEmpty() ? "no container was restarted for it" : "recreated: " + String.join(", ", replaced))
        + ". Previous values: " + backup.getFileName() + " (delete it when you no longer need it)");
  }

  /** The enabled secrets among {@code asked} (all enabled ones when empty). */
  static List<String> chosen(KeikoConfig cfg, List<String> asked) {
    List<String> enabled = new ArrayList<>();
    if (cfg.security().auth()) {
      SecurityMaterial.enabled(cfg).forEach(p -> enabled.add(p.component().service()));
    }
    if (cfg.components().grafana()) {
      enabled.add("grafana");
    }
    if (asked.isEmpty()) {
      if (enabled.isEmpty()) {
        throw new OperationFailedException("nothing to rotate: security.auth is off and Grafana is not enabled",
            "turn security.auth on in keiko.yml");
      }
      return enabled;
    }
    for (String name : asked) {
      if (!enabled.contains(name)) {
        throw new OperationFailedException(name + " has no password to rotate in this stack (" + (enabled.isEmpty()
            ? "none has" : "these have: " + String.join(", ", enabled)) + ")",
            name.equals("grafana") ? "enable Grafana in keiko.yml" : "security.auth must be on and " + name
                + " enabled in keiko.yml");
      }
    }
    return NAMES.stream().filter(asked::contains).toList();
  }

  static String variable(String name) {
    if (name.equals("grafana")) {
      return Secrets.GRAFANA_ADMIN_PASSWORD;
    }
    return Component.ofService(name).flatMap(ProtectedEndpoint::of).orElseThrow().envVariable();
  }

  private void changeGrafana(ComponentEndpoints endpoints, ContainerDetails c, String current, String next,
      boolean given) {
    if (!endpoints.engineLocal()) {
      throw new OperationFailedException("Grafana's password is changed over HTTP PUT to its published port, which"
          + " is not on this machine (the engine is remote)", "run keiko-mon on the engine's host");
    }
    GrafanaClient client = new GrafanaClient(endpoints.transport(c, Component.GRAFANA,
        Optional.of(new BasicAuth("admin", () -> current))));
    try {
      client.changeOwnPassword(current, next);
    } catch (ApiException e) {
      if (e.hasStatus(401)) {
        throw new OperationFailedException("Grafana refused " + (given ? "the current admin password given"
            : "the admin password in .env (GRAFANA_ADMIN_PASSWORD)") + "; nothing was changed",
            given ? "give the password Grafana's admin has now (the grafana volume keeps the one it was created with)"
                : "Grafana keeps the password of its volume (GRAFANA_ADMIN_PASSWORD applies only to a new one): put"
                    + " the password it has now into a file and run `keiko-mon secrets rotate grafana"
                    + " --grafana-current-password-file FILE`", e);
      }
      throw e;
    }
  }

  /** Old passwords refused with 401, new ones (read from the rendered secret files) accepted. */
  private void verify(DockerGateway engine, KeikoConfig cfg, ComponentEndpoints endpoints, List<String> names,
      Map<String, String> old) {
    List<String> failures = new ArrayList<>();
    for (String name : names) {
      if (name.equals("grafana")) {
        continue;
      }
      ProtectedEndpoint p = Component.ofService(name).flatMap(ProtectedEndpoint::of).orElseThrow();
      ContainerDetails c = running(engine, cfg, p.component());
      ApiRequest probe = ApiRequest.get("read " + name + " metrics", "/metrics");
      int withNew = status(endpoints, c, p.component(), endpoints.access().auth(p.component()), probe);
      if (withNew != 200) {
        failures.add(name + " answered " + withNew + " to the new password");
      }
      if (old.containsKey(name)) {
        String previous = old.get(name);
        int withOld = status(endpoints, c, p.component(), Optional.of(new BasicAuth(p.user(), () -> previous)), probe);
        if (withOld != 401) {
          failures.add(name + " answered " + withOld + " to the old password, not 401");
        }
      }
    }
    if (!failures.isEmpty()) {
      throw new OperationFailedException("the rotation was applied but " + String.join("; ", failures),
          "`keiko-mon up` recreates a container that does not see its files; `keiko-mon doctor` shows more");
    }
  }

  private static int status(ComponentEndpoints endpoints, ContainerDetails c, Component component,
      Optional<BasicAuth> auth, ApiRequest request) {
    try {
      ApiResponse r = endpoints.transport(c, component, auth).send(request);
      return r.status();
    } catch (ApiException e) {
      return e.status().orElse(-1);
    }
  }

  private static ContainerDetails running(DockerGateway engine, KeikoConfig cfg, Component component) {
    return engine.listContainers(StackLabels.projectFilter(cfg.project())).stream()
        .filter(s -> component.service().equals(s.label(ComposeLabels.SERVICE)))
        .map(s -> engine.inspectContainer(s.id())).flatMap(Optional::stream)
        .filter(c -> c.state() != null && c.state().running()).findFirst()
        .orElseThrow(() -> new OperationFailedException(component.service() + " of project " + cfg.project()
            + " is not running, so its password cannot be changed live", "start the stack with `keiko-mon up`, then"
            + " rotate; a stack that is down takes new passwords from .env at its next `up` (Grafana only on a new"
            + " volume)"));
  }

  /** Service → id of its running container. */
  private static Map<String, String> containerIds(DockerGateway engine, KeikoConfig cfg) {
    Map<String, String> ids = new java.util.TreeMap<>();
    engine.listContainers(StackLabels.projectFilter(cfg.project())).stream()
        .filter(c -> "running".equals(c.state()) && c.label(ComposeLabels.SERVICE) != null)
        .forEach(c -> ids.put(c.label(ComposeLabels.SERVICE), c.id()));
    return ids;
  }

  private static String readEnv(Path env) {
    if (!Files.exists(env)) {
      return "";
    }
    return TextFile.require(TextFile.read(env, env.getFileName().toString()));
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      // a leftover 0600 file in the project folder; the error the user sees is the one that matters
    }
  }
}
