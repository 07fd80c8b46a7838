package io.keikomon.cli;

import io.keikomon.core.Lazy;
import io.keikomon.core.Workspace;
import io.keikomon.docker.DockerGateway;
import io.keikomon.docker.EngineConnector;
import io.keikomon.validate.oracle.LocalOracleRunner;
import io.keikomon.validate.oracle.OracleRunner;
import java.util.function.Supplier;

/**
 * What commands are built with. Real ones come from {@link #real}; tests pass jimfs workspaces and fakes.
 * Capabilities add their services here as they land.
 *
 * @param docker connects on first use only, so commands without Docker never load docker-java
 * @param oracles runs promtool/amtool/docker-compose for validate
 */
public record Services(Workspace workspace, boolean terminal, Supplier<DockerGateway> docker, OracleRunner oracles) {
  /** Services whose Docker gateway is found from the workspace's environment when first needed. */
  public Services(Workspace workspace, boolean terminal) {
    this(workspace, terminal, Lazy.of(() -> EngineConnector.connect(workspace)), new LocalOracleRunner(workspace.env()));
  }

  public static Services real(Workspace workspace, boolean terminal) {
    return new Services(workspace, terminal);
  }

  /** The same services talking to {@code gateway} (tests pass fakes). */
  public Services withDocker(DockerGateway gateway) {
    return new Services(workspace, terminal, () -> gateway, oracles);
  }

  /** The same services running validate's oracles through {@code runner} (tests pass stubs). */
  public Services withOracles(OracleRunner runner) {
    return new Services(workspace, terminal, docker, runner);
  }
}
