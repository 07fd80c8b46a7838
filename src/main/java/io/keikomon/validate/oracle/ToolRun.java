package io.keikomon.validate.oracle;

/** What happened when an {@link OracleRunner} was asked to run a tool. */
public sealed interface ToolRun {
  /** The tool ran; {@code output} is stdout and stderr interleaved; {@code via} says where it ran. */
  record Done(int exitCode, String output, String via) implements ToolRun {}

  /** The tool could not be run here; {@code hint} says how to make it available. */
  record Unavailable(String reason, String hint) implements ToolRun {}
}
