package io.keikomon.doctor;

import java.util.Arrays;

/** The three documented problems doctor can be asked about; each names the chain of checks it runs. */
public enum Symptom {
  METRICS("metrics"),
  NO_DATA("no-data"),
  ALERTS("alerts");

  private final String word;

  Symptom(String word) {
    this.word = word;
  }

  public String word() {
    return word;
  }

  /** The symptom spelled {@code word} on the command line. */
  public static Symptom of(String word) {
    return Arrays.stream(values()).filter(s -> s.word.equals(word)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown symptom " + word));
  }
}
