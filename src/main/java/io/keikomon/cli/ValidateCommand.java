package io.keikomon.cli;

import io.keikomon.core.OperationFailedException;
import io.keikomon.validate.ReportFormatter;
import io.keikomon.validate.ValidateService;
import io.keikomon.validate.ValidationReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = {
      "Check keiko.yml and every file render would write, before anything runs.",
      "Also checks the output folder on disk when it differs: every file parses, dashboards follow",
      "Grafana's model and use provisioned datasources, Alertmanager routes end at receivers, every metric",
      "a rule or panel uses is provided by an enabled source; then promtool check config/rules, promtool",
      "test rules, amtool check-config and docker-compose config. Reports every problem at once; exit 0",
      "when there are only warnings, 3 when anything is invalid."
    })
final class ValidateCommand implements Callable<Integer> {
  enum Format { text, json }

  private final Services services;

  @Spec CommandSpec spec;

  @Option(names = "--output", defaultValue = "text", paramLabel = "text|json",
      description = "Report format: text (one line per problem) or json. Default: ${DEFAULT-VALUE}.")
  Format output;

  ValidateCommand(Services services) {
    this.services = services;
  }

  @Override
  public Integer call() throws InterruptedException {
    ValidationReport report;
    try {
      report = new ValidateService(services.oracles()).validate(services.workspace());
    } catch (IOException e) {
      throw new OperationFailedException("cannot read the project folder: " + e.getMessage(),
          "check that the folder and its files are readable", e);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (output == Format.json) {
      out.println(ReportFormatter.json(report));
    } else {
      ReportFormatter.text(report).forEach(out::println);
    }
    out.flush();
    return report.valid() ? ExitCodes.OK : ExitCodes.INVALID_CONFIG;
  }
}
