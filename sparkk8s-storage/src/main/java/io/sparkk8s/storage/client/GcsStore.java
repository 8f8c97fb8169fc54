package io.sparkk8s.storage.client;

import com.google.api.gax.paging.Page;
import com.google.auth.Credentials;
import com.google.cloud.NoCredentials;
import com.google.cloud.ReadChannel;
import com.google.cloud.WriteChannel;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Bucket;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import com.google.cloud.storage.StorageOptions;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * A store over the Cloud Storage JSON API with google-cloud-storage. Cloud Storage has no
 * directories: a "directory" is a name prefix ending in '/'.
 */
final class GcsStore implements Store {
  private final Storage storage;

  private GcsStore(Storage storage) {
    this.storage = storage;
  }

  /**
   * A store reaching {@code endpoint} (null: Google's) with {@code credentials} (null: the
   * environment's Application Default Credentials).
   */
  public static GcsStore open(String endpoint, Credentials credentials, String projectId) {
    StorageOptions.Builder b = StorageOptions.http();
    if (endpoint != null) {
      b.setHost(endpoint);
    }
    if (credentials != null) {
      b.setCredentials(credentials);
    }
    if (projectId != null) {
      b.setProjectId(projectId);
    } else if (credentials == NoCredentials.getInstance()) {
      b.setProjectId("sparkk8s");
    }
    // Fail within seconds on an unreachable endpoint instead of retrying for minutes.
    b.setRetrySettings(StorageOptions.getDefaultRetrySettings().toBuilder().setMaxAttempts(3)
        .setTotalTimeoutDuration(Duration.ofSeconds(20)).build());
    return new GcsStore(b.build().getService());
  }

  /** Bucket and object name of a {@code gs://} URI. */
  static String[] split(String uri) {
    if (!uri.startsWith("gs://")) {
      throw new IllegalArgumentException("not a gs:// URI: " + uri);
    }
    String rest = uri.substring("gs://".length());
    int slash = rest.indexOf('/');
    if (slash < 0) {
      return new String[] {rest, ""};
    }
    String name = rest.substring(slash + 1);
    while (name.endsWith("/")) {
      name = name.substring(0, name.length() - 1);
    }
    return new String[] {rest.substring(0, slash), name};
  }

  @Override
  public List<Entry> list(String dirUri) throws IOException {
    String[] bn = split(dirUri);
    String prefix = bn[1].isEmpty() ? "" : bn[1] + "/";
    List<Entry> out = new ArrayList<>();
    try {
      Page<Blob> page = storage.list(bn[0], Storage.BlobListOption.prefix(prefix),
          Storage.BlobListOption.currentDirectory());
      for (Blob blob : page.iterateAll()) {
        String name = blob.getName();
        boolean dir = name.endsWith("/");
        String stripped = dir ? name.substring(0, name.length() - 1) : name;
        if (stripped.equals(bn[1])) {
          continue;   // the directory's own placeholder object
        }
        String leaf = stripped.substring(stripped.lastIndexOf('/') + 1);
        long mtime = blob.getUpdateTimeOffsetDateTime() == null ? 0
            : blob.getUpdateTimeOffsetDateTime().toInstant().toEpochMilli();
        out.add(new Entry("gs://" + bn[0] + "/" + stripped, leaf, dir,
            dir || blob.getSize() == null ? 0 : blob.getSize(), mtime));
      }
    } catch (StorageException e) {
      throw GcsErrors.io(e);
    }
    if (out.isEmpty() && !prefix.isEmpty() && stat(dirUri) == null) {
      // An empty prefix and no placeholder: as a file system would say, no such directory.
      throw new FileNotFoundException(dirUri + " does not exist");
    }
    return out;
  }

  @Override
  public Entry stat(String uri) throws IOException {
    String[] bn = split(uri);
    try {
      if (bn[1].isEmpty()) {
        return storage.get(bn[0]) == null ? null : new Entry(uri, bn[0], true, 0, 0);
      }
      Blob blob = storage.get(BlobId.of(bn[0], bn[1]));
      if (blob != null) {
        long mtime = blob.getUpdateTimeOffsetDateTime() == null ? 0
            : blob.getUpdateTimeOffsetDateTime().toInstant().toEpochMilli();
        return new Entry(uri, leaf(bn[1]), false, blob.getSize(), mtime);
      }
      Page<Blob> children = storage.list(bn[0], Storage.BlobListOption.prefix(bn[1] + "/"),
          Storage.BlobListOption.pageSize(1));
      return children.getValues().iterator().hasNext() ? new Entry(uri, leaf(bn[1]), true, 0, 0)
          : null;
    } catch (StorageException e) {
      throw GcsErrors.io(e);
    }
  }

  @Override
  public InputStream open(String uri, long offset) throws IOException {
    String[] bn = split(uri);
    try {
      ReadChannel ch = storage.reader(BlobId.of(bn[0], bn[1]));
      if (offset > 0) {
        ch.seek(offset);
      }
      return Channels.newInputStream(ch);
    } catch (StorageException e) {
      throw GcsErrors.io(e);
    }
  }

  @Override
  public void upload(Path file, String uri, LongConsumer progress) throws IOException {
    String[] bn = split(uri);
    try (WriteChannel ch = storage.writer(BlobInfo.newBuilder(bn[0], bn[1]).build());
         OutputStream out = Channels.newOutputStream(ch);
         InputStream in = Files.newInputStream(file)) {
      // An object appears only when the upload completes: no partial file is ever visible.
      Streams.copy(in, out, progress);
    } catch (StorageException e) {
      throw GcsErrors.io(e);
    }
  }

  @Override
  public void write(String uri, byte[] content) throws IOException {
    String[] bn = split(uri);
    try {
      String name = uri.endsWith("/") ? bn[1] + "/" : bn[1];
      storage.create(BlobInfo.newBuilder(bn[0], name).build(), content);
    } catch (StorageException e) {
      throw GcsErrors.io(e);
    }
  }

  @Override
  public void mkdirs(String dirUri) throws IOException {
    String[] bn = split(dirUri);
    if (!bn[1].isEmpty() && stat(dirUri) == null) {
      // The placeholder the GCS connector itself writes for a directory.
      write("gs://" + bn[0] + "/" + bn[1] + "/", new byte[0]);
    }
  }

  @Override
  public void delete(String uri) throws IOException {
    String[] bn = split(uri);
    try {
      storage.delete(BlobId.of(bn[0], bn[1]));
    } catch (StorageException e) {
      throw GcsErrors.io(e);
    }
  }

  @Override
  public void checkRoot(String rootUri) throws IOException {
    String[] bn = split(rootUri);
    try {
      Bucket bucket = storage.get(bn[0]);
      if (bucket == null) {
        throw new FileNotFoundException("bucket '" + bn[0] + "' does not exist");
      }
      storage.list(bn[0], Storage.BlobListOption.prefix(bn[1].isEmpty() ? "" : bn[1] + "/"),
          Storage.BlobListOption.pageSize(1));
    } catch (StorageException e) {
      throw GcsErrors.io(e);
    }
  }

  @Override
  public void close() throws IOException {
    try {
      storage.close();
    } catch (Exception e) {
      throw new IOException(e);
    }
  }

  private static String leaf(String name) {
    return name.substring(name.lastIndexOf('/') + 1);
  }
}
