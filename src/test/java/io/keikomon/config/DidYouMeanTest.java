package io.keikomon.config;

import io.keikomon.core.EditDistance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DidYouMeanTest {
  private static final List<String> KEYS = List.of("retention", "scrape_interval", "evaluation_interval");

  @Test
  void suggestsTheNearestKey() {
    assertEquals(Optional.of("retention"), DidYouMean.closest("retension", KEYS));
    assertEquals(Optional.of("scrape_interval"), DidYouMean.closest("scrape-interval", KEYS));
    assertEquals(Optional.of("evaluation_interval"), DidYouMean.closest("evalution_interval", KEYS));
  }

  @Test
  void staysQuietWhenNothingIsClose() {
    assertEquals(Optional.empty(), DidYouMean.closest("storage", KEYS));
  }

  @Test
  void distanceIsLevenshtein() {
    assertEquals(3, EditDistance.levenshtein("kitten", "sitting"));
    assertEquals(0, EditDistance.levenshtein("a", "a"));
    assertEquals(2, EditDistance.levenshtein("", "ab"));
  }
}
