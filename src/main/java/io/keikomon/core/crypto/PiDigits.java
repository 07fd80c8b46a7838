package io.keikomon.core.crypto;

import java.math.BigInteger;

/**
 * The hexadecimal digits of pi's fraction, as 32-bit words: Blowfish's initial P-array and S-boxes are exactly
 * these ({@code 243F6A88 85A308D3 ...}). Computed with Machin's formula, pi = 16 atan(1/5) - 4 atan(1/239), in
 * fixed point with 64 guard bits, instead of pasting a 4 KB table.
 */
final class PiDigits {
  private static final int GUARD_BITS = 64;

  private PiDigits() {}

  /** The first {@code words} 32-bit words of pi's fractional part (pi = 3.243F6A88...). */
  static int[] fractionWords(int words) {
    int bits = words * 32 + GUARD_BITS;
    BigInteger pi = atanInverse(5, bits).shiftLeft(4).subtract(atanInverse(239, bits).shiftLeft(2));
    // pi * 2^bits: drop the integer part (3), then the guard bits
    BigInteger fraction = pi.subtract(BigInteger.valueOf(3).shiftLeft(bits)).shiftRight(GUARD_BITS);
    int[] out = new int[words];
    for (int i = 0; i < words; i++) {
      out[i] = fraction.shiftRight((words - 1 - i) * 32).intValue();
    }
    return out;
  }

  /** atan(1/x) * 2^bits, truncated, by its Taylor series (each term costs one division by x^2). */
  private static BigInteger atanInverse(int x, int bits) {
    BigInteger xSquared = BigInteger.valueOf((long) x * x);
    BigInteger power = BigInteger.ONE.shiftLeft(bits).divide(BigInteger.valueOf(x)); // 2^bits / x^(2k+1)
    BigInteger sum = power;
    for (int k = 1; power.signum() != 0; k++) {
      power = power.divide(xSquared);
      BigInteger term = power.divide(BigInteger.valueOf(2L * k + 1));
      sum = (k & 1) == 1 ? sum.subtract(term) : sum.add(term);
    }
    return sum;
  }
}
