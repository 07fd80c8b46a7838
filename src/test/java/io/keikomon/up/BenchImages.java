package io.keikomon.up;

import io.keikomon.engine.dockerjava.DockerJavaConnector;
import io.keikomon.engine.DockerGateway;

import io.keikomon.testing.TestImages;
import io.keikomon.core.Workspace;
import java.nio.file.Path;
import java.time.Clock;

/**
 * For bin/bench-up: builds the test images through the engine ({@code BenchImages}), or prints the keiko.yml
 * {@code images:} block pointing at them ({@code BenchImages --override}).
 */
public final class BenchImages {
  private BenchImages() {}

  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals("--override")) {
      System.out.print(TestImages.imagesOverride());
      return;
    }
    try (DockerGateway docker = DockerJavaConnector.connect(
        new Workspace(Path.of("").toAbsolutePath(), System.getenv(), Clock.systemUTC()))) {
      TestImages.ensureAll(docker);
    }
  }
}
