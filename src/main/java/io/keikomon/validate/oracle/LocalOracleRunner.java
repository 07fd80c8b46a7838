package io.keikomon.validate.oracle;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/** Runs the tools from the PATH of the given environment. */
public final class LocalOracleRunner implements OracleRunner {
  private static final long TIMEOUT_SECONDS = 120;
  private final Map<String, String> env;

  public LocalOracleRunner(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  /** The tool's executable on PATH, if any. */
  public Optional<Path> find(Tool tool) {
    String path = env.getOrDefault("PATH", "");
    for (String dir : path.split(Pattern.quote(java.io.File.pathSeparator))) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = FileSystems.getDefault().getPath(dir, tool.command());
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  @Override
  public ToolRun run(Tool tool, Path dir, List<String> args) throws InterruptedException {
    Optional<Path> exe = find(tool);
    if (exe.isEmpty()) {
      return new ToolRun.Unavailable(tool.command() + " is not on PATH", tool.install());
    }
    List<String> command = new ArrayList<>();
    command.add(exe.get().toString());
    command.addAll(args);
    try {
      // output goes to a file so the timeout below works even if the tool never closes its output
      Path log = Files.createTempFile("keiko-" + tool.command(), ".log");
      try {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
            .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          return new ToolRun.Unavailable(tool.command() + " did not finish within " + TIMEOUT_SECONDS + " s",
              "run it by hand to see why: " + String.join(" ", command));
        }
        return new ToolRun.Done(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8), exe.get().toString());
      } finally {
        Files.deleteIfExists(log);
      }
    } catch (IOException e) {
      return new ToolRun.Unavailable("cannot run " + exe.get() + ": " + e.getMessage(), tool.install());
    }
  }
}
