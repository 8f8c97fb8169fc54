package io.sparkk8s.internal.kube;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** A task that waits (a slow API call) holds up no other job's timer. */
class TimersTest {

  @Test
  void aTimerFiresWhileEarlierWorkIsStillWaiting() throws Exception {
    try (Timers timers = new Timers()) {
      CountDownLatch slowStarted = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      CountDownLatch otherRan = new CountDownLatch(1);
      timers.now(() -> {
        slowStarted.countDown();
        try {
          release.await(); // the slow call: waits until the other job's timer has fired
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      assertThat(slowStarted.await(10, TimeUnit.SECONDS)).isTrue();
      timers.after(50, otherRan::countDown);
      // On a single timer thread this would wait for ever: the slow task holds the thread.
      assertThat(otherRan.await(10, TimeUnit.SECONDS))
          .as("the other job's timer fired while the slow call waited").isTrue();
      release.countDown();
    }
  }

  @Test
  void asManySlowCallsAsWorkersStillLeaveTheClockOnTime() throws Exception {
    try (Timers timers = new Timers()) {
      CountDownLatch release = new CountDownLatch(1);
      CountDownLatch started = new CountDownLatch(Timers.WORKERS);
      for (int i = 0; i < Timers.WORKERS; i++) {
        timers.now(() -> {
          started.countDown();
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
      }
      assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
      CountDownLatch ticked = new CountDownLatch(1);
      timers.clock().schedule(ticked::countDown, 50, TimeUnit.MILLISECONDS);
      assertThat(ticked.await(10, TimeUnit.SECONDS)).as("the clock keeps time").isTrue();
      release.countDown();
    }
  }

  @Test
  void aFailingTaskDoesNotStopLaterOnesAndWorkAfterCloseIsDropped() throws Exception {
    Timers timers = new Timers();
    CountDownLatch ran = new CountDownLatch(1);
    timers.now(() -> {
      throw new IllegalStateException("boom");
    });
    timers.after(10, ran::countDown);
    assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
    timers.close();
    AtomicBoolean late = new AtomicBoolean();
    timers.now(() -> late.set(true));
    timers.after(0, () -> late.set(true));
    Thread.sleep(100);
    assertThat(late).isFalse();
  }

  @Test
  void idleWorkersExitAndNewOnesStartWhenWorkComes() throws Exception {
    try (Timers timers = new Timers(Duration.ofMillis(200))) {
      CountDownLatch release = new CountDownLatch(1);
      CountDownLatch started = new CountDownLatch(Timers.WORKERS);
      for (int i = 0; i < Timers.WORKERS; i++) {
        timers.now(() -> {
          started.countDown();
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
      }
      assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(timers.workers()).isEqualTo(Timers.WORKERS);
      release.countDown();
      // A quiet client keeps no worker: its thread count goes back to the clock's one thread.
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> timers.workers() == 0);
      CountDownLatch again = new CountDownLatch(1);
      timers.now(again::countDown);
      assertThat(again.await(10, TimeUnit.SECONDS)).as("work after the workers left still runs").isTrue();
    }
  }
}
