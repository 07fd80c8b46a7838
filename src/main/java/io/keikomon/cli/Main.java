package io.keikomon.cli;

import io.keikomon.core.Workspace;
import java.nio.file.FileSystems;
import java.time.Clock;

/** Process entry point: the only place that touches System.out/err and System.exit. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    Workspace workspace = new Workspace(
        FileSystems.getDefault().getPath("").toAbsolutePath(), System.getenv(), Clock.systemUTC());
    Services services = Services.real(workspace, System.console() != null);
    int code = KeikoCli.create(services)
        .setOut(new java.io.PrintWriter(System.out, true))
        .setErr(new java.io.PrintWriter(System.err, true))
        .execute(args);
    System.exit(code);
  }
}
