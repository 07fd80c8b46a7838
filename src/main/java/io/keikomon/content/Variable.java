package io.keikomon.content;

/** A query template variable over the Prometheus datasource; multi-select with "All" (matching .+). */
public record Variable(String name, String label, String query) {}
