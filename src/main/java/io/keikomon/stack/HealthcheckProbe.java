package io.keikomon.stack;

import io.keikomon.engine.DockerGateway;
import io.keikomon.engine.ExecResult;
import java.time.Duration;
import java.util.List;

/**
 * Runs a service's own healthcheck command inside its container, as Docker would. {@code up} uses it while it
 * waits (Docker before 25 runs the first check only one interval after start) and {@code status} uses it when Docker
 * still says {@code starting}, so both give the same verdict at the same moment.
 */
public final class HealthcheckProbe {
  private HealthcheckProbe() {}

  /** The compose {@code healthcheck.test} ({@code CMD ...} or {@code CMD-SHELL ...}) as an exec command line. */
  public static List<String> command(List<String> test) {
    return test.get(0).equals("CMD-SHELL") ? List.of("/bin/sh", "-c", test.get(1)) : test.subList(1, test.size());
  }

  /** One run; exit code 0 means healthy. */
  public static ExecResult run(DockerGateway docker, String containerId, List<String> test, Duration timeout) {
    return docker.exec(containerId, command(test), timeout);
  }
}
