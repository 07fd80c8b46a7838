package io.keikomon.cli;

import io.keikomon.config.ConfigLoader;
import io.keikomon.config.KeikoConfig;
import io.keikomon.core.Workspace;
import io.keikomon.render.RenderPlan;
import io.keikomon.stack.Stack;
import java.nio.file.Path;

/** The {@link Stack} that status, logs and down work on: keiko.yml's project and output folder. */
final class StackCommands {
  private StackCommands() {}

  static Stack find(Services services) {
    Workspace ws = services.workspace();
    KeikoConfig config = ConfigLoader.load(ws).config();
    Path output = ws.dir().resolve(config.output());
    return services.stackRuntime().find(config.project(), output, output.resolve(RenderPlan.stackFile(config)));
  }
}
