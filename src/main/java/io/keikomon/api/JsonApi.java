package io.keikomon.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/**
 * What every client does with a transport: send, insist on a 2xx status, map the JSON body onto records; plus the
 * URL and JSON helpers they share. Unknown JSON fields are ignored, so newer service versions still parse.
 */
final class JsonApi {
  static final ObjectMapper JSON = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
      .setSerializationInclusion(JsonInclude.Include.NON_NULL)
      .registerModule(new SimpleModule("rfc3339-instants")
          .addSerializer(Instant.class, new InstantSerializer())
          .addDeserializer(Instant.class, new InstantDeserializer()));

  private final ApiTransport transport;

  JsonApi(ApiTransport transport) {
    this.transport = transport;
  }

  ApiTransport transport() {
    return transport;
  }

  /** Sends and returns the answer, whatever its status. */
  ApiResponse send(ApiRequest request) {
    return transport.send(request);
  }

  /** Sends; any status but 2xx is an {@link ApiException}. */
  ApiResponse call(ApiRequest request) {
    ApiResponse r = transport.send(request);
    if (!r.ok()) {
      throw ApiException.status(request, r);
    }
    return r;
  }

  /**
   * The /-/healthy and /-/ready convention of Prometheus and Alertmanager: true on 2xx, false on 503 (the documented
   * "not yet" answer); any other status, and no answer at all, is an {@link ApiException}.
   */
  boolean probe(ApiRequest request) {
    ApiResponse r = transport.send(request);
    if (r.ok()) {
      return true;
    }
    if (r.status() == 503) {
      return false;
    }
    throw ApiException.status(request, r);
  }

  <T> T call(ApiRequest request, Class<T> type) {
    return read(request, call(request), JSON.constructType(type));
  }

  <T> T call(ApiRequest request, TypeReference<T> type) {
    return read(request, call(request), JSON.constructType(type));
  }

  JsonNode tree(ApiRequest request, ApiResponse response) {
    try {
      JsonNode n = JSON.readTree(response.body());
      if (n == null || n.isMissingNode()) {
        throw ApiException.badAnswer(request, response, "the body is empty, not JSON", null);
      }
      return n;
    } catch (JsonProcessingException e) {
      throw ApiException.badAnswer(request, response, "the body is not JSON (" + e.getOriginalMessage() + ")", e);
    }
  }

  static <T> T read(ApiRequest request, ApiResponse response, JavaType type) {
    try {
      return JSON.readValue(response.body(), type);
    } catch (JsonProcessingException e) {
      throw ApiException.badAnswer(request, response, "the body is not the documented JSON ("
          + e.getOriginalMessage() + ")", e);
    }
  }

  static <T> T convert(ApiRequest request, ApiResponse response, JsonNode node, TypeReference<T> type) {
    try {
      return JSON.convertValue(node, type);
    } catch (IllegalArgumentException e) {
      throw ApiException.badAnswer(request, response, "the body is not the documented JSON (" + e.getMessage() + ")",
          e);
    }
  }

  static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write as JSON: " + value, e);
    }
  }

  /** {@code path} with a query built from name/value pairs; null values are left out, repeated names kept. */
  static String path(String path, String... namesAndValues) {
    if (namesAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("names and values must come in pairs");
    }
    StringBuilder b = new StringBuilder(path);
    char sep = '?';
    for (int i = 0; i < namesAndValues.length; i += 2) {
      if (namesAndValues[i + 1] != null) {
        b.append(sep).append(encode(namesAndValues[i])).append('=').append(encode(namesAndValues[i + 1]));
        sep = '&';
      }
    }
    return b.toString();
  }

  /** {@code name, v1, name, v2, ...} for {@link #path}: a query parameter given once per value. */
  static String[] repeated(String name, String... values) {
    String[] args = new String[values.length * 2];
    for (int i = 0; i < values.length; i++) {
      args[2 * i] = name;
      args[2 * i + 1] = values[i];
    }
    return args;
  }

  /** One path segment (a uid, an id), encoded so it cannot change the path. */
  static String segment(String value) {
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException("empty path segment");
    }
    return encode(value);
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** For records' compact constructors: a field the service left out is an empty, immutable collection. */
  static <T> List<T> orEmpty(List<T> list) {
    return list == null ? List.of() : List.copyOf(list);
  }

  static <V> Map<String, V> orEmpty(Map<String, V> map) {
    return map == null ? Map.of() : Map.copyOf(map);
  }

  /** RFC 3339 as Prometheus, Alertmanager and Grafana write it, with or without fraction and offset. */
  private static final class InstantDeserializer extends JsonDeserializer<Instant> {
    @Override
    public Instant deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
      String text = p.getValueAsString();
      if (text == null || text.isEmpty()) {
        return null;
      }
      try {
        return OffsetDateTime.parse(text).toInstant();
      } catch (DateTimeParseException e) {
        return (Instant) ctx.handleWeirdStringValue(Instant.class, text, "not an RFC 3339 time");
      }
    }
  }

  private static final class InstantSerializer extends JsonSerializer<Instant> {
    @Override
    public void serialize(Instant value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
      gen.writeString(value.toString());
    }
  }
}
