package io.keikomon.content;

/** One step of a panel's thresholds: from {@code value} on (null: the base, below every other step) in {@code color}. */
public record ThresholdStep(Double value, String color) {}
