package io.keikomon.validate.oracle;

/** The external checkers validate runs, and how to get each on Debian/Ubuntu. */
public enum Tool {
  PROMTOOL("promtool", "apt-get install prometheus"),
  AMTOOL("amtool", "apt-get install prometheus-alertmanager"),
  DOCKER_COMPOSE("docker-compose", "apt-get install docker-compose");

  private final String command;
  private final String install;

  Tool(String command, String install) {
    this.command = command;
    this.install = install;
  }

  public String command() {
    return command;
  }

  /** How to install it. */
  public String install() {
    return install;
  }
}
