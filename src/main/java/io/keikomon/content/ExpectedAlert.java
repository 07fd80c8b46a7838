package io.keikomon.content;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/** An alert promtool must see firing: every label except alertname, and every annotation, expanded. */
public record ExpectedAlert(Map<String, String> labels, Map<String, String> annotations) {
  public ExpectedAlert {
    labels = Collections.unmodifiableMap(new TreeMap<>(labels));
    annotations = Collections.unmodifiableMap(new TreeMap<>(annotations));
  }
}
