package io.keikomon.api;

import io.keikomon.core.OperationFailedException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * HTTP basic credentials. The password is asked for at each request, so a secret file rewritten while keiko-mon runs
 * (a rotated password) is used from the next request on, and no password sits in a long-lived field.
 */
public record BasicAuth(String user, Supplier<String> password) {
  public BasicAuth {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
  }

  /** The password is the content of {@code secretFile} without its trailing line break, read at each request. */
  public static BasicAuth fromSecretFile(String user, Path secretFile) {
    return new BasicAuth(user, () -> {
      try {
        return Files.readString(secretFile, StandardCharsets.UTF_8).stripTrailing();
      } catch (IOException e) {
        throw new OperationFailedException("cannot read the password of " + user + " from " + secretFile + ": " + e,
            "the file is written by `keiko-mon init`/`up`; check that it exists and is readable", e);
      }
    });
  }

  /** The {@code Authorization} header value. */
  String header() {
    String pair = user + ":" + password.get();
    return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
  }

  /** Never the password. */
  @Override
  public String toString() {
    return "BasicAuth[" + user + "]";
  }
}
