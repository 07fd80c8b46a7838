package io.keikomon.content;

import java.util.ArrayList;
import java.util.List;

/**
 * Places panels left to right in rows of 24 columns, wrapping when a panel does not fit; a row header
 * always starts a new line. Ids count up from 1 in placement order, so they are unique by construction.
 */
final class DashboardLayout {
  static final int COLUMNS = 24;

  /** What a panel shows, before it has a place. {@code unit} is a table column's ("" for the panel's). */
  record Query(String expr, String legend, boolean instant, String unit, boolean exemplar) {
    static Query of(String expr, String legend) {
      return new Query(expr, legend, false, "", false);
    }

    static Query instant(String expr, String legend, String unit) {
      return new Query(expr, legend, true, unit, false);
    }

    /** The same query asking for the exemplars of its histogram (when {@code on}). */
    Query exemplar(boolean on) {
      return new Query(expr, legend, instant, unit, on);
    }
  }

  private final List<Panel> panels = new ArrayList<>();
  private int x;
  private int y;
  private int lineHeight;

  DashboardLayout row(String title) {
    newLine();
    panels.add(new Panel(panels.size() + 1, "row", title, "", "", new GridPos(0, y, COLUMNS, 1), List.of(),
        List.of(), List.of()));
    y += 1;
    return this;
  }

  DashboardLayout panel(String type, String title, String description, String unit, int w, int h, Query... queries) {
    if (w < 1 || w > COLUMNS) {
      throw new IllegalArgumentException("panel width must be 1.." + COLUMNS + ": " + title);
    }
    if (x + w > COLUMNS) {
      newLine();
    }
    List<Target> targets = new ArrayList<>();
    for (int i = 0; i < queries.length; i++) {
      Query q = queries[i];
      targets.add(new Target(String.valueOf((char) ('A' + i)), q.expr(), q.legend(), q.instant(), q.unit(),
          q.exemplar()));
    }
    panels.add(new Panel(panels.size() + 1, type, title, description, unit, new GridPos(x, y, w, h), targets,
        List.of(), List.of()));
    x += w;
    lineHeight = Math.max(lineHeight, h);
    return this;
  }

  /** Gives the panel placed last these thresholds (none when empty). */
  DashboardLayout thresholds(List<ThresholdStep> steps) {
    Panel last = panels.remove(panels.size() - 1);
    panels.add(last.with(steps, last.mappings()));
    return this;
  }

  /** Gives the panel placed last these value mappings. */
  DashboardLayout states(List<ValueMapping> mappings) {
    Panel last = panels.remove(panels.size() - 1);
    panels.add(last.with(last.thresholds(), mappings));
    return this;
  }

  List<Panel> panels() {
    return List.copyOf(panels);
  }

  private void newLine() {
    y += lineHeight;
    x = 0;
    lineHeight = 0;
  }
}
