package io.keikomon.backup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keikomon.api.GrafanaClient;
import io.keikomon.api.GrafanaModel.Dashboard;
import io.keikomon.api.GrafanaModel.Folder;
import io.keikomon.api.GrafanaModel.SearchHit;
import io.keikomon.core.Component;
import io.keikomon.core.Console;
import io.keikomon.engine.ContainerDetails;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The {@code grafana/} part, through Grafana's HTTP API as admin: {@code folders.json} (every folder with uid, title
 * and parent, parents first) and {@code dashboards/<uid>.json} ({@code /api/dashboards/uid/:uid} as Grafana answers
 * it: the model and its meta, with {@code folderUid} and {@code provisioned}). Datasources are not exported: they come
 * from keiko-mon's provisioning files and secrets (the API never returns their secrets anyway).
 *
 * <p>Restore creates missing folders by uid first, then saves every dashboard that is not provisioned into its folder
 * (General when it has none) with overwrite; provisioned ones come back from their files and are only reported.
 */
final class GrafanaPart {
  static final String FOLDERS = "grafana/folders.json";
  static final String DASHBOARDS = "grafana/dashboards/";

  private GrafanaPart() {}

  static Manifest.GrafanaSummary backup(LiveStack stack, Path outputDir, ArchiveWriter archive) throws IOException {
    ContainerDetails c = stack.running(Component.GRAFANA, "a Grafana backup");
    return backup(stack.grafana(c, outputDir), archive);
  }

  static Manifest.GrafanaSummary backup(GrafanaClient client, ArchiveWriter archive) throws IOException {
    List<Manifest.FolderRef> folders = folders(client);
    archive.add(FOLDERS, Manifest.JSON.writeValueAsBytes(folders), 0644);
    List<Manifest.DashboardRef> dashboards = new ArrayList<>();
    for (SearchHit hit : client.allDashboards()) {
      Dashboard d = client.dashboard(hit.uid());
      archive.add(DASHBOARDS + hit.uid() + ".json", Manifest.JSON.writeValueAsBytes(d), 0644);
      dashboards.add(ref(d));
    }
    return new Manifest.GrafanaSummary(folders, dashboards);
  }

  static Manifest.DashboardRef ref(Dashboard d) {
    String folder = d.meta() == null ? null : d.meta().folderUid();
    return new Manifest.DashboardRef(d.uid(), d.dashboard().path("title").asText(),
        d.meta() == null ? null : d.meta().version(), folder == null || folder.isEmpty() ? null : folder,
        d.meta() != null && d.meta().provisioned());
  }

  /** Every folder, parents before children; a Grafana without nested folders answers the top level only. */
  static List<Manifest.FolderRef> folders(GrafanaClient client) {
    Map<String, Manifest.FolderRef> all = new LinkedHashMap<>();
    Deque<String> parents = new ArrayDeque<>();
    for (Folder f : client.folders()) {
      all.put(f.uid(), new Manifest.FolderRef(f.uid(), f.title(), null));
      parents.add(f.uid());
    }
    while (!parents.isEmpty()) {
      String parent = parents.poll();
      for (Folder f : client.folders(parent)) {
        if (parent.equals(f.parentUid()) && !all.containsKey(f.uid())) {
          all.put(f.uid(), new Manifest.FolderRef(f.uid(), f.title(), parent));
          parents.add(f.uid());
        }
      }
    }
    return List.copyOf(all.values());
  }

  /** What restore would do. */
  record Plan(List<Manifest.FolderRef> createFolders, List<Dashboard> add, List<Dashboard> overwrite,
      List<Dashboard> provisioned) {
  }

  static Plan plan(GrafanaClient client, List<Manifest.FolderRef> folders, List<Dashboard> dashboards) {
    Set<String> haveFolders = folders(client).stream().map(Manifest.FolderRef::uid).collect(Collectors.toSet());
    Set<String> haveDashboards = client.allDashboards().stream().map(SearchHit::uid).collect(Collectors.toSet());
    List<Dashboard> add = new ArrayList<>();
    List<Dashboard> overwrite = new ArrayList<>();
    List<Dashboard> provisioned = new ArrayList<>();
    for (Dashboard d : dashboards) {
      if (d.meta() != null && d.meta().provisioned()) {
        provisioned.add(d);
      } else if (haveDashboards.contains(d.uid())) {
        overwrite.add(d);
      } else {
        add.add(d);
      }
    }
    return new Plan(folders.stream().filter(f -> !haveFolders.contains(f.uid())).toList(), add, overwrite,
        provisioned);
  }

  static void restore(GrafanaClient client, Plan plan) {
    for (Manifest.FolderRef f : plan.createFolders()) {
      client.createFolder(f.uid(), f.title(), f.parentUid());
    }
    List<Dashboard> save = new ArrayList<>(plan.add());
    save.addAll(plan.overwrite());
    for (Dashboard d : save) {
      ObjectNode model = d.dashboard().deepCopy();
      model.putNull("id");
      String folder = d.meta() == null ? null : d.meta().folderUid();
      client.saveDashboard(model, folder == null || folder.isEmpty() ? null : folder, true,
          "restored by keiko-mon");
    }
  }

  /**
   * Puts the archive's folders and dashboards back into the stack's Grafana once it answers; says which dashboards
   * are provisioned (they come back from their files) and what it created.
   */
  static void restore(LiveStack stack, ArchiveReader archive, Manifest manifest, Path outputDir,
      Duration readyTimeout, Console console) {
    GrafanaClient grafana = stack.grafana(stack.running(Component.GRAFANA, "restoring Grafana"), outputDir);
    LiveStack.awaitReady(() -> grafana.health() != null, "grafana", readyTimeout);
    Saved data = saved(archive, manifest);
    Plan plan = plan(grafana, data.folders(), data.dashboards());
    restore(grafana, plan);
    plan.provisioned().forEach(d -> console.out("dashboard " + d.uid() + " is provisioned: it comes back from its"
        + " file, not posted"));
    console.out("grafana: " + plan.createFolders().size() + " folders created, " + plan.add().size()
        + " dashboards added, " + plan.overwrite().size() + " overwritten");
  }

  /** The folders and dashboards an archive holds. */
  record Saved(List<Manifest.FolderRef> folders, List<Dashboard> dashboards) {
  }

  static Saved saved(ArchiveReader archive, Manifest m) {
    List<Manifest.FolderRef> folders = new ArrayList<>();
    List<Dashboard> dashboards = new ArrayList<>();
    archive.extract(m, List.of(Part.GRAFANA.folder()), (e, content) -> {
      if (e.name().equals(FOLDERS)) {
        folders.addAll(readFolders(content.readAllBytes()));
      } else if (e.name().startsWith(DASHBOARDS)) {
        dashboards.add(readDashboard(content.readAllBytes()));
      }
    });
    return new Saved(folders, dashboards);
  }

  static Dashboard readDashboard(byte[] json) throws IOException {
    return Manifest.JSON.readValue(json, Dashboard.class);
  }

  static List<Manifest.FolderRef> readFolders(byte[] json) throws IOException {
    return Manifest.JSON.readValue(json, new com.fasterxml.jackson.core.type.TypeReference<>() { });
  }

  static JsonNode withoutIdAndVersion(JsonNode dashboard) {
    ObjectNode copy = dashboard.deepCopy();
    copy.remove("id");
    copy.remove("version");
    return copy;
  }
}
