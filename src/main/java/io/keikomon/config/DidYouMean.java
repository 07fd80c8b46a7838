package io.keikomon.config;

import java.util.Collection;
import java.util.Optional;

/** Suggests the closest known word for a misspelt one (edit distance, '-' and '_' treated alike). */
final class DidYouMean {
  private DidYouMean() {}

  static Optional<String> closest(String word, Collection<String> candidates) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String c : candidates) {
      int d = distance(normalise(word), normalise(c));
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

  /** Levenshtein distance. */
  static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
