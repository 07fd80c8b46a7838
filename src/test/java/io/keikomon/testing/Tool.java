package io.keikomon.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a command-line tool to completion; a missing tool is an error, never a skip. */
public record Tool(int exitCode, String output) {
  /** Readable as an assertion message. */
  @Override
  public String toString() {
    return "exit " + exitCode + "\n" + output;
  }

  public static Tool run(Path dir, String... command) {
    try {
      Process p = new ProcessBuilder(List.of(command)).directory(dir.toFile()).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + " did not finish in 120 s");
      }
      return new Tool(p.exitValue(), out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command[0] + " (is it installed? bin/test-setup installs it)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
