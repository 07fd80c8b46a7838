package io.keikomon.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * A stand-in for Grafana (which cannot run here), following Grafana's documented HTTP API
 * (docs/sources/developers/http_api: other.md, folder_dashboard_search.md, dashboard.md, folder.md, data_source.md,
 * admin.md) and its file provisioning (administration/provisioning): it reads {@code datasources/*.yaml} and the
 * dashboard providers in {@code dashboards/*.yaml} from a provisioning folder at start and again when the admin
 * provisioning reload endpoints are called, so a test can change a file, reload, and read the result back.
 *
 * <p>Like Grafana: basic auth for everything but {@code /api/health} (401 {@code Unauthorized} without credentials,
 * {@code Invalid username or password} with wrong ones); 404 with {@code Dashboard not found} / {@code Data source not
 * found}; provisioned dashboards refuse API saves (400 {@code Cannot save provisioned dashboard}); a stale
 * {@code version} without {@code overwrite} is 412 {@code version-mismatch}; a provisioning file that does not parse
 * makes the reload answer 500 and keeps the previous state. Datasource health checks a Prometheus datasource by
 * querying its URL, as Grafana does. The admin changes its password with {@code PUT /api/user/password}. Not modelled: organisations, permissions, {@code $VAR} interpolation.
 */
public final class GrafanaStandIn extends HttpStandIn {
  public static final String VERSION = "12.0.0-standin";

  private final Path provisioning;
  private final Object lock = new Object();
  private final Map<String, ObjectNode> datasources = new LinkedHashMap<>();
  private final Map<String, Folder> folders = new LinkedHashMap<>();
  private final Map<String, Stored> dashboards = new LinkedHashMap<>();
  private long nextId = 1;
  private String adminPassword;

  private record Folder(long id, String uid, String title, String parentUid) {
  }

  private record Stored(long id, ObjectNode json, String folderUid, boolean provisioned, String externalId,
      int version) {
  }

  /** Grafana with admin/{@code adminPassword}, provisioned from {@code provisioning} (may not exist yet). */
  public GrafanaStandIn(Path provisioning, String adminPassword) {
    this.provisioning = provisioning;
    this.adminPassword = adminPassword;
    requireBasicAuth(Map.of("admin", adminPassword));
    openRoute("GET", "/api/health", r -> Answer.json(200,
        Map.of("commit", "standin", "database", "ok", "version", VERSION)));
    route("GET", "/api/search", this::search);
    route("GET", "/api/dashboards/uid/([^/]+)", this::dashboard);
    route("POST", "/api/dashboards/db", this::save);
    route("GET", "/api/folders", this::folders);
    route("POST", "/api/folders", this::createFolder);
    route("GET", "/api/datasources", r -> Answer.json(200, snapshot(datasources.values())));
    route("GET", "/api/datasources/uid/([^/]+)", this::datasource);
    route("GET", "/api/datasources/uid/([^/]+)/health", this::datasourceHealth);
    route("PUT", "/api/user/password", this::changePassword);
    route("POST", "/api/admin/provisioning/datasources/reload", r -> reload("datasources", this::provisionDatasources));
    route("POST", "/api/admin/provisioning/dashboards/reload", r -> reload("dashboards", this::provisionDashboards));
    provisionDatasources();
    provisionDashboards();
  }

  /**
   * The signed-in user changes its own password (docs http_api/user.md "Change Password"; pkg/api/user.go): 401
   * {@code Invalid old password} when oldPassword is not the stored one, 400 when the new one is shorter than 4
   * characters, else 200 {@code User password changed} and basic auth takes only the new one from then on.
   */
  private Answer changePassword(Request r) throws IOException {
    JsonNode body = JSON.readTree(r.body());
    synchronized (lock) {
      if (!adminPassword.equals(body.path("oldPassword").asText(null))) {
        return Answer.json(401, Map.of("message", "Invalid old password"));
      }
      String next = body.path("newPassword").asText("");
      if (next.length() < 4) {
        return Answer.json(400, Map.of("message", "New password is too short"));
      }
      adminPassword = next;
      requireBasicAuth(Map.of("admin", next));
    }
    return Answer.json(200, Map.of("message", "User password changed"));
  }

  /** The admin password Grafana has now (changed through {@code PUT /api/user/password}). */
  public String adminPassword() {
    synchronized (lock) {
      return adminPassword;
    }
  }

  /** A folder made in the UI (not provisioned); {@code parentUid} null for the top level. */
  public void addFolder(String uid, String title, String parentUid) {
    synchronized (lock) {
      folders.put(uid, new Folder(nextId++, uid, title, parentUid));
    }
  }

  @Override
  protected Answer unauthorized(boolean credentialsGiven) {
    return Answer.json(401, Map.of("message", credentialsGiven ? "Invalid username or password" : "Unauthorized"));
  }

  @Override
  protected Answer notFound(String path) {
    return Answer.json(404, Map.of("message", "Not found"));
  }

  private Answer reload(String what, Runnable provision) {
    try {
      provision.run();
      return Answer.json(200, Map.of("message", capitalised(what) + " config reloaded"));
    } catch (RuntimeException e) {
      return Answer.json(500, Map.of("message", "Failed to reload " + what + " config", "error", e.getMessage()));
    }
  }

  // ---- datasources -------------------------------------------------------------------------------------------

  /** Re-reads datasources/*.yaml; all files are parsed before anything changes, so a broken file changes nothing. */
  private void provisionDatasources() {
    List<Map<String, Object>> wanted = new ArrayList<>();
    List<String> deleted = new ArrayList<>();
    boolean prune = false;
    for (Map<String, Object> file : yamlFiles(provisioning.resolve("datasources"))) {
      prune |= Boolean.TRUE.equals(file.get("prune"));
      for (Object d : list(file.get("deleteDatasources"))) {
        deleted.add(String.valueOf(((Map<?, ?>) d).get("name")));
      }
      for (Object d : list(file.get("datasources"))) {
        @SuppressWarnings("unchecked")
        Map<String, Object> ds = (Map<String, Object>) d;
        if (ds.get("name") == null) {
          throw new IllegalArgumentException("datasource without name");
        }
        wanted.add(ds);
      }
    }
    synchronized (lock) {
      datasources.values().removeIf(d -> deleted.contains(d.path("name").asText()));
      Set<String> kept = new HashSet<>();
      for (Map<String, Object> ds : wanted) {
        String uid = String.valueOf(ds.getOrDefault("uid", ds.get("name")));
        ObjectNode old = datasources.get(uid);
        ObjectNode n = JSON.createObjectNode();
        n.put("id", old == null ? nextId++ : old.path("id").asLong());
        n.put("uid", uid);
        n.put("orgId", 1);
        n.put("name", String.valueOf(ds.get("name")));
        n.put("type", String.valueOf(ds.get("type")));
        n.put("access", String.valueOf(ds.getOrDefault("access", "proxy")));
        n.put("url", String.valueOf(ds.getOrDefault("url", "")));
        n.put("basicAuth", Boolean.TRUE.equals(ds.get("basicAuth")));
        n.put("basicAuthUser", String.valueOf(ds.getOrDefault("basicAuthUser", "")));
        n.put("isDefault", Boolean.TRUE.equals(ds.get("isDefault")));
        n.set("jsonData", JSON.valueToTree(ds.getOrDefault("jsonData", Map.of())));
        n.set("secureJsonFields", JSON.valueToTree(secureFields(ds.get("secureJsonData"))));
        n.put("version", old == null ? 1 : old.path("version").asInt() + 1);
        n.put("readOnly", !Boolean.TRUE.equals(ds.get("editable")));
        datasources.put(uid, n);
        kept.add(uid);
      }
      if (prune) {
        datasources.keySet().retainAll(kept);
      }
    }
  }

  private static Map<String, Boolean> secureFields(Object secure) {
    Map<String, Boolean> set = new LinkedHashMap<>();
    if (secure instanceof Map<?, ?> m) {
      m.keySet().forEach(k -> set.put(String.valueOf(k), true));
    }
    return set;
  }

  private Answer datasource(Request r) {
    synchronized (lock) {
      ObjectNode d = datasources.get(r.groups().get(0));
      return d == null ? Answer.json(404, Map.of("message", "Data source not found")) : Answer.json(200, d.deepCopy());
    }
  }

  private Answer datasourceHealth(Request r) {
    ObjectNode d;
    synchronized (lock) {
      d = datasources.get(r.groups().get(0));
    }
    if (d == null) {
      return Answer.json(404, Map.of("message", "Data source not found"));
    }
    String url = d.path("url").asText().replaceAll("/$", "");
    boolean prometheus = "prometheus".equals(d.path("type").asText());
    try {
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
      HttpResponse<String> a = http.send(HttpRequest.newBuilder(URI.create(url + (prometheus
          ? "/api/v1/query?query=1%2B1" : "/"))).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString());
      if (!prometheus || a.statusCode() == 200) {
        return Answer.json(200, Map.of("status", "OK", "message", prometheus
            ? "Successfully queried the Prometheus API." : "Data source is working"));
      }
      return Answer.json(400, Map.of("status", "ERROR", "message",
          "Prometheus API answered " + a.statusCode() + ": " + a.body()));
    } catch (IOException | IllegalArgumentException e) {
      return Answer.json(400, Map.of("status", "ERROR", "message", "Post \"" + url + "\": " + e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Answer.json(500, Map.of("message", "interrupted"));
    }
  }

  // ---- dashboards and folders --------------------------------------------------------------------------------

  /** Re-reads the providers in dashboards/*.yaml and the *.json dashboards in each provider's options.path. */
  private void provisionDashboards() {
    record Found(ObjectNode json, String folderUid, String folderTitle, String file) {
    }
    List<Found> found = new ArrayList<>();
    for (Map<String, Object> file : yamlFiles(provisioning.resolve("dashboards"))) {
      for (Object p : list(file.get("providers"))) {
        Map<?, ?> provider = (Map<?, ?>) p;
        String title = String.valueOf(provider.get("folder") == null ? "" : provider.get("folder"));
        Object fu = provider.get("folderUid");
        String folderUid = title.isEmpty() ? "" : fu == null || fu.toString().isEmpty()
            ? title.toLowerCase().replaceAll("[^a-z0-9]+", "-") : fu.toString();
        Path dir = provisioning.resolve(String.valueOf(((Map<?, ?>) provider.get("options")).get("path")));
        for (Path json : files(dir, ".json")) {
          try {
            JsonNode n = JSON.readTree(Files.readString(json));
            if (!(n instanceof ObjectNode o) || !o.hasNonNull("uid")) {
              throw new IllegalArgumentException(json + ": dashboard without uid");
            }
            found.add(new Found(o, folderUid, title, json.toString()));
          } catch (IOException e) {
            throw new IllegalArgumentException(json + ": " + e.getMessage(), e);
          }
        }
      }
    }
    synchronized (lock) {
      dashboards.values().removeIf(Stored::provisioned);
      for (Found f : found) {
        if (!f.folderUid().isEmpty() && !folders.containsKey(f.folderUid())) {
          folders.put(f.folderUid(), new Folder(nextId++, f.folderUid(), f.folderTitle(), null));
        }
        String uid = f.json().path("uid").asText();
        dashboards.put(uid, new Stored(nextId++, f.json(), f.folderUid(), true, f.file(), 1));
      }
    }
  }

  private Answer search(Request r) {
    int limit = Math.min(r.param("limit") == null ? 1000 : Integer.parseInt(r.param("limit")), 5000);
    int page = r.param("page") == null ? 1 : Integer.parseInt(r.param("page"));
    String type = r.param("type");
    List<Map<String, Object>> hits = new ArrayList<>();
    synchronized (lock) {
      if (type == null || type.equals("dash-folder")) {
        for (Folder f : folders.values()) {
          Map<String, Object> h = new LinkedHashMap<>();
          h.put("id", f.id());
          h.put("uid", f.uid());
          h.put("title", f.title());
          h.put("url", "/dashboards/f/" + f.uid() + "/" + slug(f.title()));
          h.put("type", "dash-folder");
          h.put("tags", List.of());
          h.put("isStarred", false);
          hits.add(h);
        }
      }
      if (type == null || type.equals("dash-db")) {
        for (Stored s : dashboards.values()) {
          Map<String, Object> h = new LinkedHashMap<>();
          h.put("id", s.id());
          h.put("uid", s.json().path("uid").asText());
          h.put("title", s.json().path("title").asText());
          h.put("url", "/d/" + h.get("uid") + "/" + slug((String) h.get("title")));
          h.put("type", "dash-db");
          h.put("tags", s.json().has("tags") ? JSON.convertValue(s.json().get("tags"), List.class) : List.of());
          h.put("isStarred", false);
          Folder f = folders.get(s.folderUid());
          if (f != null) {
            h.put("folderId", f.id());
            h.put("folderUid", f.uid());
            h.put("folderTitle", f.title());
            h.put("folderUrl", "/dashboards/f/" + f.uid() + "/" + slug(f.title()));
          }
          hits.add(h);
        }
      }
    }
    hits.sort(Comparator.comparing(h -> String.valueOf(h.get("title")).toLowerCase()));
    int from = Math.min((page - 1) * limit, hits.size());
    return Answer.json(200, hits.subList(from, Math.min(from + limit, hits.size())));
  }

  private Answer dashboard(Request r) {
    synchronized (lock) {
      Stored s = dashboards.get(r.groups().get(0));
      if (s == null) {
        return Answer.json(404, Map.of("message", "Dashboard not found"));
      }
      ObjectNode d = s.json().deepCopy();
      d.put("id", s.id());
      d.put("version", s.version());
      Folder f = folders.get(s.folderUid());
      Map<String, Object> meta = new LinkedHashMap<>();
      meta.put("type", "db");
      meta.put("canSave", true);
      meta.put("slug", slug(d.path("title").asText()));
      meta.put("url", "/d/" + d.path("uid").asText() + "/" + meta.get("slug"));
      meta.put("folderId", f == null ? 0 : f.id());
      meta.put("folderUid", f == null ? "" : f.uid());
      meta.put("folderTitle", f == null ? "General" : f.title());
      meta.put("provisioned", s.provisioned());
      meta.put("provisionedExternalId", s.provisioned() ? s.externalId() : "");
      meta.put("version", s.version());
      return Answer.json(200, Map.of("dashboard", d, "meta", meta));
    }
  }

  private Answer save(Request r) throws IOException {
    JsonNode body = JSON.readTree(r.body());
    if (!(body.path("dashboard") instanceof ObjectNode dash)) {
      return Answer.json(400, Map.of("message", "bad request data"));
    }
    String folderUid = body.path("folderUid").asText("");
    boolean overwrite = body.path("overwrite").asBoolean(false);
    synchronized (lock) {
      if (!folderUid.isEmpty() && !folders.containsKey(folderUid)) {
        return Answer.json(400, Map.of("message", "folder not found"));
      }
      String uid = dash.hasNonNull("uid") ? dash.get("uid").asText() : "gen" + nextId;
      Stored old = dashboards.get(uid);
      if (old != null && old.provisioned()) {
        return Answer.json(400, Map.of("message", "Cannot save provisioned dashboard"));
      }
      if (old != null && !overwrite && dash.path("version").asInt(-1) != old.version()) {
        return Answer.json(412, Map.of("message", "The dashboard has been changed by someone else",
            "status", "version-mismatch"));
      }
      int version = old == null ? 1 : old.version() + 1;
      ObjectNode stored = dash.deepCopy();
      stored.put("uid", uid);
      stored.remove("id");
      long id = old == null ? nextId++ : old.id();
      dashboards.put(uid, new Stored(id, stored, folderUid, false, "", version));
      String slug = slug(stored.path("title").asText());
      return Answer.json(200, Map.of("id", id, "uid", uid, "url", "/d/" + uid + "/" + slug, "status", "success",
          "version", version, "slug", slug));
    }
  }

  private Answer folders(Request r) {
    String parent = r.param("parentUid");
    List<Map<String, Object>> list = new ArrayList<>();
    synchronized (lock) {
      for (Folder f : folders.values()) {
        if (parent == null ? f.parentUid() == null : parent.equals(f.parentUid())) {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("id", f.id());
          m.put("uid", f.uid());
          m.put("title", f.title());
          if (f.parentUid() != null) {
            m.put("parentUid", f.parentUid());
          }
          list.add(m);
        }
      }
    }
    return Answer.json(200, list);
  }

  /** {@code POST /api/folders}: 409 when the uid is taken, 400 when the parent does not exist (folder.md). */
  private Answer createFolder(Request r) throws IOException {
    JsonNode body = JSON.readTree(r.body());
    String title = body.path("title").asText("");
    if (title.isEmpty()) {
      return Answer.json(400, Map.of("message", "folder title cannot be empty"));
    }
    String parent = body.hasNonNull("parentUid") ? body.get("parentUid").asText() : null;
    synchronized (lock) {
      String uid = body.hasNonNull("uid") ? body.get("uid").asText() : "f" + nextId;
      if (folders.containsKey(uid)) {
        return Answer.json(409, Map.of("message", "a folder with the same uid already exists"));
      }
      if (parent != null && !folders.containsKey(parent)) {
        return Answer.json(400, Map.of("message", "parent folder not found"));
      }
      Folder f = new Folder(nextId++, uid, title, parent);
      folders.put(uid, f);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", f.id());
      m.put("uid", uid);
      m.put("title", title);
      if (parent != null) {
        m.put("parentUid", parent);
      }
      return Answer.json(200, m);
    }
  }

  // ---- helpers -----------------------------------------------------------------------------------------------

  private List<ObjectNode> snapshot(java.util.Collection<ObjectNode> nodes) {
    synchronized (lock) {
      return nodes.stream().map(ObjectNode::deepCopy).toList();
    }
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> yamlFiles(Path dir) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Path f : files(dir, ".yaml", ".yml")) {
      try {
        Object doc = new Load(LoadSettings.builder().setLabel(f.toString()).build()).loadFromString(Files.readString(f));
        if (!(doc instanceof Map)) {
          throw new IllegalArgumentException(f + ": not a YAML mapping");
        }
        out.add((Map<String, Object>) doc);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(f.getFileName() + ": " + e.getMessage().lines().findFirst().orElse(""), e);
      }
    }
    return out;
  }

  private static List<Path> files(Path dir, String... suffixes) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> Stream.of(suffixes).anyMatch(x -> p.toString().endsWith(x))).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<?> list(Object o) {
    return o instanceof List<?> l ? l : List.of();
  }

  private static String slug(String title) {
    return title.toLowerCase().replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
  }

  private static String capitalised(String s) {
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}
