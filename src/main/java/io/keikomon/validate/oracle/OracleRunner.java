package io.keikomon.validate.oracle;

import java.nio.file.Path;
import java.util.List;

/**
 * Runs one external checker (promtool, amtool, docker-compose) on files below {@code dir}, a real
 * directory holding a copy of the output folder. Arguments are paths relative to {@code dir}, so an
 * implementation may run the tool anywhere that folder is visible (the local PATH, or a container with
 * the folder mounted). Several tools may run at the same time, so implementations must be thread-safe.
 */
public interface OracleRunner {
  ToolRun run(Tool tool, Path dir, List<String> args) throws InterruptedException;
}
