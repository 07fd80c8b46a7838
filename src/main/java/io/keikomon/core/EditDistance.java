package io.keikomon.core;

/** Levenshtein edit distance, for "did you mean" suggestions (config keys, metric names). */
public final class EditDistance {
  private EditDistance() {}

  /** Insertions, deletions and substitutions that turn {@code a} into {@code b}. */
  public static int levenshtein(String a, String b) {
    return levenshtein(a, b, Integer.MAX_VALUE);
  }

  /** Levenshtein distance, giving up (returning {@code limit}) once it cannot be below it. */
  public static int levenshtein(String a, String b, int limit) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      int rowMin = cur[0];
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
        rowMin = Math.min(rowMin, cur[j]);
      }
      if (rowMin >= limit) {
        return limit;
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
