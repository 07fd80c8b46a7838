package io.keikomon.up;

import io.keikomon.compose.ComposeModel;
import io.keikomon.compose.ComposeParser;
import io.keikomon.core.KeikoException;
import io.keikomon.core.Workspace;
import io.keikomon.engine.DockerGateway;
import io.keikomon.render.RenderPlan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * What `up` runs in Java between render and the first change, on a folder rendered for the launcher's
 * class-data-sharing training run: reading the compose file, and the plan against the engine for a project that
 * does not exist there. Reads only; without it the archive lacks these classes and every `up` loads and verifies
 * them from the jar.
 */
public final class UpWarmUp {
  private static final String NO_SUCH_PROJECT = "keiko-mon-cds-training";

  private UpWarmUp() {}

  /** Best effort: a failure only leaves those classes out of the archive. */
  public static void run(Workspace rendered, Supplier<DockerGateway> connect) {
    try {
      Path compose = rendered.dir().resolve("monitoring").resolve(RenderPlan.COMPOSE_FILE);
      ComposeModel model = new ComposeParser(rendered.env())
          .parse(compose.toAbsolutePath(), RenderPlan.COMPOSE_FILE, Files.readString(compose), NO_SUCH_PROJECT).model();
      try (DockerGateway docker = connect.get()) {
        new StackUp(docker, new ReloadLedger(rendered.dir().resolve(UpService.RELOAD_LEDGER))).prepare(model);
      }
    } catch (IOException | KeikoException e) {
      // no engine, or nothing rendered: nothing more to record
    }
  }
}
