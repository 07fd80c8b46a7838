package io.keikomon.engine;

/** What a command run inside a container ({@link DockerGateway#exec}) produced. */
public record ExecResult(int exitCode, String stdout, String stderr) {
  /** The exit code reported when the command did not finish in time (it may still be running). */
  public static final int TIMED_OUT = -1;

  public boolean timedOut() {
    return exitCode == TIMED_OUT;
  }

  /** stdout followed by stderr, the way a terminal would mostly show it. */
  public String output() {
    if (stderr.isEmpty()) {
      return stdout;
    }
    if (stdout.isEmpty() || stdout.endsWith("\n")) {
      return stdout + stderr;
    }
    return stdout + "\n" + stderr;
  }
}
