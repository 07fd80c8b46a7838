package io.keikomon.api;

import static io.keikomon.api.JsonApi.orEmpty;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** Grafana HTTP API answers as records (docs/sources/developers/http_api), with the fields keiko-mon uses. */
public final class GrafanaModel {
  private GrafanaModel() {
  }

  /** {@code /api/health}; {@code database} is "ok" when Grafana can reach its database. */
  public record Health(String commit, String database, String version) {
  }

  /** A row of {@code /api/search}: {@code type} "dash-db" or "dash-folder". */
  public record SearchHit(long id, String uid, String title, String url, String type, List<String> tags,
      @JsonProperty("isStarred") boolean isStarred, Long folderId, String folderUid, String folderTitle,
      String folderUrl) {
    public SearchHit {
      tags = orEmpty(tags);
    }
  }

  /** {@code /api/dashboards/uid/:uid}: the dashboard JSON as stored, and Grafana's metadata about it. */
  public record Dashboard(JsonNode dashboard, DashboardMeta meta) {
    public String uid() {
      return dashboard.path("uid").asText();
    }

    public String title() {
      return dashboard.path("title").asText();
    }

    /** Grafana's version counter of this dashboard; a save must not be older. */
    public int version() {
      return dashboard.path("version").asInt();
    }
  }

  /**
   * {@code provisioned} dashboards come from files; Grafana refuses to save them through the API.
   * {@code folderUid} is empty for the General folder.
   */
  public record DashboardMeta(String url, String slug, Long folderId, String folderUid, String folderTitle,
      boolean provisioned, String provisionedExternalId, Integer version) {
  }

  /** A folder; {@code parentUid} is set for nested folders (Grafana 10.3+). */
  public record Folder(long id, String uid, String title, String parentUid) {
  }

  /** A datasource; secrets are never returned (only which ones are set). */
  public record Datasource(long id, long orgId, String uid, String name, String type, String access, String url,
      boolean basicAuth, String basicAuthUser, @JsonProperty("isDefault") boolean isDefault, JsonNode jsonData,
      boolean readOnly) {
  }

  /** {@code /api/datasources/uid/:uid/health}: {@code status} "OK" or "ERROR", with Grafana's explanation. */
  public record DatasourceHealth(String status, String message) {
    public boolean ok() {
      return "OK".equals(status);
    }
  }

  /** The answer to {@code POST /api/dashboards/db}. */
  public record SaveResult(long id, String uid, String url, String status, int version, String slug) {
  }
}
