package io.keikomon.validate.oracle;

import io.keikomon.validate.oracle.OracleRunner;
import io.keikomon.validate.oracle.Tool;
import io.keikomon.validate.oracle.ToolRun;
import java.nio.file.Path;
import java.util.List;

/** Tries the first runner (the local PATH) and, when it cannot run the tool, the second (inside an image). */
public final class FallbackOracleRunner implements OracleRunner {
  private final OracleRunner first;
  private final OracleRunner second;

  public FallbackOracleRunner(OracleRunner first, OracleRunner second) {
    this.first = first;
    this.second = second;
  }

  @Override
  public ToolRun run(Tool tool, Path dir, List<String> args) throws InterruptedException {
    ToolRun local = first.run(tool, dir, args);
    if (!(local instanceof ToolRun.Unavailable notHere)) {
      return local;
    }
    ToolRun fallback = second.run(tool, dir, args);
    if (fallback instanceof ToolRun.Unavailable notThere) {
      return new ToolRun.Unavailable(notHere.reason() + "; " + notThere.reason(), notThere.hint());
    }
    return fallback;
  }
}
