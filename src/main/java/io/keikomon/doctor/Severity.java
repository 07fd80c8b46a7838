package io.keikomon.doctor;

/** How bad a finding is: {@code FAIL} breaks the symptom's chain, {@code WARN} may, {@code OK} was checked and fine. */
public enum Severity {
  OK, WARN, FAIL;

  public String word() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
