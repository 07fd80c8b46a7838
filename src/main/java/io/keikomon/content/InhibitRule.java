package io.keikomon.content;

import java.util.List;

/**
 * One Alertmanager inhibit rule: while an alert matching {@code source} fires, alerts matching
 * {@code target} with the same values of the {@code equal} labels are muted. {@code why} is written above
 * it in alertmanager.yml. Matchers are in Alertmanager's notation ({@code alertname="X"}).
 */
public record InhibitRule(String why, List<String> source, List<String> target, List<String> equal) {
  public InhibitRule {
    source = List.copyOf(source);
    target = List.copyOf(target);
    equal = List.copyOf(equal);
  }
}
