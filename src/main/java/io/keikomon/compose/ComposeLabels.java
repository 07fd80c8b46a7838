package io.keikomon.compose;

/**
 * Label keys Docker Compose puts on what it creates (compose pkg/api/labels.go). keiko-mon sets the same
 * ones so {@code docker-compose -p PROJECT ps/logs/down} recognise its containers, and finds its own
 * resources by them.
 */
public final class ComposeLabels {
  public static final String PROJECT = "com.docker.compose.project";
  public static final String SERVICE = "com.docker.compose.service";
  public static final String ONEOFF = "com.docker.compose.oneoff";
  public static final String CONTAINER_NUMBER = "com.docker.compose.container-number";
  public static final String VERSION = "com.docker.compose.version";
  public static final String WORKING_DIR = "com.docker.compose.project.working_dir";
  public static final String CONFIG_FILES = "com.docker.compose.project.config_files";
  public static final String CONFIG_HASH = "com.docker.compose.config-hash";
  public static final String DEPENDS_ON = "com.docker.compose.depends_on";
  public static final String NETWORK = "com.docker.compose.network";
  public static final String VOLUME = "com.docker.compose.volume";

  private ComposeLabels() {}
}
