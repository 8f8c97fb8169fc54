package io.sparkk8s.storage.client;

import io.sparkk8s.SparkKubernetes;
import io.sparkk8s.StagedFiles;
import io.sparkk8s.spec.Application;
import io.sparkk8s.spec.SparkJob;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Uploads a job's local files to a backend and rewrites the job to their remote URIs: the job of
 * Spark's old resource staging server, done by the client. Files go under a content-addressed
 * path, {@code <directory>/sha256/<digest>/<file name>}, so a file already staged (same content)
 * is not uploaded again, two versions of {@code etl.jar} never overwrite each other, and a job
 * always runs the bytes it was staged with. The file name is kept: Spark uses it for {@code
 * --files} and Python imports.
 *
 * <pre>{@code
 * StorageAccess access = StorageAccess.of(GcsStorage.of("team-bucket"),
 *     StorageCredentials.gcsServiceAccountKey(Path.of("key.json")));
 * SparkJob job = DependencyStager.to(access).withListener(progressBar)
 *     .stage(SparkJob.builder().name("etl").namespace("spark"),
 *         JobFiles.jvm("com.example.Etl", "target/etl.jar").withJars("lib/postgres.jar"));
 * }</pre>
 *
 * <p>{@link #submit} stages one job's files under a directory of the job's own instead, and
 * submits it: a client given this stager ({@link io.sparkk8s.SparkKubernetes.Builder#stagedFiles})
 * deletes them with the job ({@link StagedFiles}).
 *
 * <p>Uploads never leave a partial file under the final name (Hadoop stores write a temporary
 * name and rename; Cloud Storage and S3 objects appear only when complete).
 */
public final class DependencyStager implements StagedFiles {
  /** The directory used when none is given, relative to the backend's root. */
  public static final String DEFAULT_DIRECTORY = "sparkk8s-deps";
  /** Where {@link #submit} stages a job's files, under the directory: {@code jobs/<namespace>/<job id>}. */
  public static final String JOBS = "jobs";
  /** Files of at least this size (8 MiB) report {@link StagingListener#progress progress}. */
  public static final long PROGRESS_THRESHOLD = 8L << 20;
  /** The root of the stand-in URIs a job id is derived with, never sent to a cluster. */
  private static final String PLACEHOLDER_ROOT = "sparkk8s-staged";
  private static final int MAX_DEPTH = 4;

  private final StorageAccess access;
  private final String directory;
  private final StagingListener listener;

  private DependencyStager(StorageAccess access, String directory, StagingListener listener) {
    this.access = Objects.requireNonNull(access, "access");
    this.directory = directory;
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  /** A stager to {@value #DEFAULT_DIRECTORY} under {@code access}'s backend root. */
  public static DependencyStager to(StorageAccess access) {
    return new DependencyStager(access, DEFAULT_DIRECTORY, new StagingListener() {});
  }

  /** A copy staging under {@code directory}, relative to the backend's root. */
  public DependencyStager withDirectory(String directory) {
    if (directory.startsWith("/") || directory.contains("..")) {
      throw new IllegalArgumentException("directory " + directory
          + " must be a relative path without '..'");
    }
    return new DependencyStager(access, directory, listener);
  }

  /** A copy reporting to {@code listener}. */
  public DependencyStager withListener(StagingListener listener) {
    return new DependencyStager(access, directory, listener);
  }

  /**
   * Stages every local file of {@code files}, sets the application, jars, files and Python files
   * of {@code job} to their remote URIs (remote ones as they were; jars and files are added to
   * those already in the builder), and builds the job.
   *
   * @throws IllegalArgumentException naming the field and path of a local file that does not exist
   *     or cannot be read
   * @throws StorageException naming backend, location and cause when an upload fails
   * @throws io.sparkk8s.exception.InvalidDescriptionException when the job is invalid
   */
  public SparkJob stage(SparkJob.Builder job, JobFiles files) {
    return withFiles(job, files, this::stageUri).build();
  }

  /**
   * The job URI of {@code pathOrUri}: staged when it is local (a plain path or {@code file:}),
   * unchanged when remote.
   */
  public String stageUri(String pathOrUri) {
    return stageUri("file", pathOrUri);
  }

  /**
   * Stages one local file, or finds it already staged.
   *
   * @throws IllegalArgumentException when {@code file} does not exist or is not a regular file
   * @throws StorageException when the upload fails
   */
  public StagedFile stage(Path file) {
    return stage("file", file);
  }

  /**
   * Stages the local files of {@code files} under a directory of the job's own, {@code
   * <directory>/jobs/<namespace>/<job id>/<digest>/<file name>}, sets the job's application, jars,
   * files and Python files to their remote URIs (remote ones as they were; jars and files added
   * to those already in the builder), and submits it through {@code spark}. A client given this
   * stager ({@link io.sparkk8s.SparkKubernetes.Builder#stagedFiles}) deletes the directory with
   * the job: when its retention deletes it, or a caller does; a job its retention keeps keeps its
   * files.
   *
   * <p>The job id is the job's {@code appId} when the builder sets one, else the one derived from
   * the description with the files' digests in place of their paths: the same job with the same
   * files gets the same id, so a second call finds the files staged (nothing is uploaded again)
   * and the job submitted, as the job's {@code OnConflict} says. A submit that fails leaves the
   * files for the next call; {@link #delete} removes them for good.
   *
   * @throws IllegalArgumentException naming the field and path of a local file that does not exist
   *     or cannot be read
   * @throws StorageException naming backend, location and cause when an upload fails
   * @throws io.sparkk8s.exception.InvalidDescriptionException when the job is invalid
   * @throws io.sparkk8s.exception.SparkK8sException when the submit fails
   */
  public StagedJob submit(SparkKubernetes spark, SparkJob.Builder job, JobFiles files) {
    Objects.requireNonNull(spark, "spark");
    StagedJob staged = stageFor(job, files);
    return staged.submitted(spark.submit(staged.job()));
  }

  /** As {@link #submit}, without submitting. */
  StagedJob stageFor(SparkJob.Builder job, JobFiles files) {
    // The digests first: they stand for the files in the description the job id is derived from.
    Map<String, Local> locals = new LinkedHashMap<>();
    SparkJob draft = withFiles(job, files, (field, uri) -> {
      Path path = localPath(uri);
      if (path == null) {
        return uri;
      }
      Local local = local(field, path);
      String name = "local:///" + PLACEHOLDER_ROOT + "/" + local.digest() + "/"
          + local.path().getFileName();
      locals.putIfAbsent(name, local);
      return name;
    }).build();
    StagedFiles.Key key = new StagedFiles.Key(draft.namespace(), draft.sparkAppId());
    String dir = jobDirectory(key);
    Map<String, String> staged = new LinkedHashMap<>();
    List<StagedFile> uploaded = new ArrayList<>();
    for (Map.Entry<String, Local> e : locals.entrySet()) {
      Local local = e.getValue();
      StagedFile file = upload(local, dir + "/" + local.digest().substring(0, 16) + "/"
          + local.path().getFileName());
      uploaded.add(file);
      staged.put(e.getKey(), file.jobUri());
    }
    java.util.function.UnaryOperator<String> real = uri -> staged.getOrDefault(uri, uri);
    Application a = draft.application();
    Application stagedApp = application(a.kind(), a.mainClass(), real.apply(a.resource()),
        a.pyFiles().stream().map(real).toList());
    // The label tells the client's retention to ask this stager about the job (StagedFiles.LABEL).
    SparkJob result = SparkJob.builder().from(draft).appId(key.jobId()).application(stagedApp)
        .putLabel(StagedFiles.LABEL, "true")
        .jars(draft.jars().stream().map(real).toList())
        .files(draft.files().stream().map(real).toList()).build();
    return new StagedJob(result, access.backend().resolve(dir), uploaded, null);
  }

  /**
   * Deletes the directory {@link #submit} staged job {@code key}'s files in, and everything under
   * it; nothing when there is none.
   *
   * @throws IOException when a file cannot be listed or deleted
   */
  @Override
  public void delete(StagedFiles.Key key) throws IOException {
    String relative = jobDirectory(key);
    if (access.localMount().isPresent()) {
      // A share mounted here: whoever may write to it must not make this delete elsewhere.
      Path p = access.localMount().get();
      for (String name : relative.split("/")) {
        p = p.resolve(name);
        if (Files.isSymbolicLink(p)) {
          throw new IOException(p + " is a symbolic link: the files staged for " + key
              + " are not deleted through it");
        }
      }
    }
    String dir = access.clientUri(access.backend().resolve(relative));
    try (Store store = access.openStore()) {
      deleteTree(store, dir, 0);
    }
  }

  /** {@code <directory>/jobs/<namespace>/<job id>}, relative to the backend's root. */
  private String jobDirectory(StagedFiles.Key key) {
    return directory + "/" + JOBS + "/" + key.namespace() + "/" + key.jobId();
  }

  /**
   * Deletes {@code uri} and what is under it, children first. {@link #submit} writes two levels;
   * anything deeper than {@value #MAX_DEPTH} was not written by it and stops the deletion. On a
   * share mounted here, a symbolic link is deleted as a link, never followed.
   */
  private static void deleteTree(Store store, String uri, int depth) throws IOException {
    if (depth > MAX_DEPTH) {
      throw new IOException(uri + " lies more than " + MAX_DEPTH + " levels under a staged job's"
          + " directory (the stager writes two); not deleted");
    }
    List<Store.Entry> entries;
    try {
      entries = store.list(uri);
    } catch (FileNotFoundException gone) {
      return;
    }
    for (Store.Entry e : entries) {
      Path link = localLink(e.uri());
      if (link != null) {
        Files.delete(link);   // the link, never what it points to
      } else if (e.directory()) {
        deleteTree(store, e.uri(), depth + 1);
      } else {
        store.delete(e.uri());
      }
    }
    store.delete(uri);
  }

  /** The path of {@code uri} when it is a symbolic link on this machine's disk, else null. */
  private static Path localLink(String uri) {
    if (!uri.startsWith("file:")) {
      return null;
    }
    Path p = Path.of(URI.create(uri));
    return Files.isSymbolicLink(p) ? p : null;
  }

  /**
   * {@code job} with the application of {@code files} and their jars and files added, each URI
   * passed through {@code f} (field, URI): staged, or stood in for.
   */
  private static SparkJob.Builder withFiles(SparkJob.Builder job, JobFiles files,
      java.util.function.BiFunction<String, String, String> f) {
    String resource = f.apply("resource", files.resource());
    List<String> pyFiles = each("pyFiles", files.pyFiles(), f);
    return job.application(application(files.kind(), files.mainClass(), resource, pyFiles))
        .addAllJars(each("jars", files.jars(), f))
        .addAllFiles(each("files", files.files(), f));
  }

  private static Application application(Application.Kind kind,
      java.util.Optional<String> mainClass, String resource, List<String> pyFiles) {
    return kind == Application.Kind.JVM ? Application.jvm(mainClass.orElseThrow(), resource)
        : Application.python(resource).withPyFiles(pyFiles);
  }

  private static List<String> each(String field, List<String> uris,
      java.util.function.BiFunction<String, String, String> f) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < uris.size(); i++) {
      out.add(f.apply(field + "[" + i + "]", uris.get(i)));
    }
    return out;
  }

  @Override
  public String toString() {
    return "DependencyStager(" + access.backend().resolve(directory) + ")";
  }

  private String stageUri(String field, String pathOrUri) {
    Path local = localPath(pathOrUri);
    return local == null ? pathOrUri : stage(field, local).jobUri();
  }

  /** The local path a string names, or null when it is a remote URI. */
  static Path localPath(String pathOrUri) {
    int colon = pathOrUri.indexOf(':');
    int slash = pathOrUri.indexOf('/');
    boolean hasScheme = colon > 1 && (slash < 0 || colon < slash);
    if (!hasScheme) {
      return Path.of(pathOrUri);
    }
    URI uri = URI.create(pathOrUri);
    return uri.getScheme().toLowerCase(Locale.ROOT).equals("file") ? Path.of(uri) : null;
  }

  private StagedFile stage(String field, Path file) {
    Local local = local(field, file);
    return upload(local, directory + "/sha256/" + local.digest() + "/"
        + local.path().getFileName());
  }

  /** A local file to stage, read once for its digest and size. */
  record Local(Path path, String digest, long size) {}

  private static Local local(String field, Path file) {
    Path path = file.toAbsolutePath().normalize();
    if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
      throw new IllegalArgumentException("cannot stage " + field + " " + file + ": "
          + (Files.exists(path) ? "not a readable regular file" : "no such file"));
    }
    try {
      return new Local(path, sha256(path), Files.size(path));
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot stage " + field + " " + file + ": " + e, e);
    }
  }

  /** Uploads {@code local} to {@code relative} under the backend's root, unless it is there. */
  private StagedFile upload(Local local, String relative) {
    Path path = local.path();
    long size = local.size();
    String uri = access.backend().resolve(relative);
    String here = access.clientUri(uri);
    boolean uploaded;
    try (Store store = access.openStore()) {
      Store.Entry existing = store.stat(here);
      if (existing != null && !existing.directory() && existing.length() == size) {
        listener.skipped(path, uri);
        uploaded = false;
      } else {
        listener.started(path, uri, size);
        long step = Math.max(1, size / 100);
        long[] reported = {0};
        store.upload(path, here, sent -> {
          if (size >= PROGRESS_THRESHOLD && (sent - reported[0] >= step || sent == size)) {
            reported[0] = sent;
            listener.progress(path, sent, size);
          }
        });
        listener.finished(path, uri, size);
        uploaded = true;
      }
    } catch (IOException | RuntimeException e) {
      throw Failures.translate(access.backend().name(), uri, e);
    }
    return StagedFile.builder().localPath(path).sha256(local.digest()).size(size).uri(uri)
        .jobUri(access.backend().jobUri(relative)).uploaded(uploaded).build();
  }

  static String sha256(Path file) throws IOException {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    byte[] buf = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      int n;
      while ((n = in.read(buf)) > 0) {
        md.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }
}
