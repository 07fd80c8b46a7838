package io.keikomon.core.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * bcrypt ({@code $2b$}, Provos and Mazieres 1999, as OpenBSD and Go's x/crypto/bcrypt implement it): the hash
 * Prometheus' and Alertmanager's {@code basic_auth_users} expect. Written here because the dependency list is
 * fixed; checked against the published crypt_blowfish vectors and by the real servers accepting the passwords.
 */
public final class Bcrypt {
  /** 2^10 rounds: the cost Go's bcrypt.DefaultCost and htpasswd -B use. */
  public static final int DEFAULT_COST = 10;

  private static final int P_WORDS = 18;
  private static final int S_WORDS = 4 * 256;
  private static final int[] PI = PiDigits.fractionWords(P_WORDS + S_WORDS);
  /** "OrpheanBeholderScryDoubt", the text bcrypt encrypts 64 times. */
  private static final int[] MAGIC = words("OrpheanBeholderScryDoubt".getBytes(StandardCharsets.US_ASCII));
  private static final String ALPHABET = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  private static final SecureRandom RANDOM = new SecureRandom();

  static {
    if (PI[0] != 0x243F6A88 || PI[P_WORDS] != 0xD1310BA6 || PI[P_WORDS + S_WORDS - 1] != 0x3AC372E6) {
      throw new IllegalStateException("pi's digits came out wrong: P[0]=" + Integer.toHexString(PI[0]));
    }
  }

  private final int[] p = Arrays.copyOf(PI, P_WORDS);
  private final int[] s = Arrays.copyOfRange(PI, P_WORDS, P_WORDS + S_WORDS);

  private Bcrypt() {}

  /** {@code $2b$<cost>$<salt><hash>} with a random salt. */
  public static String hash(String password, int cost) {
    byte[] salt = new byte[16];
    RANDOM.nextBytes(salt);
    return hash(password, cost, salt);
  }

  /** {@code $2b$<cost>$<salt><hash>} with the given 16-byte salt. */
  public static String hash(String password, int cost, byte[] salt) {
    if (cost < 4 || cost > 31) {
      throw new IllegalArgumentException("bcrypt cost must be 4..31: " + cost);
    }
    if (salt.length != 16) {
      throw new IllegalArgumentException("bcrypt salt must be 16 bytes: " + salt.length);
    }
    byte[] raw = raw(password.getBytes(StandardCharsets.UTF_8), salt, cost);
    return "$2b$" + (cost < 10 ? "0" : "") + cost + "$" + encode(salt, 16) + encode(raw, 23);
  }

  /** True when {@code hash} ({@code $2a$}, {@code $2b$} or {@code $2y$}) is the bcrypt of {@code password}. */
  public static boolean verify(String password, String hash) {
    if (hash == null || hash.length() != 60 || hash.charAt(0) != '$' || hash.charAt(3) != '$' || hash.charAt(6) != '$'
        || !(hash.startsWith("$2a$") || hash.startsWith("$2b$") || hash.startsWith("$2y$"))) {
      return false;
    }
    int cost;
    try {
      cost = Integer.parseInt(hash.substring(4, 6));
    } catch (NumberFormatException e) {
      return false;
    }
    byte[] salt = decode(hash.substring(7, 29), 16);
    if (salt == null || cost < 4 || cost > 31) {
      return false;
    }
    String mine = hash(password, cost, salt);
    // the salt's last character carries 2 bits: compare the hash part only (the salt decoded the same)
    return MessageDigest.isEqual(mine.substring(29).getBytes(StandardCharsets.US_ASCII),
        hash.substring(29).getBytes(StandardCharsets.US_ASCII));
  }

  /** The 24 bytes of the encrypted magic text (the encoded hash keeps 23 of them). */
  static byte[] raw(byte[] password, byte[] salt, int cost) {
    // the key is the password with its terminating NUL, at most 72 bytes
    byte[] key = Arrays.copyOf(password, Math.min(password.length + 1, 72));
    Bcrypt state = new Bcrypt();
    state.expand(salt, key);
    byte[] noSalt = null;
    for (long i = 0, rounds = 1L << cost; i < rounds; i++) {
      state.expand(noSalt, key);
      state.expand(noSalt, salt);
    }
    int[] text = MAGIC.clone();
    for (int i = 0; i < 64; i++) {
      for (int j = 0; j < text.length; j += 2) {
        state.encrypt(text, j);
      }
    }
    byte[] out = new byte[text.length * 4];
    for (int i = 0; i < text.length; i++) {
      out[4 * i] = (byte) (text[i] >>> 24);
      out[4 * i + 1] = (byte) (text[i] >>> 16);
      out[4 * i + 2] = (byte) (text[i] >>> 8);
      out[4 * i + 3] = (byte) text[i];
    }
    return out;
  }

  /** Blowfish's key schedule, with bcrypt's salt mixed into each block (none: plain Blowfish schedule). */
  private void expand(byte[] salt, byte[] key) {
    int[] keyPos = {0};
    for (int i = 0; i < P_WORDS; i++) {
      p[i] ^= streamWord(key, keyPos);
    }
    int[] saltPos = {0};
    int[] block = {0, 0};
    for (int i = 0; i < P_WORDS; i += 2) {
      mix(block, salt, saltPos);
      p[i] = block[0];
      p[i + 1] = block[1];
    }
    for (int i = 0; i < S_WORDS; i += 2) {
      mix(block, salt, saltPos);
      s[i] = block[0];
      s[i + 1] = block[1];
    }
  }

  private void mix(int[] block, byte[] salt, int[] saltPos) {
    if (salt != null) {
      block[0] ^= streamWord(salt, saltPos);
      block[1] ^= streamWord(salt, saltPos);
    }
    encrypt(block, 0);
  }

  /** The next 4 bytes of {@code data}, cycling (Blowfish's key stream). */
  private static int streamWord(byte[] data, int[] pos) {
    int w = 0;
    for (int i = 0; i < 4; i++) {
      w = (w << 8) | (data[pos[0]] & 0xff);
      pos[0] = (pos[0] + 1) % data.length;
    }
    return w;
  }

  private int f(int x) {
    return ((s[x >>> 24] + s[0x100 | ((x >>> 16) & 0xff)]) ^ s[0x200 | ((x >>> 8) & 0xff)]) + s[0x300 | (x & 0xff)];
  }

  /** Encrypts the 64-bit block {@code lr[off], lr[off+1]} in place. */
  private void encrypt(int[] lr, int off) {
    int l = lr[off];
    int r = lr[off + 1];
    l ^= p[0];
    for (int i = 1; i <= 16; i += 2) {
      r ^= f(l) ^ p[i];
      l ^= f(r) ^ p[i + 1];
    }
    lr[off] = r ^ p[17];
    lr[off + 1] = l;
  }

  private static int[] words(byte[] bytes) {
    int[] w = new int[bytes.length / 4];
    int[] pos = {0};
    for (int i = 0; i < w.length; i++) {
      w[i] = streamWord(bytes, pos);
    }
    return w;
  }

  /** bcrypt's base64: its own alphabet, no padding, the first {@code len} bytes. */
  static String encode(byte[] data, int len) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < len; ) {
      int c1 = data[i++] & 0xff;
      b.append(ALPHABET.charAt(c1 >> 2));
      c1 = (c1 & 0x03) << 4;
      if (i >= len) {
        b.append(ALPHABET.charAt(c1));
        break;
      }
      int c2 = data[i++] & 0xff;
      c1 |= c2 >> 4;
      b.append(ALPHABET.charAt(c1));
      c1 = (c2 & 0x0f) << 2;
      if (i >= len) {
        b.append(ALPHABET.charAt(c1));
        break;
      }
      c2 = data[i++] & 0xff;
      c1 |= c2 >> 6;
      b.append(ALPHABET.charAt(c1));
      b.append(ALPHABET.charAt(c2 & 0x3f));
    }
    return b.toString();
  }

  /** The first {@code len} bytes a bcrypt base64 text encodes, or null when it has foreign characters. */
  static byte[] decode(String text, int len) {
    byte[] out = new byte[len];
    int n = 0;
    int bits = 0;
    int acc = 0;
    for (int i = 0; i < text.length() && n < len; i++) {
      int v = ALPHABET.indexOf(text.charAt(i));
      if (v < 0) {
        return null;
      }
      acc = (acc << 6) | v;
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        out[n++] = (byte) (acc >> bits);
        acc &= (1 << bits) - 1;
      }
    }
    return n == len ? out : null;
  }
}
