package io.sparkk8s.storage.client;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.ning.compress.lzf.LZFInputStream;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jpountz.lz4.LZ4BlockInputStream;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.xxhash.XXHashFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xerial.snappy.SnappyInputStream;

/**
 * Spark's event log format, as written by {@code org.apache.spark.deploy.history.EventLogFileWriters}
 * (single and rolling) through {@code org.apache.spark.io.CompressionCodec}: one JSON event per
 * line; file names {@code <appId>[_<attempt>][.<codec>][.inprogress]}; rolling logs in
 * {@code eventlog_v2_<appId>[_<attempt>]/} with {@code events_<n>_<appId>[_<attempt>][.<codec>][.compact]}
 * files and an {@code appstatus_<appId>[_<attempt>][.inprogress]} marker.
 */
final class EventLogs {
  /** The reader's logger. */
  public static final Logger LOG = LoggerFactory.getLogger("io.sparkk8s.storage.client.EventLogReader");

  static final String IN_PROGRESS = ".inprogress";
  static final String ROLLING_DIR_PREFIX = "eventlog_v2_";
  static final String COMPACTED = ".compact";
  private static final Pattern EVENTS_FILE = Pattern.compile("events_(\\d+)_.*");
  private static final Set<String> CODECS = Set.of("lz4", "lzf", "snappy", "zstd");
  /** Spark's lz4 codec checksums blocks with XXHash32 seeded thus (lz4-java's default). */
  private static final int LZ4_SEED = 0x9747b28c;
  /** How much of an uncompressed log's tail is read to find its end. */
  static final long TAIL_BYTES = 1 << 20;
  private static final String EVENT_PREFIX = "{\"Event\":\"SparkListener";

  private EventLogs() {}

  /** What the head of a log says. */
  record Start(String appId, String name, String attemptId, long time, String user,
      String sparkVersion) {}

  /** The summary of the log at {@code entry}, or empty when it is not an application's log. */
  public static Optional<ApplicationSummary> read(Store store, Store.Entry entry) throws IOException {
    if (entry.name().startsWith(".") || entry.name().endsWith("._staging")) {
      return Optional.empty();
    }
    if (entry.directory()) {
      return entry.name().startsWith(ROLLING_DIR_PREFIX) ? readRolling(store, entry)
          : Optional.empty();
    }
    Optional<String> codec = codec(entry.name());
    Scan scan = new Scan();
    if (codec.isEmpty() && entry.length() > 2 * TAIL_BYTES) {
      scanHead(store, entry.uri(), codec, scan);
      scanTail(store, entry.uri(), entry.length(), scan);
    } else {
      scanAll(store, entry.uri(), codec, scan);
    }
    return summary(scan, entry.uri(), entry.modificationTime(), codec, false);
  }

  private static Optional<ApplicationSummary> readRolling(Store store, Store.Entry dir)
      throws IOException {
    List<Store.Entry> files = new ArrayList<>();
    for (Store.Entry f : store.list(dir.uri())) {
      if (!f.directory() && EVENTS_FILE.matcher(f.name()).matches()) {
        files.add(f);
      }
    }
    if (files.isEmpty()) {
      return Optional.empty();
    }
    files.sort(Comparator.comparingLong(EventLogs::index));
    Store.Entry first = files.get(0);
    Store.Entry last = files.get(files.size() - 1);
    Optional<String> codec = codec(first.name().replace(COMPACTED, ""));
    Scan scan = new Scan();
    if (first == last) {
      scanAll(store, first.uri(), codec, scan);
    } else {
      scanHead(store, first.uri(), codec(first.name().replace(COMPACTED, "")), scan);
      Optional<String> lastCodec = codec(last.name());
      if (lastCodec.isEmpty() && last.length() > 2 * TAIL_BYTES) {
        scanTail(store, last.uri(), last.length(), scan);
      } else {
        scanAll(store, last.uri(), lastCodec, scan);
      }
    }
    long mtime = files.stream().mapToLong(Store.Entry::modificationTime).max().orElse(0);
    return summary(scan, dir.uri(), mtime, codec, true);
  }

  private static long index(Store.Entry f) {
    Matcher m = EVENTS_FILE.matcher(f.name());
    return m.matches() ? Long.parseLong(m.group(1)) : Long.MAX_VALUE;
  }

  /** The codec named by a log file's extension, as Spark's {@code EventLogFileWriter.codecName}. */
  static Optional<String> codec(String fileName) {
    String name = fileName.endsWith(IN_PROGRESS)
        ? fileName.substring(0, fileName.length() - IN_PROGRESS.length()) : fileName;
    int dot = name.lastIndexOf('.');
    if (dot < 0) {
      return Optional.empty();
    }
    String ext = name.substring(dot + 1);
    return CODECS.contains(ext) ? Optional.of(ext) : Optional.empty();
  }

  /** {@code in} decompressed as Spark's codec {@code codec} frames it. */
  static InputStream decompress(InputStream in, Optional<String> codec) throws IOException {
    if (codec.isEmpty()) {
      return in;
    }
    InputStream buffered = new BufferedInputStream(in, 1 << 16);
    return switch (codec.get()) {
      // Spark: LZ4BlockOutputStream with XXHash32 checksums; read with concatenation allowed.
      case "lz4" -> new LZ4BlockInputStream(buffered,
          LZ4Factory.fastestInstance().fastDecompressor(),
          XXHashFactory.fastestInstance().newStreamingHash32(LZ4_SEED).asChecksum(), false);
      case "lzf" -> new LZFInputStream(buffered);
      // Spark: snappy-java's own stream format (SnappyOutputStream), not the framing format.
      case "snappy" -> new SnappyInputStream(buffered);
      // Continuous: a log still being written ends in a partial frame; read up to it.
      case "zstd" -> new ZstdInputStreamNoFinalizer(buffered).setContinuous(true);
      default -> throw new IOException("unknown event log codec " + codec.get());
    };
  }

  /** What has been found so far. */
  static final class Scan {
    String sparkVersion;
    Start start;
    Long endTime;
  }

  private static void scanHead(Store store, String uri, Optional<String> codec, Scan scan)
      throws IOException {
    try (BufferedReader r = reader(store, uri, 0, codec)) {
      String line;
      while (scan.start == null && (line = readLine(r)) != null) {
        accept(line, scan, true);
      }
    }
  }

  private static void scanTail(Store store, String uri, long length, Scan scan)
      throws IOException {
    try (BufferedReader r = reader(store, uri, length - TAIL_BYTES, Optional.empty())) {
      readLine(r);   // most likely the end of a line cut in the middle
      String line;
      while ((line = readLine(r)) != null) {
        accept(line, scan, false);
      }
    }
  }

  private static void scanAll(Store store, String uri, Optional<String> codec, Scan scan)
      throws IOException {
    try (BufferedReader r = reader(store, uri, 0, codec)) {
      String line;
      while ((line = readLine(r)) != null) {
        accept(line, scan, true);
      }
    }
  }

  private static BufferedReader reader(Store store, String uri, long offset,
      Optional<String> codec) throws IOException {
    InputStream raw = store.open(uri, offset);
    try {
      return new BufferedReader(new InputStreamReader(decompress(raw, codec),
          StandardCharsets.UTF_8), 1 << 16);
    } catch (IOException | RuntimeException e) {
      raw.close();
      throw e;
    }
  }

  /** The next line; null at the end, or where a log still being written is cut short. */
  private static String readLine(BufferedReader r) throws IOException {
    try {
      return r.readLine();
    } catch (java.io.EOFException e) {
      return null;
    }
  }

  private static void accept(String line, Scan scan, boolean head) {
    if (!line.startsWith(EVENT_PREFIX)) {
      return;
    }
    String rest = line.substring(EVENT_PREFIX.length());
    if (head && scan.sparkVersion == null && rest.startsWith("LogStart\"")) {
      scan.sparkVersion = str(parse(line), "Spark Version");
    } else if (head && scan.start == null && rest.startsWith("ApplicationStart\"")) {
      JsonObject o = parse(line);
      if (o != null) {
        scan.start = new Start(str(o, "App ID"), str(o, "App Name"), str(o, "App Attempt ID"),
            o.has("Timestamp") ? o.get("Timestamp").getAsLong() : 0, str(o, "User"), null);
      }
    } else if (rest.startsWith("ApplicationEnd\"")) {
      JsonObject o = parse(line);
      if (o != null && o.has("Timestamp")) {
        scan.endTime = o.get("Timestamp").getAsLong();
      }
    }
  }

  private static JsonObject parse(String line) {
    try {
      return JsonParser.parseString(line).getAsJsonObject();
    } catch (RuntimeException e) {
      return null;   // a line cut short at the end of a log still being written
    }
  }

  private static String str(JsonObject o, String key) {
    return o != null && o.has(key) && !o.get(key).isJsonNull() ? o.get(key).getAsString() : null;
  }

  private static Optional<ApplicationSummary> summary(Scan scan, String uri, long mtime,
      Optional<String> codec, boolean rolling) {
    if (scan.start == null) {
      LOG.debug("no SparkListenerApplicationStart in {}; not an application's log", uri);
      return Optional.empty();
    }
    Start s = scan.start;
    String id = s.appId() != null ? s.appId() : fallbackId(uri, rolling);
    ApplicationSummary.Builder b = ApplicationSummary.builder()
        .id(id)
        .name(s.name() == null ? "" : s.name())
        .sparkUser(s.user() == null ? "" : s.user())
        .startTime(Instant.ofEpochMilli(s.time()))
        .lastUpdated(Instant.ofEpochMilli(Math.max(mtime, s.time())))
        .logPath(uri)
        .rolling(rolling);
    if (s.attemptId() != null) {
      b.attemptId(s.attemptId());
    }
    if (scan.sparkVersion != null) {
      b.sparkVersion(scan.sparkVersion);
    }
    if (scan.endTime != null) {
      b.endTime(Instant.ofEpochMilli(scan.endTime));
    }
    codec.ifPresent(b::compressionCodec);
    return Optional.of(b.build());
  }

  private static String fallbackId(String uri, boolean rolling) {
    String name = uri.substring(uri.lastIndexOf('/') + 1);
    if (rolling) {
      name = name.substring(ROLLING_DIR_PREFIX.length());
    }
    int dot = name.indexOf('.');
    return dot < 0 ? name : name.substring(0, dot);
  }
}
