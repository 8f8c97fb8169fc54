package io.sparkk8s.storage.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Secret;
import io.sparkk8s.DirectoryLogArchive;
import io.sparkk8s.JobPhase;
import io.sparkk8s.JobState;
import io.sparkk8s.SparkJobHandle;
import io.sparkk8s.SparkKubernetes;
import io.sparkk8s.spec.Driver;
import io.sparkk8s.spec.Executor;
import io.sparkk8s.spec.Retention;
import io.sparkk8s.spec.SparkJob;
import io.sparkk8s.stagedapp.StagedMain;
import io.sparkk8s.storage.GcsStorage;
import io.sparkk8s.storage.S3Storage;
import io.sparkk8s.storage.StorageBackend;
import io.sparkk8s.storage.client.servers.StorageServers.GcsServer;
import io.sparkk8s.storage.client.servers.StorageServers.S3Server;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jobs whose code lives on the caller's disk, staged and submitted by {@link
 * DependencyStager#submit} to the S3 test server and to the Cloud Storage test server and run on
 * the E2E cluster ({@code
 * SPARKK8S_IT_KUBECONFIG}, set by {@code scripts/test.sh}) with the connectors of the local Spark
 * image: a JVM job (its jar; the driver prints a token written into that jar, and SparkPi's tasks
 * make the executors fetch the jar from the bucket) and a Python job (its file, a {@code pyFiles}
 * zip the executors import a module from, and a data file). Their retention deletes them on
 * success, and the client, given the stager, deletes their staged files first: the bucket is
 * checked by the server's own means. The servers listen on the address of the cluster's node,
 * which its pods reach; each job's expected output is computed here.
 */
class StagedJobsE2E {
  private static final Duration RUN = Duration.ofMinutes(6);
  private static ApiClient client;
  private static ServersOnTheNode servers;
  private static S3Server s3;
  private static GcsServer gcs;

  @BeforeAll
  static void startServersOnTheNode() throws Exception {
    client = ServersOnTheNode.cluster("SPARKK8S_IT_KUBECONFIG");
    servers = ServersOnTheNode.start(client);
    s3 = servers.s3;
    gcs = servers.gcs;
  }

  @AfterAll
  static void stopServers() {
    if (servers != null) {
      servers.close();
    }
  }

  @Test
  void jobsStagedFromDiskToS3RunOnTheCluster(@TempDir Path disk) throws Exception {
    s3.createBucket("staged");
    S3Storage backend = S3Storage.of("staged").withEndpoint(s3.endpoint())
        .withPathStyleAccess(true).withCredentialsSecret("s3-creds").withImageHasConnector(true);
    StorageAccess access = StorageAccess.of(backend, StorageCredentials.s3(S3Server.ACCESS_KEY,
        S3Server.SECRET_KEY));
    runBoth(disk, backend, access, ns -> new V1Secret().metadata(new V1ObjectMeta()
        .name("s3-creds").namespace(ns)).stringData(Map.of("access-key", S3Server.ACCESS_KEY,
            "secret-key", S3Server.SECRET_KEY)), dir -> JobStagingTest.walk(s3.root().resolve("staged"), dir));
  }

  @Test
  void jobsStagedFromDiskToCloudStorageRunOnTheCluster(@TempDir Path disk) throws Exception {
    gcs.createBucket("staged");
    GcsStorage backend = GcsStorage.of("staged").withEndpoint(gcs.endpoint())
        .withUnauthenticated(true).withImageHasConnector(true);
    runBoth(disk, backend, StorageAccess.of(backend), ns -> null,
        dir -> gcs.objects("staged", dir + "/"));
  }

  /** The objects under a directory relative to the bucket's root, by the server's own means. */
  interface Listing {
    List<String> files(String relativeDir) throws Exception;
  }

  /**
   * Stages and submits the JVM and the Python job at once through a client given the stager,
   * checks what each printed, and that their retention deleted their staged files with them.
   */
  private void runBoth(Path disk, StorageBackend backend, StorageAccess access,
      java.util.function.Function<String, V1Secret> secret, Listing listing) throws Exception {
    String token = UUID.randomUUID().toString();
    Path jar = jvmJar(disk.resolve("app/staged-app.jar"), token);
    Path py = copy("main.py", disk.resolve("py/main.py"));
    Path zip = lettercountZip(disk.resolve("py/lettercount.zip"));
    Path letters = copy("letters.txt", disk.resolve("data/letters.txt"));
    CoreV1Api core = new CoreV1Api(client);
    String ns = "staged-" + token.substring(0, 8);
    core.createNamespace(new V1Namespace().metadata(new V1ObjectMeta().name(ns))).execute();
    DependencyStager stager = DependencyStager.to(access);
    try (SparkKubernetes spark = SparkKubernetes.builder()
        .kubeconfig(Path.of(System.getenv("SPARKK8S_IT_KUBECONFIG")), Optional.empty())
        // Retention deletes the drivers at their end: their logs are read from the archive.
        .driverLogArchive(DirectoryLogArchive.at(disk.resolve("driver-logs")))
        .stagedFiles(stager).connect()) {
      V1Secret s = secret.apply(ns);
      if (s != null) {
        core.createNamespacedSecret(ns, s).execute();
      }
      spark.ensureDriverServiceAccount(ns, "spark");
      StagedJob jvm = stager.submit(spark, job(ns, "staged-jvm", backend)
              .addJars("local:///opt/spark/examples/jars/spark-examples.jar").addArguments("2"),
          JobFiles.jvm(StagedMain.class.getName(), jar.toString()));
      StagedJob python = stager.submit(spark, job(ns, "staged-python", backend)
              .addArguments(token),
          JobFiles.python(py.toUri().toString()).withPyFiles(zip.toString())
              .withFiles(letters.toString()));
      String jvmDir = DependencyStager.DEFAULT_DIRECTORY + "/jobs/" + ns + "/"
          + jvm.handle().appId();
      String pyDir = DependencyStager.DEFAULT_DIRECTORY + "/jobs/" + ns + "/"
          + python.handle().appId();
      assertThat(jvm.directory()).isEqualTo(backend.rootUri() + "/" + jvmDir);
      assertThat(jvm.job().application().resource()).as("the jar's staged URI")
          .startsWith(jvm.directory() + "/").endsWith("/staged-app.jar");
      assertThat(python.files()).as("main.py, the zip, the data").hasSize(3);
      assertThat(listing.files(jvmDir)).hasSize(1);
      assertThat(listing.files(pyDir)).hasSize(3);

      String jvmLog = logOfSucceeded(jvm.handle());
      String pyLog = logOfSucceeded(python.handle());
      System.out.printf("[E2E] %s: %s | %s%n", backend.rootUri(), line(jvmLog, "STAGED-JVM "),
          line(pyLog, "STAGED-PYTHON "));
      assertThat(line(jvmLog, "STAGED-JVM ")).isEqualTo("STAGED-JVM token=" + token);
      assertThat(jvmLog).as("SparkPi ran its tasks on executors that fetched the staged jar")
          .contains("Pi is roughly");
      assertThat(line(pyLog, "STAGED-PYTHON ")).isEqualTo("STAGED-PYTHON token=" + token
          + " from=zip initials=" + expectedInitials(Files.readString(letters)));

      // Retention (delete on success) deletes each driver, and first its staged files.
      await("both drivers deleted by their retention").atMost(Duration.ofSeconds(90))
          .until(() -> core.listNamespacedPod(ns).labelSelector("spark-role=driver").execute()
              .getItems().isEmpty());
      assertThat(listing.files(jvmDir)).as("the JVM job's staged files").isEmpty();
      assertThat(listing.files(pyDir)).as("the Python job's staged files").isEmpty();
    } finally {
      core.deleteNamespace(ns).execute();
    }
  }

  private static SparkJob.Builder job(String ns, String name, StorageBackend backend) {
    return SparkJob.builder().name(name).namespace(ns).serviceAccount("spark")
        .addStorage(backend).retention(Retention.deleteOnSuccess())
        .driver(Driver.builder().memory("512m").coreRequest("100m").build())
        .executor(Executor.builder().instances(1).memory("512m").coreRequest("100m").build());
  }

  private static String logOfSucceeded(SparkJobHandle job) throws IOException {
    JobState end = job.awaitCompletion(RUN);
    String log;
    try (InputStream in = job.driverLog()) {
      log = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(end.phase()).as("%s ended %s; its driver log:%n%s", job.name(), end, log)
        .isEqualTo(JobPhase.SUCCEEDED);
    return log;
  }

  private static String line(String log, String prefix) {
    return log.lines().filter(l -> l.startsWith(prefix)).findFirst()
        .orElseThrow(() -> new AssertionError("no line " + prefix + "in the driver log:\n" + log));
  }

  /** What lettercount.initial and countByValue make of the words, as the job prints them. */
  static String expectedInitials(String text) {
    Map<String, Long> counts = new TreeMap<>(Arrays.stream(text.split("\\s+"))
        .filter(w -> !w.isEmpty()).map(w -> w.substring(0, 1).toUpperCase(Locale.ROOT))
        .collect(Collectors.groupingBy(w -> w, Collectors.counting())));
    return counts.entrySet().stream().map(e -> e.getKey() + ":" + e.getValue())
        .collect(Collectors.joining(","));
  }

  /** A jar of {@link StagedMain} and a token file, written on the test's disk. */
  private static Path jvmJar(Path jar, String token) throws IOException {
    Files.createDirectories(jar.getParent());
    String cls = StagedMain.class.getName().replace('.', '/') + ".class";
    try (OutputStream file = Files.newOutputStream(jar);
         JarOutputStream out = new JarOutputStream(file);
         InputStream bytes = StagedMain.class.getClassLoader().getResourceAsStream(cls)) {
      out.putNextEntry(new JarEntry(cls));
      bytes.transferTo(out);
      out.closeEntry();
      out.putNextEntry(new JarEntry("staged-token.txt"));
      out.write(token.getBytes(StandardCharsets.UTF_8));
      out.closeEntry();
    }
    return jar;
  }

  private static Path lettercountZip(Path zip) throws IOException {
    Files.createDirectories(zip.getParent());
    try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip));
         InputStream in = resource("lettercount/__init__.py")) {
      out.putNextEntry(new ZipEntry("lettercount/__init__.py"));
      in.transferTo(out);
      out.closeEntry();
    }
    return zip;
  }

  private static Path copy(String name, Path to) throws IOException {
    Files.createDirectories(to.getParent());
    try (InputStream in = resource(name)) {
      Files.copy(in, to);
    }
    return to;
  }

  private static InputStream resource(String name) {
    InputStream in = StagedJobsE2E.class.getResourceAsStream("staged/" + name);
    assertThat(in).as("test resource staged/" + name).isNotNull();
    return in;
  }
}
