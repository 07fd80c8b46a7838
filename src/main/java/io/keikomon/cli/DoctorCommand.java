package io.keikomon.cli;

import io.keikomon.api.AlertmanagerClient;
import io.keikomon.api.ApiTransport;
import io.keikomon.api.BasicAuth;
import io.keikomon.api.GrafanaClient;
import io.keikomon.api.PrometheusClient;
import io.keikomon.config.ConfigLoader;
import io.keikomon.config.KeikoConfig;
import io.keikomon.core.Component;
import io.keikomon.core.Workspace;
import io.keikomon.doctor.Doctor;
import io.keikomon.doctor.DoctorReport;
import io.keikomon.stack.StackAccess;
import io.keikomon.doctor.Finding;
import io.keikomon.doctor.ServiceLogs;
import io.keikomon.doctor.Symptom;
import io.keikomon.engine.ContainerDetails;
import io.keikomon.engine.DockerGateway;
import io.keikomon.render.RenderPlan;
import io.keikomon.render.RenderedTree;
import io.keikomon.render.SecretFile;
import io.keikomon.stack.ComponentEndpoints;
import io.keikomon.stack.Stack;
import io.keikomon.stack.StackRuntime;
import io.keikomon.stack.StatusReport;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(
    name = "doctor",
    mixinStandardHelpOptions = true,
    description = {
      "Read the running stack and name the cause of a symptom, with the remedy in keiko.yml terms.",
      "Every symptom starts at the containers (state, restarts, health, the log line that says why);",
      "  in swarm mode at the tasks (one finding each, with Swarm's error; replicas short of desired).",
      "metrics: Prometheus reachable, its configuration loaded, each target's scrape error classified,",
      "  exporters behind up targets (pg_up, redis_up, probe_success, with the exporter's log line),",
      "  every series the rules use (missing label, disappeared, never existed).",
      "no-data: the metrics chain, then Grafana: datasource health and URL, each panel's datasource uid",
      "  and its query over the dashboard's time range.",
      "alerts: rule health, firing alerts, Alertmanager discovered and reachable, receivers without a",
      "  notifier, silenced and inhibited alerts, delivery failures by reason.",
      "Without a symptom: all of them. Consequences are folded under their cause.",
      "Exits 5 when there is an error finding, 0 when none, 4 without Docker.",
      "JSON: {ok, findings: [{id, severity (error|warning|info), component, cause, evidence, remedy,",
      "  explains: [ids]}]} (plus symptom and check)."
    })
final class DoctorCommand implements Callable<Integer> {
  enum Output { text, json }

  private final Services services;

  @Spec CommandSpec spec;

  @Parameters(arity = "0..1", paramLabel = "SYMPTOM", completionCandidates = SymptomNames.class,
      description = "metrics, no-data or alerts; default: all.")
  String symptom;

  @Option(names = "--output", paramLabel = "FORMAT", defaultValue = "text",
      description = "text or json (for scripts). Default: ${DEFAULT-VALUE}.")
  Output output;

  @Option(names = "--notify-test", description = "Also send a synthetic alert (alertname KeikoDoctorNotifyTest,"
      + " keiko_doctor=notify-test) through Alertmanager to every receiver with a notifier, report each delivery"
      + " from Alertmanager's own counters (alertmanager_notification_requests_failed_total, and"
      + " alertmanager_notifications_failed_total's reason), then resolve it. Waits up to the route's"
      + " group_wait + 10 s per round (receivers sharing an integration are tested one after the other).")
  boolean notifyTest;

  DoctorCommand(Services services) {
    this.services = services;
  }

  static final class SymptomNames implements Iterable<String> {
    @Override
    public java.util.Iterator<String> iterator() {
      return java.util.Arrays.stream(Symptom.values()).map(Symptom::word).iterator();
    }
  }

  @Override
  public Integer call() {
    Set<Symptom> symptoms = symptom == null ? Set.of() : Set.of(parse(symptom));
    Workspace ws = services.workspace();
    KeikoConfig config = ConfigLoader.load(ws).config();
    Path rendered = ws.dir().resolve(config.output());
    Path compose = rendered.resolve(RenderPlan.stackFile(config));
    StackRuntime runtime = services.stackRuntime();
    Stack stack = runtime.find(config.project(), rendered, compose);
    StatusReport status = runtime.servicesOnly(stack);
    DockerGateway docker = services.docker().get();
    StackAccess access = StackAccess.of(rendered.normalize());
    ComponentEndpoints endpoints = ComponentEndpoints.of(docker, access);
    Reach reach = new Reach(stack, docker, endpoints, config.swarm() ? Optional.of(config.ports()) : Optional.empty(),
        status);
    Optional<ApiTransport> prom = reach.transport(Component.PROMETHEUS, Optional.empty());
    List<Finding> findings = new ArrayList<>();
    ServiceLogs logs = (service, lines) -> tail(runtime, stack, service, lines);
    if (prom.isEmpty()) {
      findings.addAll(Doctor.withoutPrometheus(status, logs, config.output(), config.swarm()));
    }
    Map<String, String> labelKeys = new LinkedHashMap<>();
    KeikoConfig.BackendLabels l = config.backend().labels();
    labelKeys.put(l.method(), "backend.labels.method");
    labelKeys.put(l.route(), "backend.labels.route");
    labelKeys.put(l.status(), "backend.labels.status");
    labelKeys.put(l.operation(), "backend.labels.operation");
    labelKeys.put(l.result(), "backend.labels.result");
    if (prom.isPresent()) {
      Doctor doctor = new Doctor(new PrometheusClient(prom.get()),
          reach.transport(Component.ALERTMANAGER, Optional.empty()).map(AlertmanagerClient::new), true);
      doctor = (config.swarm() ? doctor.withTasks(status.services(), logs, config.output())
          : doctor.withContainers(status.services(), logs, config.output()))
          .withLabelKeys(labelKeys, ws.clock())
          .withAlertingNone(config.alerting().none());
      Path password = rendered.resolve(RenderedTree.SECRETS_DIR + SecretFile.GRAFANA_ADMIN_PASSWORD);
      if (Files.isRegularFile(password)) {
        Optional<ApiTransport> g = reach.transport(Component.GRAFANA,
            Optional.of(BasicAuth.fromSecretFile("admin", password)));
        if (g.isPresent()) {
          String scheme = access.tls(Component.PROMETHEUS) ? "https://" : "http://";
          doctor = doctor.withGrafana(new GrafanaClient(g.get()), scheme + Component.PROMETHEUS.address());
        }
      }
      findings.addAll(doctor.check(symptoms));
      if (notifyTest) {
        findings.addAll(doctor.notifyTest());
      }
    }
    DoctorReport report = new DoctorReport(findings);
    PrintWriter out = spec.commandLine().getOut();
    if (output == Output.json) {
      out.println(report.json());
    } else {
      report.text().forEach(out::println);
    }
    out.flush();
    return report.ok() ? ExitCodes.OK : ExitCodes.UNHEALTHY;
  }

  /**
   * How doctor reaches a component: in its running container (in swarm mode the task of the lowest slot on the
   * engine's node), else, in swarm mode while the service has a running task on another node, through the port the
   * routing mesh publishes.
   */
  private record Reach(Stack stack, DockerGateway docker, ComponentEndpoints endpoints,
      Optional<KeikoConfig.Ports> swarmPorts, StatusReport status) {
    /** With {@code auth} when given (Grafana's admin), else with the credentials and CA the stack was rendered with. */
    Optional<ApiTransport> transport(Component c, Optional<BasicAuth> auth) {
      Optional<ContainerDetails> details = stack.container(c.service()).filter(x -> "running".equals(x.state()))
          .flatMap(x -> docker.inspectContainer(x.id()));
      Optional<BasicAuth> credentials = auth.isPresent() ? auth : endpoints.access().auth(c);
      if (details.isPresent()) {
        return Optional.of(endpoints.transport(details.get(), c, credentials, Doctor.REQUEST_TIMEOUT));
      }
      boolean runsElsewhere = status.replicas().stream().anyMatch(r -> r.service().equals(c.service()) && r.running() > 0);
      return swarmPorts.filter(p -> runsElsewhere).map(p -> endpoints.published(c, publishedPort(p, c), credentials,
          Doctor.REQUEST_TIMEOUT));
    }

    private static int publishedPort(KeikoConfig.Ports p, Component c) {
      return switch (c) {
        case PROMETHEUS -> p.prometheus();
        case ALERTMANAGER -> p.alertmanager();
        case GRAFANA -> p.grafana();
        default -> throw new IllegalArgumentException("doctor reads no API of " + c.service());
      };
    }
  }

  private static List<String> tail(StackRuntime runtime, Stack stack, String service, int lines) {
    List<String> out = new ArrayList<>();
    String prefix = " | ";
    try {
      runtime.logs(stack, List.of(service), lines, false, line -> {
        int at = line.indexOf(prefix);
        out.add(at < 0 ? line : line.substring(at + prefix.length()));
      });
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      return List.of(); // no container for it: the container finding says so
    }
    return out;
  }

  private Symptom parse(String word) {
    try {
      return Symptom.of(word);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(),
          "unknown symptom '" + word + "': use metrics, no-data or alerts (or none for all)");
    }
  }
}
