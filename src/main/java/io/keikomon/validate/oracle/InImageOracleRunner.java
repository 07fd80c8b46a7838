package io.keikomon.validate.oracle;

import io.keikomon.core.TarWriter;
import io.keikomon.engine.ContainerSpec;
import io.keikomon.engine.DockerGateway;
import io.keikomon.engine.LogRequest;
import io.keikomon.engine.PullListener;
import io.keikomon.engine.Subscription;

import io.keikomon.config.KeikoConfig;
import io.keikomon.core.DockerUnavailableException;
import io.keikomon.core.KeikoException;
import io.keikomon.validate.oracle.OracleRunner;
import io.keikomon.validate.oracle.Tool;
import io.keikomon.validate.oracle.ToolRun;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Runs promtool or amtool inside the pinned Prometheus or Alertmanager image (keiko.yml {@code images:}),
 * for hosts that have Docker but not the tools. The folder is copied into a fresh container rather than
 * bind-mounted, so it also works against a remote engine; the container is removed afterwards.
 */
public final class InImageOracleRunner implements OracleRunner {
  static final String WORK_DIR = "/keiko-validate";
  private static final Duration TIMEOUT = Duration.ofSeconds(120);

  private final Supplier<DockerGateway> docker;
  private final Supplier<KeikoConfig.Images> images;
  private final Map<String, ToolRun.Unavailable> unusable = new ConcurrentHashMap<>();

  public InImageOracleRunner(Supplier<DockerGateway> docker, Supplier<KeikoConfig.Images> images) {
    this.docker = docker;
    this.images = images;
  }

  @Override
  public ToolRun run(Tool tool, Path dir, List<String> args) throws InterruptedException {
    String image = switch (tool) {
      case PROMTOOL -> images.get().prometheus();
      case AMTOOL -> images.get().alertmanager();
      default -> null;
    };
    if (image == null) {
      return new ToolRun.Unavailable("no image of the stack carries " + tool.command(), tool.install());
    }
    ToolRun.Unavailable known = unusable.get(image);
    if (known != null) {
      return known;
    }
    DockerGateway gateway;
    try {
      gateway = docker.get();
    } catch (DockerUnavailableException e) {
      return remember(image, new ToolRun.Unavailable("cannot run it inside " + image + ": " + e.getMessage(),
          tool.install() + ", or start Docker so keiko-mon can run " + tool.command() + " inside " + image));
    }
    try {
      if (!gateway.imageExists(image)) {
        gateway.pullImage(image, PullListener.NONE);
      }
    } catch (KeikoException e) {
      return remember(image, new ToolRun.Unavailable("cannot run it inside " + image + ": " + e.getMessage(),
          tool.install() + ", or point keiko.yml `images:` at a mirror or a local tag that has /bin/" + tool.command()));
    }
    return runIn(gateway, image, tool, dir, args);
  }

  /** One failed pull (or missing engine) per image is enough: validate runs promtool up to three times. */
  private ToolRun.Unavailable remember(String image, ToolRun.Unavailable reason) {
    unusable.put(image, reason);
    return reason;
  }

  private static ToolRun runIn(DockerGateway gateway, String image, Tool tool, Path dir, List<String> args) {
    ContainerSpec spec = ContainerSpec.builder("keiko-validate-" + UUID.randomUUID().toString().substring(0, 8), image)
        .entrypoint(List.of("/bin/" + tool.command()))
        .cmd(args)
        .workingDir(WORK_DIR)
        .networkMode("none")
        // so a container left behind by a killed run can be found: docker ps -a --filter label=keiko-mon.oneoff
        .label("keiko-mon.oneoff", "validate")
        .build();
    String via = tool.command() + " in " + image + " (Docker)";
    String id = null;
    try {
      id = gateway.createContainer(spec);
      gateway.copyIn(id, "/", new ByteArrayInputStream(archive(dir)));
      gateway.startContainer(id);
      int exit = gateway.waitForExit(id, TIMEOUT);
      StringBuilder output = new StringBuilder();
      try (Subscription logs = gateway.logs(id, LogRequest.all(), (err, line) -> output.append(line).append('\n'))) {
        logs.awaitCompletion(TIMEOUT);
      }
      return new ToolRun.Done(exit, output.toString(), via);
    } catch (KeikoException e) {
      return new ToolRun.Unavailable("cannot run " + via + ": " + e.getMessage(),
          "check the image with `docker run --rm --entrypoint /bin/" + tool.command() + " " + image + " --version`");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new ToolRun.Unavailable("interrupted while running " + via, "run validate again");
    } finally {
      if (id != null) {
        gateway.removeContainer(id, true);
      }
    }
  }

  /** The folder as a tar whose entries sit below {@link #WORK_DIR}, readable by any user. */
  static byte[] archive(Path dir) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    String root = WORK_DIR.substring(1);
    try (TarWriter tar = new TarWriter(bytes, 0); Stream<Path> walk = Files.walk(dir)) {
      tar.directory(root, 0755, 0, 0);
      for (Path p : (Iterable<Path>) walk.sorted()::iterator) {
        if (p.equals(dir)) {
          continue;
        }
        String name = root + "/" + dir.relativize(p).toString().replace('\\', '/');
        if (Files.isDirectory(p)) {
          tar.directory(name, 0755, 0, 0);
        } else if (Files.isRegularFile(p)) {
          tar.file(name, Files.readAllBytes(p), 0644, 0, 0);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }
}
