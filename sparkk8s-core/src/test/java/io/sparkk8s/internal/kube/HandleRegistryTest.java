package io.sparkk8s.internal.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparkk8s.JobPhase;
import io.sparkk8s.JobState;
import java.lang.ref.WeakReference;
import org.junit.jupiter.api.Test;

/** Handles of running jobs are held; of ended jobs only while someone else holds them. */
class HandleRegistryTest {

  private static KubeJobHandle handle(String ns, String appId) {
    return new KubeJobHandle(null, ns, appId + "-driver", appId,
        JobState.of(JobPhase.SUBMITTED, ""), Runnable::run);
  }

  /** Collects garbage until {@code ref} is cleared (bounded: a test never waits for ever). */
  private static boolean collected(WeakReference<?> ref) throws InterruptedException {
    for (int i = 0; i < 50 && ref.get() != null; i++) {
      System.gc();
      byte[][] pressure = new byte[64][];
      for (int j = 0; j < pressure.length; j++) {
        pressure[j] = new byte[64 * 1024];
      }
      Thread.sleep(20);
    }
    return ref.get() == null;
  }

  @Test
  void aRunningJobsHandleIsHeldEvenWhenNobodyElseHoldsIt() throws Exception {
    HandleRegistry r = new HandleRegistry();
    WeakReference<KubeJobHandle> ref = new WeakReference<>(r.computeIfAbsent("a1",
        id -> handle("ns", id)));
    assertThat(collected(ref)).as("a running job's handle must not be collected").isFalse();
    assertThat(r.get("a1")).isSameAs(ref.get());
    assertThat(r.anyLiveIn("ns")).isTrue();
    assertThat(r.anyLiveIn("other")).isFalse();
  }

  @Test
  void anEndedJobsHandleStaysTheSameWhileHeldAndIsDroppedOnceNobodyHoldsIt() throws Exception {
    HandleRegistry r = new HandleRegistry();
    KubeJobHandle h = r.computeIfAbsent("a1", id -> handle("ns", id));
    r.ended("a1", h);
    assertThat(r.anyLiveIn("ns")).isFalse();
    assertThat(r.live()).isEmpty();
    // Held by the caller: found again, the same handle, and counted.
    System.gc();
    assertThat(r.get("a1")).isSameAs(h);
    assertThat(r.computeIfAbsent("a1", id -> handle("ns", id))).isSameAs(h);
    assertThat(r.endedHeld()).isEqualTo(1);

    WeakReference<KubeJobHandle> ref = new WeakReference<>(h);
    h = null;
    assertThat(collected(ref)).as("an ended job's handle nobody holds is collected").isTrue();
    assertThat(r.get("a1")).isNull();
    assertThat(r.endedHeld()).isZero();
  }

  @Test
  void twentyThousandEndedJobsLeaveNothingBehind() throws Exception {
    HandleRegistry r = new HandleRegistry();
    WeakReference<KubeJobHandle> last = null;
    for (int i = 0; i < 20_000; i++) {
      KubeJobHandle h = r.computeIfAbsent("a" + i, id -> handle("ns-" + (id.hashCode() % 200), id));
      r.ended("a" + i, h);
      last = new WeakReference<>(h);
    }
    assertThat(collected(last)).isTrue();
    assertThat(r.endedHeld()).isZero();
    assertThat(r.live()).isEmpty();
    assertThat(r.get("a0")).isNull();
    assertThat(r.get("a19999")).isNull();
  }

  @Test
  void aRetriedAttemptIsHeldLiveAgainAndRemoveForgetsOnlyItsOwnHandle() {
    HandleRegistry r = new HandleRegistry();
    KubeJobHandle h = handle("ns", "job");
    r.put("job", h);
    r.ended("job", h);
    r.put("job", h);
    assertThat(r.live()).containsExactly(h);
    r.remove("job", handle("ns", "job"));
    assertThat(r.get("job")).as("another handle does not remove this one").isSameAs(h);
    r.remove("job", h);
    assertThat(r.get("job")).isNull();
  }
}
