package io.sparkk8s.internal.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.informer.ResourceEventHandler;
import io.kubernetes.client.informer.cache.Cache;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Pod;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The namespace watch's feed applies what its reflector reads as client-java's informer did
 * (add or update by whether the pod is cached, deletes of unknown pods dropped, a relist's missing
 * pods deleted as "final state unknown"), on the reflector's thread, and a failing handler does
 * not reach the reflector. The reflector and the API server behind it are exercised by the watch
 * E2E tests ({@code WatchExpiryE2E}, {@code BoundedClientE2E}, the disruptive suite).
 */
class PodFeedTest {
  private final List<String> told = new ArrayList<>();
  private final Cache<V1Pod> cache = PodFeed.cache("by-app",
      pod -> List.of(pod.getMetadata().getLabels().get("app")));
  private final PodFeed feed = new PodFeed(cache, new ResourceEventHandler<>() {
    @Override
    public void onAdd(V1Pod pod) {
      told.add("add " + key(pod) + " on " + Thread.currentThread().getName());
    }

    @Override
    public void onUpdate(V1Pod oldPod, V1Pod newPod) {
      told.add("update " + key(oldPod) + "@" + rv(oldPod) + " -> " + rv(newPod));
    }

    @Override
    public void onDelete(V1Pod pod, boolean finalStateUnknown) {
      told.add("delete " + key(pod) + (finalStateUnknown ? " (unknown)" : ""));
    }
  });

  private static V1Pod pod(String name, String rv, String app) {
    return new V1Pod().metadata(new V1ObjectMeta().namespace("ns").name(name).resourceVersion(rv)
        .labels(Map.of("app", app)));
  }

  private static String key(V1Pod pod) {
    return pod.getMetadata().getName();
  }

  private static String rv(V1Pod pod) {
    return pod.getMetadata().getResourceVersion();
  }

  @Test
  void addsUpdatesAndDeletesOnTheCallersThreadAsTheInformerDid() {
    String me = Thread.currentThread().getName();
    assertThat(feed.hasSynced()).isFalse();
    feed.replace(List.of(pod("a", "1", "x")), "1");
    assertThat(feed.hasSynced()).isTrue();
    feed.add(pod("b", "2", "y"));
    feed.update(pod("a", "3", "x"));
    feed.add(pod("b", "4", "y")); // an add of a cached pod (a replayed event) is an update
    feed.update(pod("c", "5", "x")); // an update of an unknown pod is an add
    feed.delete(pod("b", "6", "y"));
    feed.delete(pod("b", "6", "y")); // gone already: not told twice
    assertThat(told).containsExactly("add a on " + me, "add b on " + me, "update a@1 -> 3",
        "update b@2 -> 4", "add c on " + me, "delete b");
    assertThat(cache.listKeys()).containsExactlyInAnyOrder("ns/a", "ns/c");
    assertThat(cache.byIndex("by-app", "x")).extracting(PodFeedTest::key)
        .containsExactlyInAnyOrder("a", "c");
    assertThat(cache.byIndex("by-app", "y")).isEmpty();
  }

  @Test
  void aRelistUpdatesWhatItListsAndDeletesWhatItLacksAsFinalStateUnknown() {
    feed.replace(List.of(pod("a", "1", "x"), pod("b", "2", "x")), "2");
    told.clear();
    List<KubernetesObject> relisted = List.of(pod("b", "7", "x"), pod("d", "8", "z"));
    feed.replace(relisted, "8");
    assertThat(told).containsExactlyInAnyOrder("update b@2 -> 7", "add d on "
        + Thread.currentThread().getName(), "delete a (unknown)");
    assertThat(cache.listKeys()).containsExactlyInAnyOrder("ns/b", "ns/d");
    assertThat(cache.getByKey("ns/b").getMetadata().getResourceVersion()).isEqualTo("7");
  }

  @Test
  void aFailingHandlerIsLoggedAndTheFeedGoesOn() {
    PodFeed failing = new PodFeed(cache, new ResourceEventHandler<>() {
      @Override
      public void onAdd(V1Pod pod) {
        throw new IllegalStateException("handler bug");
      }

      @Override
      public void onUpdate(V1Pod oldPod, V1Pod newPod) {
        told.add("update " + key(newPod));
      }

      @Override
      public void onDelete(V1Pod pod, boolean finalStateUnknown) {}
    });
    failing.add(pod("a", "1", "x")); // would end the reflector's loop if it threw
    failing.update(pod("a", "2", "x"));
    assertThat(told).containsExactly("update a");
    assertThat(cache.getByKey("ns/a").getMetadata().getResourceVersion()).isEqualTo("2");
  }
}
