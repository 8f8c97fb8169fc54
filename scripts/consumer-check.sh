#!/usr/bin/env bash
# Projects outside the reactor that use sparkk8s as a team would, from the installed artifacts:
#   with-bom  imports io.sparkk8s:sparkk8s-bom and adds sparkk8s-core and sparkk8s-storage without versions;
#   plain     adds the two dependencies with their version and nothing else (the README's way).
# Each compiles a snippet with every lint warning an error, runs it (compile to YAML; stage a jar
# through a mounted share and list event logs, which loads Hadoop), and compares every library it
# resolves with the version the modules' own tests ran on. A library a consumer would get in another
# version than the one tested, or that no test of the modules ran with, fails the check.
#
#   scripts/consumer-check.sh        (after `mvn install`; scripts/test.sh runs it, about 30 s)
#
# Each dependency:tree is printed, and kept in target/consumer/<with-bom|plain>/dependency-tree.txt.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root="$PWD"
# The version of a plugin or project, from the line after its artifactId in the parent pom.
pom_version() {
  sed -n "/<artifactId>$1<\/artifactId>/{n;s/.*<version>\(.*\)<\/version>.*/\1/p;q}" pom.xml
}
version="$(pom_version sparkk8s-parent)"
compiler="$(pom_version maven-compiler-plugin)"
exec_plugin="$(pom_version exec-maven-plugin)"
dependency_plugin="$(pom_version maven-dependency-plugin)"
[ -n "$version" ] && [ -n "$compiler" ] && [ -n "$exec_plugin" ] && [ -n "$dependency_plugin" ] ||
  { echo "consumer-check: a version is missing in pom.xml" >&2; exit 1; }
for artifact in sparkk8s-bom/"$version"/sparkk8s-bom-"$version".pom \
    sparkk8s-core/"$version"/sparkk8s-core-"$version".jar sparkk8s-storage/"$version"/sparkk8s-storage-"$version".jar; do
  if [ ! -f "${MAVEN_LOCAL_REPO:-$HOME/.m2/repository}/io/sparkk8s/$artifact" ]; then
    echo "consumer-check: io/sparkk8s/$artifact is not installed: run mvn -B install first" >&2
    exit 1
  fi
done

# What each module's tests ran on: "group:artifact[:classifier] version" lines.
mkdir -p target/consumer
mvn -B -q -pl sparkk8s-core,sparkk8s-storage dependency:list -DincludeScope=test -DoutputFile=target/tested.txt >&2
# "   group:artifact:type[:classifier]:version:scope[ -- module x]" -> "group:artifact[:classifier] version"
coordinates() {
  sed -n 's/^ *\([^ ]*:[^ ]*\).*$/\1/p' "$@" | awk -F: 'NF >= 5 {
    key = $1 ":" $2; if (NF == 6) key = key ":" $4; print key, $(NF - 1) }' | sort -u
}
coordinates sparkk8s-core/target/tested.txt sparkk8s-storage/target/tested.txt > target/consumer/tested-versions.txt

# consumer with-bom|plain: writes, builds, runs and checks one consumer project.
consumer() {
  local kind="$1" management="" version_element=""
  local work="$root/target/consumer/$kind"
  rm -rf "$work" && mkdir -p "$work/src/main/java/com/example/consumer"
  if [ "$kind" = with-bom ]; then
    management="
  <dependencyManagement>
    <dependencies>
      <dependency>
        <groupId>io.sparkk8s</groupId>
        <artifactId>sparkk8s-bom</artifactId>
        <version>$version</version>
        <type>pom</type>
        <scope>import</scope>
      </dependency>
    </dependencies>
  </dependencyManagement>"
  else
    version_element="
      <version>$version</version>"
  fi
  cat > "$work/pom.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>com.example</groupId>
  <artifactId>sparkk8s-consumer-$kind</artifactId>
  <version>1</version>
  <properties>
    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
  </properties>$management
  <dependencies>
    <dependency>
      <groupId>io.sparkk8s</groupId>
      <artifactId>sparkk8s-core</artifactId>$version_element
    </dependency>
    <dependency>
      <groupId>io.sparkk8s</groupId>
      <artifactId>sparkk8s-storage</artifactId>$version_element
    </dependency>
  </dependencies>
  <build>
    <plugins>
      <plugin>
        <groupId>org.apache.maven.plugins</groupId>
        <artifactId>maven-compiler-plugin</artifactId>
        <version>$compiler</version>
        <configuration>
          <release>17</release>
          <compilerArgs><arg>-Xlint:all</arg><arg>-Werror</arg></compilerArgs>
        </configuration>
      </plugin>
      <plugin>
        <groupId>org.codehaus.mojo</groupId>
        <artifactId>exec-maven-plugin</artifactId>
        <version>$exec_plugin</version>
        <configuration>
          <mainClass>com.example.consumer.Consumer</mainClass>
          <arguments><argument>$work/share</argument></arguments>
        </configuration>
      </plugin>
      <plugin>
        <groupId>org.apache.maven.plugins</groupId>
        <artifactId>maven-dependency-plugin</artifactId>
        <version>$dependency_plugin</version>
      </plugin>
    </plugins>
  </build>
</project>
EOF
  cat > "$work/src/main/java/com/example/consumer/Consumer.java" <<'EOF'
package com.example.consumer;

import io.sparkk8s.SparkCompiler;
import io.sparkk8s.spec.Application;
import io.sparkk8s.spec.Executor;
import io.sparkk8s.spec.SparkJob;
import io.sparkk8s.storage.EventLog;
import io.sparkk8s.storage.NfsStorage;
import io.sparkk8s.storage.client.ApplicationSummary;
import io.sparkk8s.storage.client.DependencyStager;
import io.sparkk8s.storage.client.EventLogReader;
import io.sparkk8s.storage.client.JobFiles;
import io.sparkk8s.storage.client.StorageAccess;
import java.nio.file.Files;
import java.nio.file.Path;

/** What a consuming project does with both modules; args[0]: a directory standing for a mounted share. */
public final class Consumer {
  private Consumer() {}

  public static void main(String[] args) throws Exception {
    SparkJob pi = SparkJob.builder()
        .name("spark-pi")
        .namespace("jobs")
        .application(Application.jvm("org.apache.spark.examples.SparkPi",
            "local:///opt/spark/examples/jars/spark-examples.jar"))
        .addArgument("1000")
        .executor(Executor.builder().instances(2).memory("2g").build())
        .build();
    String yaml = SparkCompiler.compile(pi).toYaml();
    System.out.println("yaml objects: " + yaml.split("\n---\n").length
        + (yaml.contains("kind: Pod") ? ", with the driver Pod" : ", NO driver Pod"));

    Path share = Files.createDirectories(Path.of(args[0]));
    Path jar = Files.write(share.resolveSibling("etl.jar"), new byte[] {'P', 'K', 3, 4});
    NfsStorage nfs = NfsStorage.of("nfs.example.com", "/exports/spark").withName("share");
    StorageAccess access = StorageAccess.of(nfs).withLocalMount(share);
    SparkJob staged = DependencyStager.to(access).stage(
        SparkJob.builder().name("etl").namespace("jobs").eventLog(EventLog.to(nfs)),
        JobFiles.jvm("com.example.Etl", jar.toString()));
    System.out.println("staged resource: " + staged.application().resource());
    access.ensureDirectory(EventLog.to(nfs).directory());
    try (EventLogReader reader = EventLogReader.open(access)) {
      int apps = 0;
      for (ApplicationSummary ignored : reader.applications(EventLog.to(nfs))) {
        apps++;
      }
      System.out.println("event log applications: " + apps);
    }
  }
}
EOF

  echo "consumer-check: $kind: building a consumer of io.sparkk8s $version in $work" >&2
  local out="$work/run.txt"
  if ! (cd "$work" && mvn -B -q package exec:java > "$out" 2>&1); then
    cat "$out" >&2
    echo "consumer-check: $kind: the consumer project did not build or run (above)" >&2
    return 1
  fi
  cat "$out"
  if ! grep -q "with the driver Pod" "$out" || ! grep -q "staged resource: local:///mnt/sparkk8s/share/" "$out" ||
      ! grep -q "event log applications: 0" "$out"; then
    echo "consumer-check: $kind: the consumer ran but did not print what it should (above)" >&2
    return 1
  fi

  (cd "$work" && mvn -B -q dependency:tree -DoutputFile="$work/dependency-tree.txt" &&
    mvn -B -q dependency:list -DincludeScope=runtime -DoutputFile="$work/resolved.txt") >&2
  cat "$work/dependency-tree.txt"
  coordinates "$work/resolved.txt" > "$work/resolved-versions.txt"
  local tested="$root/target/consumer/tested-versions.txt" different untested
  different="$(join "$work/resolved-versions.txt" "$tested" | awk '$2 != $3')"
  untested="$(join -v 1 "$work/resolved-versions.txt" "$tested" | grep -v '^io.sparkk8s:' || true)"
  if [ -n "$different" ] || [ -n "$untested" ]; then
    [ -z "$different" ] ||
      printf 'consumer-check: %s: resolved in another version than tested (library, consumer, tested):\n%s\n' "$kind" "$different" >&2
    [ -z "$untested" ] ||
      printf 'consumer-check: %s: resolved, but on no test classpath of the modules:\n%s\n' "$kind" "$untested" >&2
    return 1
  fi
  echo "consumer-check: $kind: compiled and ran; its $(wc -l < "$work/resolved-versions.txt") runtime libraries are the versions the modules were tested with" >&2
}

consumer with-bom
consumer plain
