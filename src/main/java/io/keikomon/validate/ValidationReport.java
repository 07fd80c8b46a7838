package io.keikomon.validate;

import io.keikomon.config.Problem;
import java.util.List;

/** Everything validate found: each problem (errors and warnings, in order) and how each check went. */
public record ValidationReport(List<Problem> problems, List<CheckResult> checks) {
  public ValidationReport {
    problems = List.copyOf(problems);
    checks = List.copyOf(checks);
  }

  public long errors() {
    return problems.stream().filter(Problem::isError).count();
  }

  public long warnings() {
    return problems.size() - errors();
  }

  public boolean valid() {
    return errors() == 0;
  }
}
