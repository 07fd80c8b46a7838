package io.keikomon.validate.oracle;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one external checker (promtool, amtool, docker-compose) on files below {@code dir}, a real
 * directory holding a copy of the output folder. Arguments are paths relative to {@code dir}, so an
 * implementation may run the tool anywhere that folder is visible (the local PATH, or a container with
 * the folder mounted). Several tools may run at the same time, so implementations must be thread-safe.
 */
public interface OracleRunner {
  ToolRun run(Tool tool, Path dir, List<String> args) throws InterruptedException;

  /**
   * Tries each runner in turn and uses the first that can run the tool (e.g. the local binary, then the
   * pinned image). When none can, the reasons and hints of all of them are joined.
   */
  static OracleRunner firstAvailable(List<OracleRunner> runners) {
    List<OracleRunner> chain = List.copyOf(runners);
    return (tool, dir, args) -> {
      List<String> reasons = new ArrayList<>();
      List<String> hints = new ArrayList<>();
      for (OracleRunner r : chain) {
        ToolRun run = r.run(tool, dir, args);
        if (run instanceof ToolRun.Done) {
          return run;
        }
        ToolRun.Unavailable u = (ToolRun.Unavailable) run;
        reasons.add(u.reason());
        hints.add(u.hint());
      }
      return new ToolRun.Unavailable(String.join("; ", reasons), String.join(", or ", hints));
    };
  }
}
