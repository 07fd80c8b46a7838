package io.keikomon.up;

import io.keikomon.core.Console;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One line per service saying what {@code up} is doing with it. On a terminal the block of lines is redrawn in
 * place as states change; otherwise (pipes, CI, NO_COLOR) each change is printed once as a plain line.
 */
public final class UpProgress {
  private static final String UP_LINES = "\u001b[%dF";
  private static final String CLEAR_LINE = "\u001b[2K";

  private final Console console;
  private final boolean live;
  private final Map<String, String> states = new LinkedHashMap<>();
  private final int width;
  private int drawn;

  /** @param live redraw in place (only when the console is an interactive terminal and colours are allowed) */
  public UpProgress(Console console, boolean live, List<String> services) {
    this.console = console;
    this.live = live;
    services.forEach(s -> states.put(s, "waiting"));
    this.width = services.stream().mapToInt(String::length).max().orElse(0);
  }

  public synchronized void set(String service, String state) {
    states.put(service, state);
    if (live) {
      redraw();
    } else {
      console.info(line(service, state));
    }
  }

  /** A warning met on the way; on a terminal it goes above the live block. */
  public synchronized void warn(String message) {
    if (live && drawn > 0) {
      above("warning: " + message);
    } else {
      console.warn(message);
    }
  }

  /** Information not about one service's state (pulls, removals); on a terminal it goes above the live block. */
  public synchronized void note(String message) {
    if (live && drawn > 0) {
      above(message);
    } else {
      console.info(message);
    }
  }

  private void above(String text) {
    console.info(String.format(UP_LINES, drawn) + CLEAR_LINE + text);
    drawn = 0;
    redraw();
  }

  private void redraw() {
    boolean first = true;
    for (Map.Entry<String, String> e : states.entrySet()) {
      String prefix = first && drawn > 0 ? String.format(UP_LINES, drawn) : "";
      console.info(prefix + CLEAR_LINE + line(e.getKey(), e.getValue()));
      first = false;
    }
    drawn = states.size();
  }

  private String line(String service, String state) {
    return String.format("%-" + Math.max(1, width) + "s  %s", service, state);
  }
}
