package io.keikomon.cli;

import io.keikomon.api.AlertmanagerClient;
import io.keikomon.api.DirectTransport;
import io.keikomon.api.PrometheusClient;
import io.keikomon.config.ConfigLoader;
import io.keikomon.config.KeikoConfig;
import io.keikomon.core.Workspace;
import io.keikomon.doctor.Doctor;
import io.keikomon.doctor.DoctorReport;
import io.keikomon.doctor.StackEndpoints;
import io.keikomon.stack.StackAccess;
import io.keikomon.core.Component;
import io.keikomon.doctor.Symptom;
import io.keikomon.render.RenderPlan;
import io.keikomon.stack.StackRuntime;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
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
      "Read the running stack and name the cause of a symptom, with the fix in keiko.yml terms.",
      "metrics: Prometheus reachable, its configuration loaded, each target's scrape error",
      "  classified, exporters behind up targets (pg_up, redis_up, probe_success).",
      "no-data: the metrics chain for now (Grafana's datasources and panels are not checked yet).",
      "alerts: rule health, Alertmanager discovered and reachable, notification failures.",
      "Without a symptom: all of them.",
      "Exits 5 when a check fails, 0 when none does, 4 without Docker.",
      "JSON: {ok, findings: [{symptom, severity (ok|warn|fail), check, evidence, cause, fix}]}."
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
    var compose = ws.dir().resolve(config.output()).resolve(RenderPlan.stackFile(config));
    StackRuntime runtime = services.stackRuntime();
    StackEndpoints endpoints = new StackEndpoints(runtime.status(
        runtime.find(config.project(), compose.getParent(), compose)));
    StackAccess access = StackAccess.of(compose.getParent());
    DoctorReport report = endpoints.prometheus()
        .map(p -> new DoctorReport(new Doctor(new PrometheusClient(transport(access, Component.PROMETHEUS, p)),
            endpoints.alertmanager().map(a -> new AlertmanagerClient(transport(access, Component.ALERTMANAGER, a))),
            true).check(symptoms)))
        .orElseGet(() -> new DoctorReport(List.of(endpoints.prometheusMissing())));
    PrintWriter out = spec.commandLine().getOut();
    if (output == Output.json) {
      out.println(report.json());
    } else {
      report.text().forEach(out::println);
    }
    out.flush();
    return report.ok() ? ExitCodes.OK : ExitCodes.UNHEALTHY;
  }

  private Symptom parse(String word) {
    try {
      return Symptom.of(word);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(),
          "unknown symptom '" + word + "': use metrics, no-data or alerts (or none for all)");
    }
  }

  /** Short timeouts: a dead component is a finding, not a wait. */
  private static DirectTransport transport(StackAccess access, Component c, StackEndpoints.Endpoint e) {
    return access.direct(c, e.host(), e.port())
        .connectTimeout(Duration.ofSeconds(2)).requestTimeout(Duration.ofSeconds(5)).build();
  }
}
