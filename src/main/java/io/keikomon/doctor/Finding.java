package io.keikomon.doctor;

/**
 * One conclusion of doctor.
 *
 * @param symptom the chain it belongs to
 * @param check what was checked, e.g. "target backend 10.0.0.5:8000"
 * @param evidence the raw error or value it is based on (empty for a plain OK)
 * @param cause the cause in words (empty for OK)
 * @param fix what to change, in keiko.yml terms or as a command (empty for OK)
 */
public record Finding(Symptom symptom, Severity severity, String check, String evidence, String cause, String fix) {
  public static Finding ok(Symptom symptom, String check, String evidence) {
    return new Finding(symptom, Severity.OK, check, evidence, "", "");
  }

  public static Finding fail(Symptom symptom, String check, String evidence, String cause, String fix) {
    return new Finding(symptom, Severity.FAIL, check, evidence, cause, fix);
  }

  public static Finding warn(Symptom symptom, String check, String evidence, String cause, String fix) {
    return new Finding(symptom, Severity.WARN, check, evidence, cause, fix);
  }
}
