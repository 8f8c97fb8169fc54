package io.sparkk8s.storage.client;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * One storage backend as the client sees it: the few operations the reader, the stager and the
 * checks need, over Hadoop's FileSystem or the Cloud Storage client. URIs are Hadoop URIs
 * ({@code gs://b/p}, {@code s3a://b/p}, {@code hdfs://nn:8020/p}, {@code file:///p}).
 */
interface Store extends Closeable {
  /** An entry of a directory listing. */
  record Entry(String uri, String name, boolean directory, long length, long modificationTime) {}

  /** The entries directly under {@code dirUri}; FileNotFoundException when it does not exist. */
  List<Entry> list(String dirUri) throws IOException;

  /** The entry at {@code uri}, or null. */
  Entry stat(String uri) throws IOException;

  /** Reads {@code uri} from {@code offset}. */
  InputStream open(String uri, long offset) throws IOException;

  /** Uploads {@code file} to {@code uri}, reporting bytes sent so far. */
  void upload(Path file, String uri, LongConsumer progress) throws IOException;

  /** Writes a small object (probes). */
  void write(String uri, byte[] content) throws IOException;

  /** Creates a directory and its parents (a placeholder object on Cloud Storage). */
  void mkdirs(String dirUri) throws IOException;

  /** Deletes one file. */
  void delete(String uri) throws IOException;

  /** Checks that the store's container (bucket, namenode, root directory) exists. */
  void checkRoot(String rootUri) throws IOException;
}
