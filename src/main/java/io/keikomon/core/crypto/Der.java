package io.keikomon.core.crypto;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The few ASN.1 DER encodings an X.509 certificate needs. Each method returns one complete element. */
final class Der {
  static final int SEQUENCE = 0x30;
  static final int SET = 0x31;
  private static final DateTimeFormatter UTC_TIME = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter GENERALIZED_TIME =
      DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);

  private Der() {}

  static byte[] element(int tag, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
    out.write(tag);
    int n = content.length;
    if (n < 0x80) {
      out.write(n);
    } else {
      int bytes = (32 - Integer.numberOfLeadingZeros(n) + 7) / 8;
      out.write(0x80 | bytes);
      for (int i = bytes - 1; i >= 0; i--) {
        out.write(n >>> (8 * i));
      }
    }
    out.writeBytes(content);
    return out.toByteArray();
  }

  static byte[] sequence(byte[]... parts) {
    return element(SEQUENCE, concat(parts));
  }

  static byte[] set(byte[]... parts) {
    return element(SET, concat(parts));
  }

  static byte[] integer(BigInteger v) {
    return element(0x02, v.toByteArray());
  }

  static byte[] bool(boolean v) {
    return element(0x01, new byte[] {(byte) (v ? 0xff : 0)});
  }

  static byte[] octets(byte[] v) {
    return element(0x04, v);
  }

  /** A BIT STRING of whole bytes (no unused bits). */
  static byte[] bits(byte[] v) {
    return bits(v, 0);
  }

  static byte[] bits(byte[] v, int unusedBits) {
    byte[] content = new byte[v.length + 1];
    content[0] = (byte) unusedBits;
    System.arraycopy(v, 0, content, 1, v.length);
    return element(0x03, content);
  }

  static byte[] utf8(String s) {
    return element(0x0c, s.getBytes(StandardCharsets.UTF_8));
  }

  /** UTCTime until 2049, GeneralizedTime from 2050 on (RFC 5280 4.1.2.5). */
  static byte[] time(Instant t) {
    int year = t.atZone(ZoneOffset.UTC).getYear();
    return year < 2050 ? element(0x17, UTC_TIME.format(t).getBytes(StandardCharsets.US_ASCII))
        : element(0x18, GENERALIZED_TIME.format(t).getBytes(StandardCharsets.US_ASCII));
  }

  static byte[] oid(String dotted) {
    String[] parts = dotted.split("\\.");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(Integer.parseInt(parts[0]) * 40 + Integer.parseInt(parts[1]));
    for (int i = 2; i < parts.length; i++) {
      long v = Long.parseLong(parts[i]);
      int groups = Math.max(1, (64 - Long.numberOfLeadingZeros(v) + 6) / 7);
      for (int g = groups - 1; g >= 0; g--) {
        out.write((int) ((v >>> (7 * g)) & 0x7f) | (g > 0 ? 0x80 : 0));
      }
    }
    return element(0x06, out.toByteArray());
  }

  /** [n] EXPLICIT (constructed context tag around a complete element). */
  static byte[] explicit(int n, byte[] inner) {
    return element(0xa0 | n, inner);
  }

  /** [n] IMPLICIT primitive (context tag replacing the element's own). */
  static byte[] implicit(int n, byte[] content) {
    return element(0x80 | n, content);
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
