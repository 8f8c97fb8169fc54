package io.sparkk8s.storage;

import io.sparkk8s.validate.Checks;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.immutables.value.Value;

/**
 * A directory of an HDFS cluster ({@code hdfs://}). Spark images carry the HDFS client.
 *
 * <pre>{@code
 * HdfsStorage logs = HdfsStorage.of("hdfs://namenode.hadoop.svc:8020", "/spark/events")
 *     .withHadoopConfigMap("hadoop-conf");   // core-site.xml, hdfs-site.xml (HA, ...)
 * }</pre>
 *
 * <p>A Hadoop configuration ConfigMap is mounted by Spark itself ({@code
 * spark.kubernetes.hadoop.configMapName}) on the driver and executors at {@code /opt/hadoop/conf}
 * with {@code HADOOP_CONF_DIR} pointing at it; use it for an HA nameservice or any setting beyond
 * the namenode's address. Kerberos is not handled here.
 */
@Value.Immutable
public abstract class HdfsStorage extends StorageBackend {
  HdfsStorage() {}

  /** {@code path} on the file system at {@code namenode} ({@code hdfs://host:port} or {@code hdfs://nameservice}). */
  public static HdfsStorage of(String namenode, String path) {
    return builder().namenode(namenode).path(path).build();
  }

  /** A builder, for every option. */
  public static Builder builder() {
    return new Builder();
  }

  /** The builder of {@link HdfsStorage}. */
  public static final class Builder extends ImmutableHdfsStorage.Builder {
    Builder() {}
  }

  @Override
  @Value.Default
  public String name() {
    return "hdfs";
  }

  /** The file system: {@code hdfs://host:port}, or {@code hdfs://nameservice} with a ConfigMap. */
  public abstract String namenode();

  /** The absolute path that is this backend's root. */
  @Value.Default
  public String path() {
    return "/";
  }

  /** A ConfigMap of Hadoop configuration files (core-site.xml, hdfs-site.xml) in the job's namespace. */
  public abstract Optional<String> hadoopConfigMap();

  /** A copy named {@code name}. */
  public abstract HdfsStorage withName(String name);

  /** A copy rooted at {@code path}. */
  public abstract HdfsStorage withPath(String path);

  /** A copy whose pods mount Hadoop configuration from ConfigMap {@code configMap}. */
  public abstract HdfsStorage withHadoopConfigMap(String configMap);

  @Override
  public String scheme() {
    return "hdfs";
  }

  @Override
  public String rootUri() {
    String nn = namenode().endsWith("/") ? namenode().substring(0, namenode().length() - 1) : namenode();
    return path().equals("/") ? nn : nn + path();
  }

  @Override
  public SortedMap<String, String> hadoopConf(String sparkVersion) {
    return new TreeMap<>();
  }

  @Override
  public List<String> connectorPackages(String sparkVersion) {
    return List.of();
  }

  @Override
  public SortedMap<String, String> sparkConf(String sparkVersion) {
    SortedMap<String, String> conf = super.sparkConf(sparkVersion);
    hadoopConfigMap().ifPresent(m -> conf.put("spark.kubernetes.hadoop.configMapName", m));
    return conf;
  }

  @Value.Check
  void check() {
    Checks c = Checks.of("HdfsStorage");
    StorageChecks.name(c, name());
    c.line("namenode", namenode());
    try {
      URI uri = new URI(namenode());
      c.require("hdfs".equals(uri.getScheme()) && uri.getHost() != null
              && (uri.getPath() == null || uri.getPath().isEmpty() || uri.getPath().equals("/"))
              && uri.getQuery() == null && uri.getUserInfo() == null,
          "namenode", namenode(), "must be hdfs://host:port or hdfs://nameservice, without a path");
    } catch (URISyntaxException e) {
      c.fail("namenode", namenode(), "must be a valid URI (" + e.getReason() + ")");
    }
    StorageChecks.absolutePath(c, "path", path());
    hadoopConfigMap().ifPresent(m -> c.dnsSubdomain("hadoopConfigMap", m));
    c.throwIfAny();
  }
}
