package io.keikomon.up;

import io.keikomon.config.Problem;
import io.keikomon.core.Console;
import io.keikomon.core.Async;
import io.keikomon.core.Workspace;
import io.keikomon.render.JustRendered;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.FutureTask;

/**
 * Validation of the rendered folder, started as soon as render is done: promtool runs while {@code up} connects to
 * the engine and reads the stack's state, which needs none of it. Nothing is applied before {@link #await} has
 * returned. Skipped when these exact files passed before (a {@link RenderStamp}).
 */
final class BackgroundValidation {
  private final RenderStamp stamp;
  private final FutureTask<List<Problem>> task;

  private BackgroundValidation(RenderStamp stamp, FutureTask<List<Problem>> task) {
    this.stamp = stamp;
    this.task = task;
  }

  static BackgroundValidation start(Workspace ws, Path out, UpService.Validation validation,
      Optional<JustRendered> justRendered) {
    RenderStamp stamp = RenderStamp.validation(ws, out);
    if (stamp.matches()) {
      return new BackgroundValidation(stamp, null);
    }
    FutureTask<List<Problem>> task = new FutureTask<>(() -> validation.check(ws, justRendered));
    Thread t = new Thread(task, "keiko-mon-validate");
    t.setDaemon(true);
    t.start();
    return new BackgroundValidation(stamp, task);
  }

  /** Waits for the outcome: its warnings printed, the stamp saved; throws what validation threw (exit 3). */
  void await(Console console) {
    if (task == null) {
      console.info("validation skipped: these exact files passed it before");
      return;
    }
    outcome().forEach(p -> console.warn(p.render()));
    stamp.save();
  }

  /** Waits for it to end (its scratch folder removed) and ignores the outcome: nothing is applied. */
  void discard() {
    if (task != null) {
      try {
        outcome();
      } catch (RuntimeException ignored) {
        // an unchanged stack is left alone whatever validation said; the next change is validated again
      }
    }
  }

  private List<Problem> outcome() {
    return Async.await(task, "validating");
  }
}
