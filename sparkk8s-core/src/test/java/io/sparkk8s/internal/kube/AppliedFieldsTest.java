package io.sparkk8s.internal.kube;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Whether an apply changed anything, judged on StatefulSets the local API server returned
 * (Kubernetes 1.34, {@code kubectl apply --server-side --field-manager=sparkk8s
 * --show-managed-fields}; the files under {@code applied-fields/}). The first case is the race
 * the Celeborn E2E lost: the StatefulSet controller wrote status between the second deploy's read
 * and its apply, the version moved, and the deploy said "updated".
 */
class AppliedFieldsTest {
  private static final String US = PlatformDeployer.FIELD_MANAGER;

  @Test
  void aNoOpApplyAfterTheControllerWroteStatusIsUnchangedThoughTheVersionMoved() {
    JsonObject created = read("created");
    JsonObject again = read("after-noop");
    assertThat(version(created)).isNotEqualTo(version(again));
    assertThat(again.getAsJsonObject("status")).isNotNull();
    assertThat(AppliedFields.changed(created, again, US)).isFalse();
  }

  @Test
  void aLabelAnotherManagerAddedIsNotOurChange() {
    JsonObject labelled = read("labelled");
    assertThat(AppliedFields.changed(read("after-image"), labelled, US)).isFalse();
    assertThat(AppliedFields.changed(labelled, read("after-label-noop"), US)).isFalse();
  }

  @Test
  void aChangedValueAtTheTopOfTheSpecIsAChange() {
    assertThat(AppliedFields.changed(read("after-noop"), read("after-change"), US)).isTrue();
  }

  @Test
  void aChangedValueInsideAKeyedListIsAChangeEvenWithinTheSameSecond() {
    JsonObject before = read("after-change");
    JsonObject after = read("after-image");
    // The entry's time has a resolution of one second: make it equal, so only values can tell.
    ours(after).add("time", ours(before).get("time"));
    assertThat(ours(after)).isEqualTo(ours(before));
    assertThat(AppliedFields.changed(before, after, US)).isTrue();
    assertThat(AppliedFields.changed(before, before.deepCopy(), US)).isFalse();
  }

  @Test
  void aRemovedFieldIsAChangeEvenWithinTheSameSecond() {
    JsonObject before = read("after-label-noop");
    JsonObject after = read("after-env-removed");
    ours(after).add("time", ours(before).get("time"));
    assertThat(AppliedFields.changed(before, after, US)).isTrue();
  }

  @Test
  void aPortRenamedInsideAnEntryKeyedByNumberAndTextIsAChange() {
    JsonObject before = read("after-noop");
    JsonObject after = before.deepCopy();
    after.getAsJsonObject("spec").getAsJsonObject("template").getAsJsonObject("spec")
        .getAsJsonArray("containers").get(0).getAsJsonObject().getAsJsonArray("ports").get(0)
        .getAsJsonObject().addProperty("name", "rpc2");
    assertThat(AppliedFields.changed(before, after, US)).isTrue();
  }

  @Test
  void anObjectFirstAppliedByUsIsAChangeAndOneWithoutOwnershipIsComparedWhole() {
    JsonObject applied = read("after-noop");
    JsonObject unowned = applied.deepCopy();
    unowned.getAsJsonObject("metadata").remove("managedFields");
    assertThat(AppliedFields.changed(unowned, applied, US)).as("taking ownership").isTrue();

    JsonObject statusOnly = unowned.deepCopy();
    statusOnly.getAsJsonObject("status").addProperty("replicas", 99);
    statusOnly.getAsJsonObject("metadata").addProperty("resourceVersion", "9999");
    assertThat(AppliedFields.changed(unowned, statusOnly, US)).isFalse();
    JsonObject specChanged = unowned.deepCopy();
    specChanged.getAsJsonObject("spec").addProperty("replicas", 7);
    assertThat(AppliedFields.changed(unowned, specChanged, US)).isTrue();
  }

  @Test
  void aPlantedFieldSetAsDeepAsTheApiServerAllowsIsReadWithinTheDepthBound() {
    // Anyone who may update the object may write its managedFields. The API server decodes JSON
    // at most 10,000 levels deep; a set that deep is followed to MAX_DEPTH, then its value is
    // compared as it stands, so a change far down still shows.
    assertThat(AppliedFields.changed(planted(1), planted(1), US)).isFalse();
    assertThat(AppliedFields.changed(planted(1), planted(2), US)).isTrue();
    JsonObject unowned = planted(1);
    unowned.getAsJsonObject("metadata").remove("managedFields");
    JsonObject unownedChanged = planted(2);
    unownedChanged.getAsJsonObject("metadata").remove("managedFields");
    assertThat(AppliedFields.changed(unowned, planted(1), US)).as("taking ownership").isTrue();
    assertThat(AppliedFields.changed(unowned, unownedChanged, US)).isTrue();
  }

  @Test
  void treesCompareAsGsonComparesThem() {
    JsonObject a = read("after-change");
    for (String other : List.of("after-change", "after-noop", "after-image", "labelled",
        "after-env-removed", "created")) {
      JsonObject b = read(other);
      assertThat(AppliedFields.same(a, b)).as(other).isEqualTo(a.equals(b));
      assertThat(AppliedFields.same(b, a)).as(other).isEqualTo(b.equals(a));
    }
    assertThat(AppliedFields.same(JsonParser.parseString("[1,2]"), JsonParser.parseString("[2,1]"))).isFalse();
    assertThat(AppliedFields.same(JsonParser.parseString("{\"a\":[]}"), JsonParser.parseString("{\"a\":{}}")))
        .isFalse();
    assertThat(AppliedFields.same(JsonParser.parseString("{\"a\":1}"), JsonParser.parseString("{\"b\":1}")))
        .isFalse();
    assertThat(AppliedFields.same(JsonParser.parseString("{\"a\":null}"), JsonParser.parseString("{\"a\":null}")))
        .isTrue();
  }

  /** The object with a field 10,000 levels deep, ours by a field set as deep, holding {@code leaf}. */
  private static JsonObject planted(int leaf) {
    JsonObject object = read("after-noop");
    JsonObject set = new JsonObject();
    JsonObject value = new JsonObject();
    JsonObject s = set;
    JsonObject v = value;
    for (int i = 0; i < 10_000; i++) {
      JsonObject ns = new JsonObject();
      JsonObject nv = new JsonObject();
      s.add("f:a", ns);
      v.add("a", nv);
      s = ns;
      v = nv;
    }
    v.addProperty("leaf", leaf);
    object.add("deep", value);
    ours(object).getAsJsonObject("fieldsV1").add("f:deep", set);
    return object;
  }

  private static JsonObject ours(JsonObject object) {
    JsonArray entries = AppliedFields.entries(object, US);
    assertThat(entries).hasSize(1);
    return entries.get(0).getAsJsonObject();
  }

  private static String version(JsonObject o) {
    return o.getAsJsonObject("metadata").get("resourceVersion").getAsString();
  }

  private static JsonObject read(String name) {
    try (InputStream in = AppliedFieldsTest.class.getResourceAsStream("/applied-fields/" + name + ".json")) {
      return JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8)).getAsJsonObject();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
