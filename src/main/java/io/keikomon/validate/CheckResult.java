package io.keikomon.validate;

/** How one check went; {@code detail} says why it failed or was skipped (and how to enable it). */
public record CheckResult(String name, Status status, String detail) {
  public enum Status { PASSED, FAILED, SKIPPED }

  public static CheckResult passed(String name, String detail) {
    return new CheckResult(name, Status.PASSED, detail);
  }

  public static CheckResult failed(String name, String detail) {
    return new CheckResult(name, Status.FAILED, detail);
  }

  public static CheckResult skipped(String name, String detail) {
    return new CheckResult(name, Status.SKIPPED, detail);
  }
}
