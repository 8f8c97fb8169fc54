package io.sparkk8s.oracle.bridge;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.PathFilter;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.util.Progressable;

/**
 * The Hadoop file system of remote schemes (gs, s3a, hdfs, abfs...; see core-site.xml next to this
 * source) inside the oracle: it answers without any network.
 *
 * <p>{@code SparkSubmit.prepareSubmitEnvironment} globs the entries of {@code --jars},
 * {@code --files}, {@code --py-files} and {@code --archives} on their file system
 * ({@code DependencyUtils.resolveGlobPath}). For a path without wildcards the result is the path
 * itself whether the object exists or not, but getting there needs the scheme's connector and a
 * round trip to the store. Answering "no match" ({@code null}) gives Spark's result for such
 * paths offline. Wildcards stay unexpanded (real spark-submit would list the store).
 *
 * <p>Writes are accepted and discarded, so local files that Spark uploads to
 * {@code spark.kubernetes.file.upload.path} ({@code KubernetesUtils.uploadFileUri}: mkdirs, then
 * copyFromLocalFile) get the remote names Spark gives them. Reads fail: nothing is stored.
 */
public final class OfflineFileSystem extends FileSystem {

  private URI uri;

  @Override
  public void initialize(URI name, Configuration conf) throws IOException {
    super.initialize(name, conf);
    this.uri = URI.create(name.getScheme() + "://"
        + (name.getAuthority() == null ? "" : name.getAuthority()));
  }

  @Override
  public String getScheme() {
    return uri.getScheme();
  }

  @Override
  public URI getUri() {
    return uri;
  }

  @Override
  public FileStatus[] globStatus(Path pathPattern) {
    return null;
  }

  @Override
  public FileStatus[] globStatus(Path pathPattern, PathFilter filter) {
    return null;
  }

  @Override
  public FileStatus getFileStatus(Path path) throws IOException {
    throw offline(path);
  }

  @Override
  public FileStatus[] listStatus(Path path) throws IOException {
    throw offline(path);
  }

  @Override
  public FSDataInputStream open(Path path, int bufferSize) throws IOException {
    throw offline(path);
  }

  @Override
  public FSDataOutputStream create(Path path, FsPermission permission, boolean overwrite,
      int bufferSize, short replication, long blockSize, Progressable progress)
      throws IOException {
    return new FSDataOutputStream(OutputStream.nullOutputStream(), null);
  }

  @Override
  public FSDataOutputStream append(Path path, int bufferSize, Progressable progress)
      throws IOException {
    throw offline(path);
  }

  @Override
  public boolean rename(Path src, Path dst) throws IOException {
    throw offline(src);
  }

  @Override
  public boolean delete(Path path, boolean recursive) throws IOException {
    throw offline(path);
  }

  @Override
  public boolean mkdirs(Path path, FsPermission permission) {
    return true;
  }

  @Override
  public void setWorkingDirectory(Path dir) {}

  @Override
  public Path getWorkingDirectory() {
    return new Path(uri);
  }

  private static IOException offline(Path path) {
    return new FileNotFoundException(
        "the offline Spark reference reaches no remote file system: " + path);
  }
}
