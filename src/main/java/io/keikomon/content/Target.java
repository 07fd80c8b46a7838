package io.keikomon.content;

/** One query of a panel. {@code instant} targets return a table row set instead of a time series. */
public record Target(String refId, String expr, String legendFormat, boolean instant) {}
