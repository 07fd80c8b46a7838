package io.keikomon.doctor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The findings of one doctor walk, in the order they were made, each under an id of its own, and what each cause
 * explains: a finding folded under its cause is said once, under it ({@link Finding#explains}).
 */
final class FindingLedger {
  private final List<Finding> out = new ArrayList<>();
  private final Set<String> ids = new HashSet<>();
  /** Job → ids of error findings that take that job's data away (target down, container down). */
  private final Map<String, List<String>> causesByJob = new HashMap<>();
  /** Finding id → jobs whose data it misses, for folding under those jobs' causes. */
  private final Map<String, Set<String>> consequences = new LinkedHashMap<>();

  /** Adds {@code f} under an id not used yet; returns that id. */
  String add(Finding f) {
    String id = f.id();
    for (int n = 2; ids.contains(id); n++) {
      id = f.id() + "-" + n;
    }
    ids.add(id);
    out.add(id.equals(f.id()) ? f : f.withId(id));
    return id;
  }

  void fold(String cause, List<String> explained) {
    for (int i = 0; i < out.size(); i++) {
      if (out.get(i).id().equals(cause)) {
        out.set(i, out.get(i).explaining(explained));
      }
    }
  }

  /** The finding {@code cause} takes {@code job}'s data away; the first one named for a job explains its losses. */
  void cause(String job, String cause) {
    causesByJob.computeIfAbsent(job, k -> new ArrayList<>()).add(cause);
  }

  /** The finding {@code id} misses the data of {@code jobs}: {@link #folded} puts it under their cause. */
  void consequence(String id, Set<String> jobs) {
    consequences.put(id, jobs);
  }

  /** All findings, each consequence folded under the first cause of one of its jobs. */
  List<Finding> folded() {
    consequences.forEach((id, jobs) -> jobs.forEach(job -> causesByJob.getOrDefault(job, List.of())
        .stream().findFirst().ifPresent(cause -> fold(cause, List.of(id)))));
    return List.copyOf(out);
  }
}
