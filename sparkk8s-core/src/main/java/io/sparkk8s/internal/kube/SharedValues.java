package io.sparkk8s.internal.kube;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * One copy of the values that cached pods repeat. A watch reads each event into new objects, so
 * ten thousand cached driver pods held ten thousand copies of {@code "spark-role"},
 * {@code "driver"}, {@code "spark-kubernetes-driver"}, the namespace, the node and so on (about 12
 * strings and 750 bytes per pod, of a heap whose whole cost was 4.2 KB per tracked job), and a
 * time object (96 bytes) per timestamp even where pods were created in the same second.
 *
 * <p>Texts: label and annotation keys and values, the namespace, the node, the phase, reasons,
 * container names, condition types and statuses. Texts unique to one object (names, uids,
 * resource versions, messages) are not passed here. Times: whole seconds in UTC, as the API server
 * writes them.
 *
 * <p>Bounded by construction: two fixed tables of {@value #SLOTS} slots, each slot holding the
 * last value of its hash, so a value seen once is overwritten by the next one of its slot (the
 * eviction rule). The tables never hold more than {@value #SLOTS} strings of at most
 * {@value #MAX_LENGTH} characters and {@value #SLOTS} times, whatever the cluster sends. A miss
 * only costs the copy that would have been kept anyway.
 *
 * <p>Safe without locks: slots are written and read racily, but a slot only ever holds a complete
 * immutable object (a reference write is atomic, and the objects' fields are final), and a stale
 * or lost slot is only a miss.
 */
final class SharedValues {
  static final int SLOTS = 4096;
  static final int MAX_LENGTH = 128;
  private static final String[] TEXTS = new String[SLOTS];
  private static final OffsetDateTime[] TIMES = new OffsetDateTime[SLOTS];

  private SharedValues() {}

  /** {@code text}, or an equal string read before, so the cache keeps one copy of it. */
  static String text(String text) {
    if (text == null || text.length() > MAX_LENGTH) {
      return text;
    }
    int slot = slot(text.hashCode());
    String held = TEXTS[slot];
    if (text.equals(held)) {
      return held;
    }
    TEXTS[slot] = text;
    return text;
  }

  /** The UTC time of whole {@code epochSeconds}, made once while its slot holds it. */
  static OffsetDateTime time(long epochSeconds) {
    OffsetDateTime held = heldTime(epochSeconds);
    return held != null ? held
        : hold(OffsetDateTime.ofInstant(Instant.ofEpochSecond(epochSeconds), ZoneOffset.UTC));
  }

  /** {@code time}, or the equal one held (whole seconds in UTC only; any other is kept as it is). */
  static OffsetDateTime time(OffsetDateTime time) {
    if (time == null || time.getNano() != 0 || !ZoneOffset.UTC.equals(time.getOffset())) {
      return time;
    }
    OffsetDateTime held = heldTime(time.toEpochSecond());
    return held != null ? held : hold(time);
  }

  /** The time held for {@code epochSeconds}, or null. Only whole-second UTC times are held. */
  private static OffsetDateTime heldTime(long epochSeconds) {
    OffsetDateTime held = TIMES[slot(Long.hashCode(epochSeconds))];
    return held != null && held.toEpochSecond() == epochSeconds ? held : null;
  }

  private static OffsetDateTime hold(OffsetDateTime time) {
    TIMES[slot(Long.hashCode(time.toEpochSecond()))] = time;
    return time;
  }

  private static int slot(int hash) {
    return (hash ^ (hash >>> 16)) & (SLOTS - 1);
  }

  /** How many slots hold a value, texts and times (for the test of the bound). */
  static int held() {
    int n = 0;
    for (int i = 0; i < SLOTS; i++) {
      n += (TEXTS[i] != null ? 1 : 0) + (TIMES[i] != null ? 1 : 0);
    }
    return n;
  }
}
