package io.keikomon.cli;

import io.keikomon.core.Workspace;
import io.keikomon.engine.dockerjava.DockerJavaConnector;
import io.keikomon.stack.ApiWarmUp;
import io.keikomon.stack.EngineWarmUp;
import io.keikomon.render.RenderService;
import io.keikomon.up.UpWarmUp;
import io.keikomon.validate.ValidateService;
import io.keikomon.validate.oracle.ToolRun;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;

/**
 * Hidden: the training run bin/keiko-mon records its class-data-sharing archive from. It renders the
 * embedded default into a scratch folder, then validates it, reads the engine and plans `up` for a project that is
 * not there (changing nothing), so the archive holds the classes those commands load.
 */
@Command(name = "cds-training", hidden = true)
final class CdsTrainingCommand implements Callable<Integer> {
  private final Services services;

  CdsTrainingCommand(Services services) {
    this.services = services;
  }

  @Override
  public Integer call() throws IOException, InterruptedException {
    Path scratch = Files.createTempDirectory("keiko-mon-cds");
    try {
      Workspace ws = new Workspace(scratch, Map.of(), services.workspace().clock());
      PrintWriter sink = new PrintWriter(Writer.nullWriter());
      new RenderService(ws, new WriterConsole(sink, sink, false)).render(new RenderService.Options(false, false));
      EngineWarmUp.run(() -> DockerJavaConnector.connect(services.workspace())); // the raw reads
      DockerJavaConnector.warmUpDockerJava(services.workspace(), "keiko-mon-cds-training"); // and docker-java's
      // validate's own checks as `up` runs them; the external tools are not started
      new ValidateService((tool, dir, args) -> new ToolRun.Unavailable("a training run", "")).validate(ws);
      UpWarmUp.run(ws, () -> DockerJavaConnector.connect(services.workspace()));
      ApiWarmUp.run(scratch);
      loadOwnClasses();
    } finally {
      try (Stream<Path> files = Files.walk(scratch)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    return ExitCodes.OK;
  }

  /**
   * Every keiko-mon class, loaded (not initialised) so the archive holds them all: the run above does not reach every
   * path (a rule change's `up` loaded 60 of its classes from the jar, each read, parsed and verified at start).
   */
  private static void loadOwnClasses() throws IOException {
    Path jar;
    try {
      jar = Path.of(CdsTrainingCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (java.net.URISyntaxException | SecurityException e) {
      return;
    }
    if (!Files.isRegularFile(jar)) {
      return; // run from a classes folder (tests): nothing is archived
    }
    ClassLoader loader = CdsTrainingCommand.class.getClassLoader();
    try (java.util.jar.JarFile file = new java.util.jar.JarFile(jar.toFile())) {
      file.stream().map(java.util.jar.JarEntry::getName)
          .filter(n -> n.startsWith("io/keikomon/") && n.endsWith(".class"))
          .forEach(n -> {
            try {
              Class.forName(n.substring(0, n.length() - ".class".length()).replace('/', '.'), false, loader);
            } catch (ClassNotFoundException | LinkageError skipped) {
              // a class that cannot load here is loaded (and reported) where it is used
            }
          });
    }
  }
}
