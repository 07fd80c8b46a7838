package io.keikomon.content;

/** A panel's place on Grafana's 24-column grid; h is in rows of 30 px. */
public record GridPos(int x, int y, int w, int h) {}
