package io.keikomon.content;

/** A promtool input series: {@code series} in selector notation, {@code values} in expanding notation. */
public record InputSeries(String series, String values) {}
