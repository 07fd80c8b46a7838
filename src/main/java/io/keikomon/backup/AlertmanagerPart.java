package io.keikomon.backup;

import com.fasterxml.jackson.core.type.TypeReference;
import io.keikomon.api.AlertmanagerClient;
import io.keikomon.api.AlertmanagerModel.Matcher;
import io.keikomon.api.AlertmanagerModel.PostableSilence;
import io.keikomon.api.AlertmanagerModel.Silence;
import io.keikomon.core.Component;
import io.keikomon.core.Console;
import io.keikomon.engine.ContainerDetails;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code alertmanager/} part: {@code silences.json}, the active and pending silences from {@code /api/v2/silences}
 * (expired ones are counted in the manifest, not kept). Alertmanager writes its own silence file only every
 * maintenance interval, so the API is the one up-to-date source. Restore re-creates each silence that has not ended
 * yet; Alertmanager gives it a new id, reported old → new.
 */
final class AlertmanagerPart {
  static final String FILE = "alertmanager/silences.json";

  /** A silence as kept in the archive. */
  record Saved(String id, String state, List<Matcher> matchers, Instant startsAt, Instant endsAt, String createdBy,
      String comment) {
    Saved {
      matchers = List.copyOf(matchers);
    }

    String key() {
      return matchers + "|" + endsAt + "|" + comment;
    }
  }

  private AlertmanagerPart() {}

  static Manifest.AlertmanagerSummary backup(LiveStack stack, ArchiveWriter archive) throws IOException {
    ContainerDetails c = stack.running(Component.ALERTMANAGER, "an Alertmanager backup");
    List<Saved> kept = new ArrayList<>();
    int expired = 0;
    for (Silence s : stack.alertmanager(c).silences()) {
      String state = s.status() == null ? "" : s.status().state();
      if ("expired".equals(state)) {
        expired++;
      } else {
        kept.add(new Saved(s.id(), state, s.matchers(), s.startsAt(), s.endsAt(), s.createdBy(), s.comment()));
      }
    }
    archive.add(FILE, Manifest.JSON.writeValueAsBytes(kept), 0644);
    return new Manifest.AlertmanagerSummary(kept.stream().map(s -> new Manifest.SilenceRef(s.id(), s.state(),
        s.matchers().stream().map(AlertmanagerPart::matcher).toList(), s.endsAt().toString())).toList(), expired);
  }

  static String matcher(Matcher m) {
    boolean equal = m.isEqual() == null || m.isEqual();
    return m.name() + (m.isRegex() ? (equal ? "=~" : "!~") : (equal ? "=" : "!=")) + "\"" + m.value() + "\"";
  }

  static List<Saved> read(byte[] json) throws IOException {
    return Manifest.JSON.readValue(json, new TypeReference<List<Saved>>() { });
  }

  /** What restore would do: the silences still running at {@code now}, and those already ended. */
  record Plan(List<Saved> recreate, List<Saved> ended, List<Saved> alreadyThere) {
  }

  static Plan plan(List<Saved> saved, List<Silence> current, Instant now) {
    Map<String, Silence> existing = new LinkedHashMap<>();
    current.stream().filter(s -> s.status() == null || !"expired".equals(s.status().state()))
        .forEach(s -> existing.put(new Saved(s.id(), "", s.matchers(), s.startsAt(), s.endsAt(), s.createdBy(),
            s.comment()).key(), s));
    List<Saved> recreate = new ArrayList<>();
    List<Saved> ended = new ArrayList<>();
    List<Saved> there = new ArrayList<>();
    for (Saved s : saved) {
      if (!s.endsAt().isAfter(now)) {
        ended.add(s);
      } else if (existing.containsKey(s.key())) {
        there.add(s);
      } else {
        recreate.add(s);
      }
    }
    return new Plan(recreate, ended, there);
  }

  /** Creates the plan's silences; returns old id → new id. */
  static Map<String, String> restore(AlertmanagerClient client, Plan plan, Instant now) {
    Map<String, String> ids = new LinkedHashMap<>();
    for (Saved s : plan.recreate()) {
      Instant start = s.startsAt().isAfter(now) ? s.startsAt() : now;
      ids.put(s.id(), client.createSilence(new PostableSilence(null, s.matchers(), start, s.endsAt(), s.createdBy(),
          s.comment())));
    }
    return ids;
  }

  /** The silences the archive holds. */
  static List<Saved> saved(ArchiveReader archive, Manifest m) {
    List<List<Saved>> out = new ArrayList<>();
    archive.extract(m, List.of(FILE), (e, content) -> out.add(read(content.readAllBytes())));
    return out.isEmpty() ? List.of() : out.get(0);
  }

  /** Re-creates the archive's silences that have not ended on the stack's Alertmanager; returns old id → new id. */
  static Map<String, String> restore(LiveStack stack, ArchiveReader archive, Manifest manifest, Clock clock,
      Duration readyTimeout, Console console) {
    AlertmanagerClient am = stack.alertmanager(stack.running(Component.ALERTMANAGER, "restoring silences"));
    LiveStack.awaitReady(am::ready, "alertmanager", readyTimeout);
    Instant now = clock.instant();
    Plan plan = plan(saved(archive, manifest), am.silences(), now);
    Map<String, String> ids = restore(am, plan, now);
    ids.forEach((from, to) -> console.out("silence " + from + " → " + to));
    plan.ended().forEach(s -> console.info("silence " + s.id() + " ended at " + s.endsAt() + ": not re-created"));
    return ids;
  }
}
