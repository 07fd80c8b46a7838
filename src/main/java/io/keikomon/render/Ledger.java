package io.keikomon.render;

import io.keikomon.core.Digests;
import io.keikomon.core.AtomicFiles;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.keikomon.core.OperationFailedException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What render last wrote into the output folder: the SHA-256 of each file, in
 * {@code <output>/.keiko-mon/ledger.json}. A file whose content no longer matches its entry was edited by
 * hand. Read and written with Jackson's streaming API (cheap to load for a CLI).
 */
public final class Ledger {
  public static final String FILE = ".keiko-mon/ledger.json";
  private static final int VERSION = 1;
  private static final JsonFactory JSON = new JsonFactory();

  private final Map<String, String> sha256;

  public Ledger(Map<String, String> sha256) {
    this.sha256 = Collections.unmodifiableMap(new TreeMap<>(sha256));
  }

  public static Ledger empty() {
    return new Ledger(Map.of());
  }

  /** Relative path to SHA-256 (hex) of the content last written there. */
  public Map<String, String> files() {
    return sha256;
  }

  /** True when {@code tree} is exactly what this ledger records as written: the same files, the same contents. */
  public boolean describes(RenderedTree tree) {
    return !sha256.isEmpty() && tree.paths().equals(sha256.keySet())
        && tree.paths().stream().allMatch(p -> sha256(tree.bytes(p)).equals(sha256.get(p)));
  }

  public static Ledger read(Path outputDir) {
    Path file = outputDir.resolve(FILE);
    if (!Files.exists(file)) {
      return empty();
    }
    try (InputStream in = Files.newInputStream(file); JsonParser p = JSON.createParser(in)) {
      Map<String, String> files = new TreeMap<>();
      expect(p.nextToken(), JsonToken.START_OBJECT);
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        if ("files".equals(field)) {
          expect(value, JsonToken.START_OBJECT);
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String path = p.currentName();
            expect(p.nextToken(), JsonToken.VALUE_STRING);
            files.put(path, p.getText());
          }
        } else {
          p.skipChildren();
        }
      }
      return new Ledger(files);
    } catch (IOException e) {
      throw new OperationFailedException("cannot read " + file + ": " + e.getMessage(),
          "delete it to start afresh: render then treats every existing file that differs from what it would "
              + "write as edited by hand", e);
    }
  }

  private static void expect(JsonToken actual, JsonToken expected) throws IOException {
    if (actual != expected) {
      throw new IOException("expected " + expected + " but found " + actual);
    }
  }

  public void write(Path outputDir) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (JsonGenerator g = JSON.createGenerator(bytes).useDefaultPrettyPrinter()) {
      g.writeStartObject();
      g.writeNumberField("version", VERSION);
      g.writeObjectFieldStart("files");
      for (Map.Entry<String, String> e : sha256.entrySet()) {
        g.writeStringField(e.getKey(), e.getValue());
      }
      g.writeEndObject();
      g.writeEndObject();
    }
    bytes.write('\n');
    AtomicFiles.write(outputDir.resolve(FILE), bytes.toByteArray(), AtomicFiles.READABLE);
  }

  public static String sha256(byte[] content) {
    return Digests.sha256Hex(content);
  }

  public static String sha256(String content) {
    return sha256(content.getBytes(StandardCharsets.UTF_8));
  }
}
