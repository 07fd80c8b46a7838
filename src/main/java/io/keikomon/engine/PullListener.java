package io.keikomon.engine;

/** Receives the engine's progress messages while an image is pulled. */
@FunctionalInterface
public interface PullListener {
  /**
   * @param layer the layer id the message is about, or null for messages about the whole image
   * @param status e.g. "Downloading", "Pull complete"
   * @param current bytes done so far, or -1 when unknown
   * @param total bytes in all, or -1 when unknown
   */
  void progress(String layer, String status, long current, long total);

  PullListener NONE = (layer, status, current, total) -> {};
}
