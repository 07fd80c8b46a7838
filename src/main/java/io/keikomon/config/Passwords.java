package io.keikomon.config;

import java.security.SecureRandom;
import java.util.Base64;

/** Generated secrets: 24 random bytes, URL-safe base64 (32 characters, safe in .env, URLs and YAML). */
public final class Passwords {
  private static final SecureRandom RANDOM = new SecureRandom();

  private Passwords() {}

  public static String generate() {
    byte[] bytes = new byte[24];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
