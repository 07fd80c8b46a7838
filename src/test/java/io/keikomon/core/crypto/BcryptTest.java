package io.keikomon.core.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BcryptTest {
  @Test
  void blowfishTablesArePisFraction() {
    assertArrayEquals(new int[] {0x243F6A88, 0x85A308D3, 0x13198A2E, 0x03707344}, PiDigits.fractionWords(4));
  }

  /**
   * The first four are crypt_blowfish's published vectors (Openwall's wrapper.c); the others were computed with
   * glibc's libxcrypt (Python's crypt module on this machine), covering cost 10, UTF-8 and the 72-byte limit.
   */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "U*U|$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW",
      "U*U*|$2a$05$CCCCCCCCCCCCCCCCCCCCC.VGOzA784oUp/Z0DY336zx7pLYAy0lwK",
      "U*U*U|$2a$05$XXXXXXXXXXXXXXXXXXXXXOAcXxm9kjPGEMsLznoKqmqw7tc8WCx4a",
      "''|$2a$05$CCCCCCCCCCCCCCCCCCCCC.7uG0VCzI2bS7j6ymqJi9CdcdxiRTWNy",
      "keiko-mon|$2b$10$abcdefghijklmnopqrstuuhRevT0zXBebgiK0Vjis24BHRDiYXpU.",
      "héllo wörld|$2b$10$0123456789ABCDEFGHIJKuSXZtRKM6QWTBAz7Kq7PFVEBVpJi1lXu",
      "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
          + "|$2b$04$0123456789ABCDEFGHIJKuLYxWbTZrA9pRJwWQhpUTe0V4dxPp6gW"})
  void publishedVectorsVerify(String password, String hash) {
    assertTrue(Bcrypt.verify(password, hash));
    assertFalse(Bcrypt.verify("!" + password, hash));
    byte[] salt = Bcrypt.decode(hash.substring(7, 29), 16);
    assertEquals(hash.substring(29), Bcrypt.hash(password, Integer.parseInt(hash.substring(4, 6)), salt).substring(29));
  }

  @Test
  void hashIsTwoBVersionWithCostAndVerifies() {
    String h = Bcrypt.hash("s3cret", 4);
    assertEquals(60, h.length());
    assertTrue(h.startsWith("$2b$04$"), h);
    assertTrue(Bcrypt.verify("s3cret", h));
    assertFalse(Bcrypt.verify("s3creT", h));
    assertNotEquals(h, Bcrypt.hash("s3cret", 4), "random salt");
  }

  @Test
  void malformedHashesDoNotVerify() {
    assertFalse(Bcrypt.verify("x", "$1$abc"));
    assertFalse(Bcrypt.verify("x", null));
    assertFalse(Bcrypt.verify("x", "$2b$xx$0123456789ABCDEFGHIJKuLYxWbTZrA9pRJwWQhpUTe0V4dxPp6gW"));
    assertFalse(Bcrypt.verify("x", "$2b$04$0123456789ABCDEFGHIJ!uLYxWbTZrA9pRJwWQhpUTe0V4dxPp6gW"));
  }

  @Test
  void onlyTheFirst72BytesCount() {
    String h = Bcrypt.hash("y".repeat(72), 4);
    assertTrue(Bcrypt.verify("y".repeat(72) + "ignored", h));
    assertFalse(Bcrypt.verify("y".repeat(71), h));
  }

  @Test
  void base64RoundTrips() {
    byte[] data = "sixteen bytes!!!".getBytes(StandardCharsets.US_ASCII);
    assertArrayEquals(data, Bcrypt.decode(Bcrypt.encode(data, 16), 16));
  }
}
