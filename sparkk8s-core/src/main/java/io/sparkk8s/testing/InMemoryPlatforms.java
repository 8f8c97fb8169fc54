package io.sparkk8s.testing;

import io.sparkk8s.exception.NotFoundException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The platforms of an {@link InMemorySparkKubernetes}: what was deployed (compiled as the real
 * client compiles it), the claims and tokens created once and kept across teardowns.
 */
final class InMemoryPlatforms {
  /** Deployed platforms by namespace/name, with their compiled objects by kind/name. */
  private final Map<String, Map<String, Object>> platformObjects = new LinkedHashMap<>();
  private final Map<String, io.sparkk8s.spec.SparkPlatform> platforms = new LinkedHashMap<>();
  private final Map<String, String> tokens = new LinkedHashMap<>();
  private final Set<String> claims = new LinkedHashSet<>();
  private final Runnable ensureOpen;

  /** {@code ensureOpen} throws when the client is closed. */
  InMemoryPlatforms(Runnable ensureOpen) {
    this.ensureOpen = ensureOpen;
  }

  /**
   * Compiles {@code platform} as the real client does (so an invalid one fails the same way) and
   * records it; the result says which objects are new, changed or gone since the last deploy of
   * the same release. Claims and tokens are created once and kept across teardowns. With {@link
   * io.sparkk8s.DeployOptions#dryRun()} the result is the same and nothing is recorded (no API
   * server judges the objects here: that needs the real client).
   */
  io.sparkk8s.DeployResult deploy(io.sparkk8s.spec.SparkPlatform platform,
      io.sparkk8s.DeployOptions options) {
    Objects.requireNonNull(platform, "platform");
    Objects.requireNonNull(options, "options");
    boolean dry = options.isDryRun();
    var out = io.sparkk8s.SparkCompiler.compile(platform);
    synchronized (this) {
      ensureOpen.run();
      String release = platform.namespace() + "/" + platform.name();
      Map<String, Object> before = platformObjects.getOrDefault(release, Map.of());
      Map<String, Object> now = new LinkedHashMap<>();
      List<String> created = new ArrayList<>();
      List<String> updated = new ArrayList<>();
      List<String> unchanged = new ArrayList<>();
      for (var o : out.createdOnce()) {
        String key = o.getKind() + "/" + o.getMetadata().getName();
        String claimKey = platform.namespace() + "/" + key;
        if (dry ? !claims.contains(claimKey) : claims.add(claimKey)) {
          created.add(key);
        } else {
          unchanged.add(key);
        }
      }
      for (var o : out.applied()) {
        String key = o.getKind() + "/" + o.getMetadata().getName();
        // Compiling is deterministic: an unchanged description gives equal objects.
        now.put(key, o);
        if (!before.containsKey(key)) {
          created.add(key);
        } else if (before.get(key).equals(o)) {
          unchanged.add(key);
        } else {
          updated.add(key);
        }
      }
      List<String> deleted = before.keySet().stream().filter(k -> !now.containsKey(k)).toList();
      if (!dry) {
        platformObjects.put(release, now);
        platforms.put(release, platform);
      }
      return new io.sparkk8s.DeployResult(created, updated, unchanged, deleted, dry);
    }
  }

  /** Every service of a deployed platform is ready at once in memory; an absent one is "not deployed". */
  io.sparkk8s.PlatformStatus status(io.sparkk8s.spec.SparkPlatform platform) {
    Objects.requireNonNull(platform, "platform");
    synchronized (this) {
      ensureOpen.run();
      boolean deployed = platforms.containsKey(platform.namespace() + "/" + platform.name());
      List<io.sparkk8s.PlatformStatus.Component> components = new ArrayList<>();
      for (var c : io.sparkk8s.SparkCompiler.compile(platform).services()) {
        components.add(new io.sparkk8s.PlatformStatus.Component(c.name(), c.kind(), deployed,
            deployed ? "ready" : "not deployed", c.url(), Optional.empty()));
      }
      return new io.sparkk8s.PlatformStatus(platform.name(), platform.namespace(), components);
    }
  }

  /** Forgets the platform's objects; its claims and tokens are kept, as on a cluster. */
  void teardown(io.sparkk8s.spec.SparkPlatform platform) {
    synchronized (this) {
      ensureOpen.run();
      String release = platform.namespace() + "/" + platform.name();
      platformObjects.remove(release);
      platforms.remove(release);
    }
  }

  /** Forgets the platform's objects, claims and tokens. */
  void teardownAndDeleteClaims(io.sparkk8s.spec.SparkPlatform platform) {
    synchronized (this) {
      teardown(platform);
      var out = io.sparkk8s.SparkCompiler.compile(platform);
      out.createdOnce().forEach(o -> claims.remove(platform.namespace() + "/" + o.getKind() + "/"
          + o.getMetadata().getName()));
      tokens.keySet().removeIf(k -> k.startsWith(platform.namespace() + "/" + platform.name() + "/"));
    }
  }

  /**
   * A random token drawn once per notebook and kept until {@link #teardownAndDeleteClaims}.
   *
   * @throws NotFoundException when the platform is not deployed
   */
  String notebookToken(io.sparkk8s.spec.SparkPlatform platform, String notebook) {
    synchronized (this) {
      ensureOpen.run();
      if (!platforms.containsKey(platform.namespace() + "/" + platform.name())) {
        throw new NotFoundException("get", "Secret", platform.namespace(),
            platform.name() + "-" + notebook + "-token", 404, null, "platform not deployed", null);
      }
      return tokens.computeIfAbsent(platform.namespace() + "/" + platform.name() + "/" + notebook,
          k -> java.util.UUID.randomUUID().toString().replace("-", ""));
    }
  }

  /**
   * The credential of a deployed notebook, drawn once as {@link #notebookToken} does: for Zeppelin
   * with the user {@code admin}.
   *
   * @throws NotFoundException when the platform is not deployed
   * @throws IllegalArgumentException when the platform has no such notebook
   */
  io.sparkk8s.NotebookCredentials notebookCredentials(io.sparkk8s.spec.SparkPlatform platform,
      String notebook) {
    var nb = platform.notebooks().stream().filter(n -> n.name().equals(notebook)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("platform " + platform.name()
            + " has no notebook '" + notebook + "'"));
    String secret = notebookToken(platform, notebook);
    boolean zeppelin = nb.kind() == io.sparkk8s.spec.NotebookEnvironment.Kind.ZEPPELIN;
    return new io.sparkk8s.NotebookCredentials(nb.kind(),
        zeppelin ? Optional.of(io.sparkk8s.spec.NotebookEnvironment.ZEPPELIN_USER) : Optional.empty(),
        secret);
  }

  /** The platforms deployed and not torn down, in the order of their first deploy. */
  List<io.sparkk8s.spec.SparkPlatform> platforms() {
    synchronized (this) {
      return List.copyOf(platforms.values());
    }
  }
}
