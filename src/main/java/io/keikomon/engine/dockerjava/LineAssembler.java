package io.keikomon.engine.dockerjava;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Turns the engine's log frames, which split and join lines arbitrarily, back into whole lines.
 * One per stream (stdout, stderr); not thread-safe, frames of one stream arrive in order.
 */
public final class LineAssembler {
  private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
  private final Consumer<String> sink;

  LineAssembler(Consumer<String> sink) {
    this.sink = sink;
  }

  void accept(byte[] bytes) {
    for (byte b : bytes) {
      if (b == '\n') {
        emit();
      } else {
        pending.write(b);
      }
    }
  }

  /** Emits what is left when the stream ends without a final line break. */
  void finish() {
    if (pending.size() > 0) {
      emit();
    }
  }

  private void emit() {
    String line = pending.toString(StandardCharsets.UTF_8);
    pending.reset();
    sink.accept(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
  }
}
