package io.keikomon.content;

/** A panel's place on Grafana's 24-column grid; h is in rows of 30 px. */
public record GridPos(int x, int y, int w, int h) {
  public boolean overlaps(GridPos o) {
    return x < o.x + o.w && o.x < x + w && y < o.y + o.h && o.y < y + h;
  }
}
