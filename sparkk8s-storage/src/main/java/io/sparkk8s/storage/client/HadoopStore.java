package io.sparkk8s.storage.client;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;

/** A store over Hadoop's FileSystem: {@code hdfs://}, {@code file://}, {@code s3a://}. */
final class HadoopStore implements Store {
  private final FileSystem fs;

  private HadoopStore(FileSystem fs) {
    this.fs = fs;
  }

  /**
   * A store for {@code rootUri} with {@code conf} (which may hold credentials: it lives in memory
   * only), as {@code user} (null: the login user). FileSystem's cache is bypassed so credentials never leak between stores.
   */
  public static HadoopStore open(String rootUri, Map<String, String> conf, String user)
      throws IOException {
    Configuration c = new Configuration();
    conf.forEach(c::set);
    if (user == null) {
      return new HadoopStore(FileSystem.newInstance(URI.create(rootUri), c));
    }
    try {
      return new HadoopStore(FileSystem.newInstance(URI.create(rootUri), c, user));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while connecting to " + rootUri);
    }
  }

  @Override
  public List<Entry> list(String dirUri) throws IOException {
    List<Entry> out = new ArrayList<>();
    for (FileStatus s : fs.listStatus(new org.apache.hadoop.fs.Path(dirUri))) {
      out.add(entry(s));
    }
    return out;
  }

  @Override
  public Entry stat(String uri) throws IOException {
    try {
      return entry(fs.getFileStatus(new org.apache.hadoop.fs.Path(uri)));
    } catch (FileNotFoundException e) {
      return null;
    }
  }

  @Override
  public InputStream open(String uri, long offset) throws IOException {
    FSDataInputStream in = fs.open(new org.apache.hadoop.fs.Path(uri));
    if (offset > 0) {
      in.seek(offset);
    }
    return in;
  }

  @Override
  public void upload(Path file, String uri, LongConsumer progress) throws IOException {
    org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(uri);
    org.apache.hadoop.fs.Path tmp = new org.apache.hadoop.fs.Path(uri + "._staging");
    try (InputStream in = Files.newInputStream(file);
         OutputStream out = fs.create(tmp, true)) {
      Streams.copy(in, out, progress);
    }
    // Readers never see a half-written file under the final, content-addressed name.
    if (!fs.rename(tmp, target) && !fs.exists(target)) {
      throw new IOException("could not rename " + tmp + " to " + target);
    }
  }

  @Override
  public void write(String uri, byte[] content) throws IOException {
    try (OutputStream out = fs.create(new org.apache.hadoop.fs.Path(uri), true)) {
      out.write(content);
    }
  }

  @Override
  public void mkdirs(String dirUri) throws IOException {
    fs.mkdirs(new org.apache.hadoop.fs.Path(dirUri));
  }

  @Override
  public void delete(String uri) throws IOException {
    fs.delete(new org.apache.hadoop.fs.Path(uri), false);
  }

  @Override
  public void checkRoot(String rootUri) throws IOException {
    FileStatus s = fs.getFileStatus(new org.apache.hadoop.fs.Path(rootUri));
    if (!s.isDirectory()) {
      throw new FileNotFoundException(rootUri + " is a file, not a directory");
    }
    fs.listStatus(new org.apache.hadoop.fs.Path(rootUri));
  }

  @Override
  public void close() throws IOException {
    fs.close();
  }

  private static Entry entry(FileStatus s) {
    return new Entry(s.getPath().toString(), s.getPath().getName(), s.isDirectory(), s.getLen(),
        s.getModificationTime());
  }
}
