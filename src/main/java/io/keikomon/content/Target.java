package io.keikomon.content;

/**
 * One query of a panel. {@code instant} targets return a table row set instead of a time series;
 * {@code unit} (Grafana unit id, or empty for the panel's) is the column's in a table; {@code exemplar}
 * asks Prometheus for the exemplars (trace ids) of the selected histogram.
 */
public record Target(String refId, String expr, String legendFormat, boolean instant, String unit, boolean exemplar) {}
