package io.keikomon.content;

import java.util.List;

/** A rule group of recording.yml. */
public record RecordingGroup(String name, List<RecordingRule> rules) {
  public RecordingGroup {
    rules = List.copyOf(rules);
  }
}
