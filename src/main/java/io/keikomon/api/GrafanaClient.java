package io.keikomon.api;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.keikomon.api.GrafanaModel.Dashboard;
import io.keikomon.api.GrafanaModel.DatasourceHealth;
import io.keikomon.api.GrafanaModel.Datasource;
import io.keikomon.api.GrafanaModel.Folder;
import io.keikomon.api.GrafanaModel.Health;
import io.keikomon.api.GrafanaModel.SaveResult;
import io.keikomon.api.GrafanaModel.SearchHit;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Grafana's HTTP API as the admin user: give the transport {@link BasicAuth} (the admin API accepts basic auth only).
 */
public final class GrafanaClient {
  /** Grafana's maximum page size for {@code /api/search}. */
  public static final int MAX_PAGE = 5000;

  private final JsonApi api;

  public GrafanaClient(ApiTransport transport) {
    this.api = new JsonApi(transport);
  }

  public ApiTransport transport() {
    return api.transport();
  }

  public Health health() {
    return api.call(ApiRequest.get("check Grafana health", "/api/health"), Health.class);
  }

  /** One page (from 1) of dashboards, {@code limit} per page (at most {@value #MAX_PAGE}). */
  public List<SearchHit> searchDashboards(int limit, int page) {
    return search("dash-db", limit, page);
  }

  public List<SearchHit> searchFolders(int limit, int page) {
    return search("dash-folder", limit, page);
  }

  /** Every dashboard, page by page. */
  public List<SearchHit> allDashboards() {
    List<SearchHit> all = new ArrayList<>();
    for (int page = 1; ; page++) {
      List<SearchHit> hits = searchDashboards(MAX_PAGE, page);
      all.addAll(hits);
      if (hits.size() < MAX_PAGE) {
        return all;
      }
    }
  }

  private List<SearchHit> search(String type, int limit, int page) {
    if (limit < 1 || limit > MAX_PAGE || page < 1) {
      throw new IllegalArgumentException("limit 1.." + MAX_PAGE + " and page >= 1, not " + limit + "/" + page);
    }
    return api.call(ApiRequest.get("search Grafana " + (type.equals("dash-db") ? "dashboards" : "folders"),
        JsonApi.path("/api/search", "type", type, "limit", String.valueOf(limit), "page", String.valueOf(page))),
        new TypeReference<List<SearchHit>>() { });
  }

  /** A 404 {@link ApiException} when there is no dashboard {@code uid}. */
  public Dashboard dashboard(String uid) {
    return api.call(ApiRequest.get("read Grafana dashboard " + uid, "/api/dashboards/uid/" + JsonApi.segment(uid)),
        Dashboard.class);
  }

  /** Top-level folders. */
  public List<Folder> folders() {
    return folders(null);
  }

  /** The folders directly inside {@code parentUid} (nested folders), or the top level when null. */
  public List<Folder> folders(String parentUid) {
    return api.call(ApiRequest.get("read Grafana folders", JsonApi.path("/api/folders", "parentUid", parentUid)),
        new TypeReference<List<Folder>>() { });
  }

  /** {@code POST /api/folders}: a folder with this uid and title, inside {@code parentUid} (null: top level). */
  public Folder createFolder(String uid, String title, String parentUid) {
    ObjectNode body = JsonApi.JSON.createObjectNode();
    body.put("uid", uid);
    body.put("title", title);
    if (parentUid != null) {
      body.put("parentUid", parentUid);
    }
    return api.call(ApiRequest.postJson("create Grafana folder " + uid, "/api/folders", JsonApi.json(body)),
        Folder.class);
  }

  public List<Datasource> datasources() {
    return api.call(ApiRequest.get("read Grafana datasources", "/api/datasources"),
        new TypeReference<List<Datasource>>() { });
  }

  public Datasource datasource(String uid) {
    return api.call(ApiRequest.get("read Grafana datasource " + uid, "/api/datasources/uid/" + JsonApi.segment(uid)),
        Datasource.class);
  }

  /**
   * Grafana asks the datasource's backend whether it works. A failing check is an answer, not an exception: Grafana
   * reports it as 400 with {@code status} "ERROR" and the reason.
   */
  public DatasourceHealth datasourceHealth(String uid) {
    ApiRequest req = ApiRequest.get("check Grafana datasource " + uid,
        "/api/datasources/uid/" + JsonApi.segment(uid) + "/health");
    ApiResponse r = api.send(req);
    if (r.ok() || (r.status() == 400 && isHealthAnswer(r.body()))) {
      return JsonApi.read(req, r, JsonApi.JSON.constructType(DatasourceHealth.class));
    }
    throw ApiException.status(req, r);
  }

  private static boolean isHealthAnswer(String body) {
    try {
      return JsonApi.JSON.readTree(body).hasNonNull("status");
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * {@code PUT /api/user/password}: the signed-in user (the transport's basic auth) changes its own password. Grafana
   * answers 401 "Invalid old password" when {@code oldPassword} is not the stored one, and 401 before that when the
   * basic auth itself is refused; nothing changes then.
   */
  public void changeOwnPassword(String oldPassword, String newPassword) {
    api.call(ApiRequest.putJson("change the Grafana admin password", "/api/user/password",
        JsonApi.json(java.util.Map.of("oldPassword", oldPassword, "newPassword", newPassword, "confirmNew",
            newPassword))));
  }

  /** Grafana re-reads its datasource provisioning files (admin only). */
  public void reloadDatasourceProvisioning() {
    api.call(ApiRequest.post("reload Grafana datasource provisioning", "/api/admin/provisioning/datasources/reload"));
  }

  /** Grafana re-reads its dashboard providers and the dashboards they point at (admin only). */
  public void reloadDashboardProvisioning() {
    api.call(ApiRequest.post("reload Grafana dashboard provisioning", "/api/admin/provisioning/dashboards/reload"));
  }

  /**
   * {@code POST /api/dashboards/db}. Grafana refuses provisioned dashboards (400 "Cannot save provisioned dashboard")
   * and stale versions without {@code overwrite} (412); both arrive as {@link ApiException} with that status.
   */
  public SaveResult saveDashboard(JsonNode dashboard, String folderUid, boolean overwrite, String message) {
    ObjectNode body = JsonApi.JSON.createObjectNode();
    body.set("dashboard", dashboard);
    if (folderUid != null) {
      body.put("folderUid", folderUid);
    }
    body.put("overwrite", overwrite);
    if (message != null) {
      body.put("message", message);
    }
    String uid = dashboard.path("uid").asText("(new)");
    return api.call(ApiRequest.postJson("save Grafana dashboard " + uid, "/api/dashboards/db", JsonApi.json(body)),
        SaveResult.class);
  }
}
