package io.keikomon.validate;

import io.keikomon.config.Problem;
import io.keikomon.render.RenderedTree;
import io.keikomon.validate.check.TreeCheck;
import io.keikomon.validate.oracle.OracleChecks;
import io.keikomon.validate.tree.ParsedTree;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/** Runs the syntax check, every semantic {@link TreeCheck} and then the oracles over one output folder. */
public final class TreeValidator {
  private final List<TreeCheck> checks;
  private final OracleChecks oracles;

  public TreeValidator(List<TreeCheck> checks, OracleChecks oracles) {
    this.checks = List.copyOf(checks);
    this.oracles = oracles;
  }

  /** Problems and check results for {@code tree}; {@code label} prefixes check names ("" or "on disk: "). */
  public ValidationReport validate(RenderedTree tree, String root, String label)
      throws IOException, InterruptedException {
    List<Problem> problems = new ArrayList<>();
    List<CheckResult> results = new ArrayList<>();
    ParsedTree parsed = ParsedTree.parse(tree, root);
    problems.addAll(parsed.problems());
    results.add(result(label + "files parse", parsed.problems()));
    // the oracles mostly wait for their processes: start them first, and run the checks in here meanwhile
    FutureTask<List<OracleChecks.Outcome>> external = new FutureTask<>(() -> oracles.run(parsed));
    Thread runner = new Thread(external, "oracles");
    runner.setDaemon(true);
    runner.start();
    for (TreeCheck check : checks) {
      List<Problem> found = check.check(parsed);
      problems.addAll(found);
      results.add(result(label + check.name(), found));
    }
    for (OracleChecks.Outcome o : outcomes(external)) {
      problems.addAll(o.problems());
      CheckResult c = o.check();
      results.add(new CheckResult(label + c.name(), c.status(), c.detail()));
    }
    return new ValidationReport(problems, results);
  }

  private static List<OracleChecks.Outcome> outcomes(FutureTask<List<OracleChecks.Outcome>> external)
      throws IOException, InterruptedException {
    try {
      return external.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(e.getCause());
    } finally {
      external.cancel(true);
    }
  }

  private static CheckResult result(String name, List<Problem> found) {
    long errors = found.stream().filter(Problem::isError).count();
    long warnings = found.size() - errors;
    if (errors > 0) {
      return CheckResult.failed(name, errors + " error(s)" + (warnings > 0 ? ", " + warnings + " warning(s)" : ""));
    }
    return CheckResult.passed(name, warnings > 0 ? warnings + " warning(s)" : "");
  }
}
