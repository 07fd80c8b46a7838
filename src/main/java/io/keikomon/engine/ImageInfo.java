package io.keikomon.engine;

import java.util.List;
import java.util.Map;

/** A local image: its id, tags and the labels it was built with. */
public record ImageInfo(String id, List<String> tags, Map<String, String> labels) {
  public ImageInfo {
    tags = List.copyOf(tags);
    labels = Map.copyOf(labels);
  }
}
