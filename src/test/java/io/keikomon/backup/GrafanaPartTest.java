package io.keikomon.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keikomon.api.BasicAuth;
import io.keikomon.api.DirectTransport;
import io.keikomon.api.GrafanaClient;
import io.keikomon.api.GrafanaModel.Dashboard;
import io.keikomon.testing.GrafanaStandIn;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The grafana part against the Grafana stand-in (NOT Grafana: it follows the documented HTTP API): nested user
 * folders and a user dashboard go into the archive and come back into an empty Grafana equal except id and version;
 * the provisioned dashboard is recorded as such and never posted.
 */
class GrafanaPartTest {
  static final ObjectMapper JSON = new ObjectMapper();

  static GrafanaClient client(GrafanaStandIn g) {
    return new GrafanaClient(DirectTransport.builder(g.host(), g.port())
        .basicAuth(new BasicAuth("admin", () -> "pw")).build());
  }

  static Path provisioning(Path dir) throws IOException {
    Path p = dir.resolve("provisioning");
    Files.createDirectories(p.resolve("dashboards"));
    Files.createDirectories(dir.resolve("files"));
    Files.writeString(p.resolve("dashboards/keiko.yaml"), "apiVersion: 1\nproviders:\n  - name: keiko\n"
        + "    folder: Keiko\n    options:\n      path: ../files\n");
    Files.writeString(dir.resolve("files/backend.json"), "{\"uid\":\"backend\",\"title\":\"Backend\",\"panels\":[]}");
    return p;
  }

  @Test
  void foldersAndDashboardsRoundTripAndProvisionedOnesAreNotPosted(@TempDir Path dir) throws IOException {
    Path provisioning = provisioning(dir);
    Path file = dir.resolve("g.tar.gz");
    List<JsonNode> original;
    try (GrafanaStandIn a = new GrafanaStandIn(provisioning, "pw")) {
      a.start();
      a.addFolder("team", "Team", null);
      a.addFolder("team-db", "Databases", "team");
      GrafanaClient ca = client(a);
      ca.saveDashboard(JSON.readTree("{\"uid\":\"pg\",\"title\":\"Postgres by hand\",\"panels\":[{\"id\":1,"
          + "\"type\":\"timeseries\"}],\"tags\":[\"db\"]}"), "team-db", false, "made in the UI");
      ca.saveDashboard(JSON.readTree("{\"uid\":\"home\",\"title\":\"Home\"}"), null, false, null);
      ca.saveDashboard(JSON.readTree("{\"uid\":\"pg\",\"title\":\"Postgres by hand\",\"panels\":[{\"id\":1,"
          + "\"type\":\"timeseries\"}],\"tags\":[\"db\",\"v2\"]}"), "team-db", true, "second version");
      original = List.of(ca.dashboard("pg").dashboard(), ca.dashboard("home").dashboard());

      Manifest.GrafanaSummary summary;
      try (OutputStream out = Files.newOutputStream(file); ArchiveWriter archive = new ArchiveWriter(out, 0)) {
        summary = GrafanaPart.backup(ca, archive);
        Manifest.GrafanaSummary s = summary;
        archive.finish(entries -> new Manifest(Manifest.FORMAT_VERSION, "t", "p", "2026-12-01T00:00:00Z", false,
            List.of("grafana"), null, "monitoring", entries, null, s, null));
      }
      assertEquals(List.of(new Manifest.FolderRef("keiko", "Keiko", null), new Manifest.FolderRef("team", "Team", null),
          new Manifest.FolderRef("team-db", "Databases", "team")), summary.folders());
      assertTrue(summary.dashboards().contains(new Manifest.DashboardRef("pg", "Postgres by hand", 2, "team-db",
          false)), summary.dashboards().toString());
      assertTrue(summary.dashboards().contains(new Manifest.DashboardRef("backend", "Backend", 1, "keiko", true)),
          summary.dashboards().toString());
    }

    ArchiveReader reader = new ArchiveReader(file);
    Manifest m = reader.verify();
    GrafanaPart.Saved data = GrafanaPart.saved(reader, m);
    try (GrafanaStandIn b = new GrafanaStandIn(provisioning, "pw")) {
      b.start();
      GrafanaClient cb = client(b);
      GrafanaPart.Plan plan = GrafanaPart.plan(cb, data.folders(), data.dashboards());
      assertEquals(List.of("team", "team-db"), plan.createFolders().stream().map(Manifest.FolderRef::uid).toList(),
          "parents first; the provisioned folder exists already");
      assertEquals(List.of("backend"), plan.provisioned().stream().map(Dashboard::uid).toList());
      assertEquals(2, plan.add().size());

      GrafanaPart.restore(cb, plan);

      assertEquals(GrafanaPart.folders(client(b)), data.folders());
      for (JsonNode want : original) {
        JsonNode got = cb.dashboard(want.path("uid").asText()).dashboard();
        assertEquals(GrafanaPart.withoutIdAndVersion(want), GrafanaPart.withoutIdAndVersion(got));
      }
      assertEquals("team-db", cb.dashboard("pg").meta().folderUid());
      assertEquals(2, b.requests().stream().filter(r -> r.startsWith("POST /api/dashboards/db")).count(),
          "only the two user dashboards were posted: " + b.requests());
      assertTrue(cb.dashboard("backend").meta().provisioned());
      // a second restore overwrites instead of failing
      GrafanaPart.Plan again = GrafanaPart.plan(cb, data.folders(), data.dashboards());
      assertEquals(List.of(), again.createFolders());
      assertEquals(2, again.overwrite().size());
      GrafanaPart.restore(cb, again);
    }
  }
}
