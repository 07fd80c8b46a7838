package io.keikomon.content;

/** One recording rule: {@code record} is the new series name, level:metric:operations. */
public record RecordingRule(String record, String expr) {}
