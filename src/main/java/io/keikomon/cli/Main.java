package io.keikomon.cli;

import io.keikomon.core.Workspace;
import java.nio.file.FileSystems;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicBoolean;

/** Process entry point: the only place that touches System.out/err and System.exit. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    Workspace workspace = new Workspace(
        FileSystems.getDefault().getPath("").toAbsolutePath(), System.getenv(), Clock.systemUTC());
    Services services = Services.real(workspace, System.console() != null).withStdout(System.out);
    // SIGINT/SIGTERM run the shutdown hooks and end the JVM with 130/143; say what was cut short. (Locks release
    // themselves in their own hooks; everything keiko-mon writes is atomic, so nothing is left half-written.)
    AtomicBoolean finished = new AtomicBoolean();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      if (!finished.get()) {
        System.out.flush();
        System.err.println();
        System.err.println(Interruption.message(args, services.engineCallsInFlight()));
        System.err.flush();
      }
    }, "keiko-mon-interrupted"));
    int code = KeikoCli.forArgs(services, args)
        .setOut(new java.io.PrintWriter(System.out, true))
        .setErr(new java.io.PrintWriter(System.err, true))
        .execute(args);
    finished.set(true);
    System.exit(code);
  }
}
