package io.keikomon.config;

import io.keikomon.core.EditDistance;
import java.util.Collection;
import java.util.Optional;

/** Suggests the closest known word for a misspelt one (edit distance, '-' and '_' treated alike). */
final class DidYouMean {
  private DidYouMean() {}

  static Optional<String> closest(String word, Collection<String> candidates) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String c : candidates) {
      int d = EditDistance.levenshtein(normalise(word), normalise(c));
      if (d < bestDistance) {
        best = c;
        bestDistance = d;
      }
    }
    // Beyond a third of the word the "suggestion" is usually a different word altogether.
    int allowed = Math.max(2, word.length() / 3);
    return bestDistance <= allowed ? Optional.ofNullable(best) : Optional.empty();
  }

  private static String normalise(String s) {
    return s.toLowerCase(java.util.Locale.ROOT).replace('-', '_');
  }
}
