package io.keikomon.cli;

/** The documented exit codes (listed in --help by {@link RootCommand}). */
public final class ExitCodes {
  public static final int OK = 0;
  public static final int FAILED = 1;
  public static final int USAGE = 2;
  public static final int INVALID_CONFIG = 3;
  public static final int DOCKER_UNAVAILABLE = 4;
  public static final int UNHEALTHY = 5;
  /** status: every container is healthy, but a monitored target is down or an exporter cannot reach its service. */
  public static final int TARGETS_FAILING = 6;

  private ExitCodes() {}
}
