package io.keikomon.cli;

import io.keikomon.config.ConfigLoader;
import io.keikomon.config.KeikoConfig;
import io.keikomon.core.Workspace;
import io.keikomon.stack.ServiceStatus;
import io.keikomon.stack.StackRuntime;
import io.keikomon.stack.StatusReport;
import io.keikomon.render.RenderPlan;
import io.keikomon.engine.DockerGateway;
import io.keikomon.stack.ExporterHealth;
import io.keikomon.stack.StackAccess;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = {
      "Show each service of the stack: container, state, health, published ports, uptime and image.",
      "Then each target Prometheus scrapes: up or down, with its last scrape error.",
      "While Docker's first healthcheck is pending, status runs the same check `up` runs and reports",
      "the service \"healthy (probe)\" when it passes.",
      "Exits 5 when a service is missing, not running, or not healthy; 6 when all are but Prometheus",
      "sees a target down or an exporter that cannot reach its service (pg_up, redis_up, probe_success 0);",
      "0 when all is well.",
      "Swarm mode (keiko.yml mode: swarm): first REPLICAS (running/desired) and NODES per service,",
      "then one line per task (<service>.<slot> on <node>); a service short of replicas is not OK.",
      "JSON: {project, ok, services: [{service, container, state, health (null without a healthcheck),",
      "healthSource (docker or probe), ports: [{hostIp, hostPort, containerPort, protocol}],",
      "uptimeSeconds, image, ok, problem}], targets: [{job, instance, scrapeUrl, health, lastError}],",
      "targetsProblem (why the targets could not be read, or null), replicas (swarm mode only):",
      "[{service, running, desired (null for a global service), nodes}]}."
    })
final class StatusCommand implements Callable<Integer> {
  enum Output { text, json }

  private final Services services;

  @Spec CommandSpec spec;

  @Option(names = "--output", paramLabel = "FORMAT", defaultValue = "text",
      description = "text (a table) or json (for scripts). Default: ${DEFAULT-VALUE}.")
  Output output;

  StatusCommand(Services services) {
    this.services = services;
  }

  @Override
  public Integer call() {
    Workspace ws = services.workspace();
    KeikoConfig config = ConfigLoader.load(ws).config();
    var compose = ws.dir().resolve(config.output()).resolve(RenderPlan.stackFile(config));
    StackRuntime runtime = services.stackRuntime();
    io.keikomon.stack.Stack stack = runtime.find(config.project(), compose.getParent(), compose);
    StatusReport report = runtime.status(stack);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (output == Output.json) {
      out.println(report.json());
    } else if (report.services().isEmpty()) {
      err.println("project " + config.project() + " has no containers; start it with `keiko-mon up`");
    } else {
      if (!report.replicasTable().isEmpty()) {
        report.replicasTable().forEach(out::println);
        out.println();
      }
      report.table().forEach(out::println);
      if (!report.targets().isEmpty()) {
        out.println();
        report.targetsTable().forEach(out::println);
      }
      List<String> certs = io.keikomon.render.SecurityPreparation.expiryLines(compose.getParent(), ws.clock().instant());
      if (!certs.isEmpty()) {
        out.println();
        out.println("certificates (" + compose.getParent().getFileName() + "/pki):");
        certs.forEach(l -> out.println("  " + l));
        certs.stream().filter(l -> !l.endsWith("ok")).forEach(l -> err.println("warning: certificate " + l));
      }
    }
    if (output == Output.text) {
      for (ServiceStatus s : report.notOk()) {
        err.println(s.service() + ": " + s.problem());
      }
      for (StatusReport.Target t : report.targetsDown()) {
        err.println("target " + t.job() + " " + t.instance() + " is " + t.health()
            + (t.lastError().isEmpty() ? "" : ": " + t.lastError()));
      }
      if (report.targetsProblem() != null) {
        err.println("Prometheus targets unknown: " + report.targetsProblem());
      }
    }
    boolean monitoredOk = true;
    if (report.allOk() && output == Output.text) {
      // the containers are fine; now whether the stack sees what it monitors
      DockerGateway docker = services.docker().get();
      var prometheus = ExporterHealth.prometheus(docker.info().endpoint(), config.bind(), config.ports().prometheus(),
          StackAccess.of(services.workspace().dir().resolve(config.output()).normalize()));
      if (prometheus.isPresent()) {
        ExporterHealth.Report monitored = ExporterHealth.check(prometheus.get(), docker, config.project(), Duration.ZERO);
        monitored.lines().forEach(out::println);
        monitored.failing().forEach(c -> err.println("warning: " + c.what() + " is " + c.state() + ": " + c.problem()));
        monitoredOk = monitored.ok();
      }
      if (!config.swarm()) {
        io.keikomon.stack.GrafanaAdminLogin.mismatch(docker, stack).ifPresent(w -> err.println("warning: " + w));
      }
    }
    out.flush();
    err.flush();
    return !report.allOk() ? ExitCodes.UNHEALTHY : monitoredOk ? ExitCodes.OK : ExitCodes.TARGETS_FAILING;
  }
}
