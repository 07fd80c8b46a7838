package io.keikomon.cli;

import io.keikomon.backup.InvalidArchiveException;
import io.keikomon.config.ConfigException;
import io.keikomon.config.Problem;
import io.keikomon.core.ConfirmationRequiredException;
import io.keikomon.core.DockerUnavailableException;
import io.keikomon.core.FileAccessException;
import io.keikomon.core.KeikoException;
import io.keikomon.core.UnhealthyException;
import java.io.IOException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IExitCodeExceptionMapper;
import picocli.CommandLine.ParseResult;

/** The one place that turns exceptions into messages and exit codes. */
final class ErrorReporter implements IExecutionExceptionHandler, IExitCodeExceptionMapper {

  @Override
  public int getExitCode(Throwable t) {
    if (t instanceof ConfigException || t instanceof InvalidArchiveException) {
      return ExitCodes.INVALID_CONFIG;
    }
    if (t instanceof DockerUnavailableException) {
      return ExitCodes.DOCKER_UNAVAILABLE;
    }
    if (t instanceof UnhealthyException) {
      return ExitCodes.UNHEALTHY;
    }
    if (t instanceof CommandLine.ParameterException || t instanceof ConfirmationRequiredException) {
      return ExitCodes.USAGE;
    }
    return ExitCodes.FAILED;
  }

  @Override
  public int handleExecutionException(Exception thrown, CommandLine cmd, ParseResult parsed) {
    PrintWriter err = cmd.getErr();
    // a full disk or a read-only folder is the machine's state, not a bug: say which path and what to do
    IOException io = thrown instanceof KeikoException ? null : FileAccessException.ioCause(thrown);
    Exception ex = io != null ? FileAccessException.of(io) : thrown;
    boolean stacktrace = parsed.hasMatchedOption("--stacktrace")
        || (parsed.commandSpec().root().userObject() instanceof RootCommand root && root.stacktrace);
    if (ex instanceof ConfigException ce) {
      for (Problem p : ce.problems()) {
        err.println(p.render());
      }
      long errors = ce.problems().stream().filter(Problem::isError).count();
      err.println("error: " + errors + (errors == 1 ? " problem" : " problems") + " found; nothing was written");
    } else if (ex instanceof KeikoException ke) {
      err.println("error: " + ke.getMessage());
      if (ke.hint() != null) {
        err.println("hint: " + ke.hint());
      }
    } else {
      err.println("error: " + ex);
      if (!stacktrace) {
        err.println("(this is a bug in keiko-mon; run again with --stacktrace and report it)");
      }
    }
    if (stacktrace) {
      ex.printStackTrace(err);
    }
    err.flush();
    return getExitCode(ex);
  }
}
