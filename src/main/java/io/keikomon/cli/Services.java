package io.keikomon.cli;

import io.keikomon.engine.dockerjava.DockerJavaConnector;
import io.keikomon.stack.ComposeStackRuntime;
import io.keikomon.stack.SwarmStackRuntime;
import io.keikomon.stack.StackRuntime;
import io.keikomon.config.ConfigException;
import io.keikomon.config.ConfigLoader;
import io.keikomon.config.KeikoConfig;
import io.keikomon.core.Lazy;
import io.keikomon.core.Workspace;
import io.keikomon.engine.DeadlineGateway;
import io.keikomon.engine.DockerGateway;
import io.keikomon.validate.oracle.FallbackOracleRunner;
import io.keikomon.validate.oracle.InImageOracleRunner;
import io.keikomon.validate.oracle.LocalOracleRunner;
import io.keikomon.validate.oracle.OracleRunner;
import java.util.function.Supplier;

/**
 * What commands are built with. Real ones come from {@link #real}; tests pass jimfs workspaces and fakes.
 * Capabilities add their services here as they land.
 *
 * @param docker connects on first use only, so commands without Docker never load docker-java
 * @param oracles runs promtool/amtool/docker-compose for validate
 * @param stdout the process' standard output as bytes, for output that is not text ({@code backup --out -}); null
 *     where there is none (tests give one with {@link #withStdout})
 */
public record Services(Workspace workspace, boolean terminal, Supplier<DockerGateway> docker, OracleRunner oracles,
    java.io.OutputStream stdout) {
  public Services(Workspace workspace, boolean terminal, Supplier<DockerGateway> docker, OracleRunner oracles) {
    this(workspace, terminal, docker, oracles, null);
  }

  /** Services whose Docker gateway is found from the workspace's environment when first needed. */
  public Services(Workspace workspace, boolean terminal) {
    this(workspace, terminal, Lazy.of(() -> DockerJavaConnector.connect(workspace)));
  }

  /** promtool/amtool from PATH, else inside the pinned images through the same (lazy) gateway. */
  private Services(Workspace workspace, boolean terminal, Supplier<DockerGateway> docker) {
    this(workspace, terminal, docker, defaultOracles(workspace, docker));
  }

  private static OracleRunner defaultOracles(Workspace workspace, Supplier<DockerGateway> docker) {
    return new FallbackOracleRunner(new LocalOracleRunner(workspace.env()),
        new InImageOracleRunner(docker, () -> pinnedImages(workspace)));
  }

  /** A keiko.yml validate finds invalid still names images worth trying; else the defaults do. */
  private static KeikoConfig.Images pinnedImages(Workspace workspace) {
    try {
      return ConfigLoader.load(workspace).config().images();
    } catch (ConfigException e) {
      return ConfigLoader.defaults().images();
    }
  }

  public static Services real(Workspace workspace, boolean terminal) {
    return new Services(workspace, terminal);
  }

  /**
   * The running project's runtime, by keiko.yml's mode: Compose-labelled containers on the engine, or a Swarm
   * stack's services (connects on first use).
   */
  public StackRuntime stackRuntime() {
    boolean swarm;
    try {
      swarm = ConfigLoader.load(workspace).config().swarm();
    } catch (ConfigException e) {
      swarm = false; // the command that needs keiko.yml reports it
    }
    return swarm ? new SwarmStackRuntime(docker.get(), workspace.clock())
        : new ComposeStackRuntime(docker.get(), workspace.clock());
  }

  /** What the engine was asked and has not answered yet; never connects. */
  public java.util.List<String> engineCallsInFlight() {
    return docker instanceof Lazy<DockerGateway> lazy ? lazy.ifMade()
        .filter(g -> g instanceof DeadlineGateway).map(g -> ((DeadlineGateway) g).inFlight())
        .orElse(java.util.List.of()) : java.util.List.of();
  }

  public Services withDocker(DockerGateway gateway) {
    return new Services(workspace, terminal, () -> gateway, oracles, stdout);
  }

  /** The same services working in another project folder ({@code -C}). */
  public Services withWorkspace(Workspace other) {
    // The default runner reads the pinned images from the workspace's keiko.yml, so it moves along.
    OracleRunner moved = oracles instanceof FallbackOracleRunner ? defaultOracles(other, docker) : oracles;
    return new Services(other, terminal, docker, moved, stdout);
  }

  /** The same services running validate's oracles through {@code runner} (tests pass stubs). */
  public Services withOracles(OracleRunner runner) {
    return new Services(workspace, terminal, docker, runner, stdout);
  }

  /** The same services writing binary output to {@code out} (the entry point passes System.out). */
  public Services withStdout(java.io.OutputStream out) {
    return new Services(workspace, terminal, docker, oracles, out);
  }
}
