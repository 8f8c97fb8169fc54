package io.sparkk8s.spec;

import com.google.common.hash.Hasher;

/**
 * Text as the UTF-8 bytes {@link String#getBytes(java.nio.charset.Charset)} gives (an unpaired
 * surrogate becomes {@code '?'}), counted or fed to a hash without making the byte array: limits
 * on arguments, environment and annotations count bytes of every job, and the derived application
 * id hashes the whole description's text. {@code Utf8BytesTest} holds both to {@code getBytes}.
 *
 * <pre>{@code
 * long bytes = Utf8Bytes.length(argument);
 * Utf8Bytes.put(hasher, text);
 * }</pre>
 */
final class Utf8Bytes {
  private static final int CHUNK = 256;

  private Utf8Bytes() {}

  /** The number of bytes of the text in UTF-8. */
  public static long length(CharSequence s) {
    long n = 0;
    int len = s.length();
    for (int i = 0; i < len; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n++;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else if (Character.isSurrogate(c)) {
        n++; // replaced by '?'
      } else {
        n += 3;
      }
    }
    return n;
  }

  /** Puts the text's UTF-8 bytes into the hasher, a few hundred at a time. */
  public static Hasher put(Hasher hasher, CharSequence s) {
    int len = s.length();
    // A short text gets a buffer its size: this is called on names of a few characters too.
    byte[] buf = new byte[Math.min(CHUNK, 3 * len + 4)];
    int at = 0;
    for (int i = 0; i < len; i++) {
      if (at > buf.length - 4) {
        hasher.putBytes(buf, 0, at);
        at = 0;
      }
      char c = s.charAt(i);
      if (c < 0x80) {
        buf[at++] = (byte) c;
      } else if (c < 0x800) {
        buf[at++] = (byte) (0xC0 | (c >> 6));
        buf[at++] = (byte) (0x80 | (c & 0x3F));
      } else if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
        int cp = Character.toCodePoint(c, s.charAt(++i));
        buf[at++] = (byte) (0xF0 | (cp >> 18));
        buf[at++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
        buf[at++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
        buf[at++] = (byte) (0x80 | (cp & 0x3F));
      } else if (Character.isSurrogate(c)) {
        buf[at++] = (byte) '?';
      } else {
        buf[at++] = (byte) (0xE0 | (c >> 12));
        buf[at++] = (byte) (0x80 | ((c >> 6) & 0x3F));
        buf[at++] = (byte) (0x80 | (c & 0x3F));
      }
    }
    hasher.putBytes(buf, 0, at);
    return hasher;
  }
}
