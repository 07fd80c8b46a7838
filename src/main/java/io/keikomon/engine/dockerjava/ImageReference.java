package io.keikomon.engine.dockerjava;

/**
 * An image reference split the way the pull API wants it: {@code registry:5000/team/prometheus:v3} is
 * repository {@code registry:5000/team/prometheus} and tag {@code v3}; a digest ({@code @sha256:...}) takes the
 * tag's place; no tag means {@code latest}.
 */
public record ImageReference(String repository, String tagOrDigest) {

  static ImageReference parse(String reference) {
    int at = reference.indexOf('@');
    if (at >= 0) {
      return new ImageReference(reference.substring(0, at), reference.substring(at + 1));
    }
    int colon = reference.lastIndexOf(':');
    if (colon > reference.lastIndexOf('/')) {
      return new ImageReference(reference.substring(0, colon), reference.substring(colon + 1));
    }
    return new ImageReference(reference, "latest");
  }
}
