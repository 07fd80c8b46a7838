package io.keikomon.content;

/** Facts about the backend's metrics that rules, dashboards and docs share. */
final class BackendQueries {
  /**
   * Values of the result label on agent_operations_total that count as a failed operation. A failed
   * agent registration is therefore agent_operations_total{operation="register", result=~"failure|error"}
   * (label names as configured).
   */
  static final String FAILED_RESULTS = "failure|error";

  private BackendQueries() {}
}
