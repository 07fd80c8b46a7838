package io.keikomon.doctor;

/**
 * How bad a finding is: {@code ERROR} breaks the symptom's chain (exit 5), {@code WARNING} may, {@code INFO} was
 * checked and is fine (or only worth knowing).
 */
public enum Severity {
  ERROR, WARNING, INFO;

  public String word() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
