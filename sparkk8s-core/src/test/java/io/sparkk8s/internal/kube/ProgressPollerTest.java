package io.sparkk8s.internal.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sparkk8s.JobPhase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * One poller for every followed job: reads only running jobs, at most {@link
 * ProgressPoller#IN_FLIGHT} at once whatever the number of jobs, each job in turn, and none once it
 * is no longer followed.
 */
class ProgressPollerTest {
  static final Duration INTERVAL = Duration.ofMillis(500);

  static final class Job implements ProgressPoller.Followed {
    volatile JobPhase phase = JobPhase.RUNNING;
    final AtomicInteger reads = new AtomicInteger();
    final CountDownLatch release;
    final AtomicInteger inFlight;
    final AtomicInteger mostInFlight;

    Job(CountDownLatch release, AtomicInteger inFlight, AtomicInteger mostInFlight) {
      this.release = release;
      this.inFlight = inFlight;
      this.mostInFlight = mostInFlight;
    }

    @Override
    public JobPhase phase() {
      return phase;
    }

    @Override
    public void readProgress() {
      mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      reads.incrementAndGet();
      try {
        release.await(); // a driver slow to answer
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        inFlight.decrementAndGet();
      }
    }
  }

  @Test
  void aHundredSlowJobsNeverHoldMoreThanTwoWorkers() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    try (Timers timers = new Timers(); ProgressPoller poller = new ProgressPoller(timers, INTERVAL)) {
      List<Job> jobs = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        Job j = new Job(release, inFlight, most);
        jobs.add(j);
        poller.follow(j);
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> inFlight.get() == ProgressPoller.IN_FLIGHT);
      // Two more ticks while the reads hang: nothing more is started.
      Duration twoTicks = INTERVAL.multipliedBy(2).plusMillis(500);
      await("no read beyond the two in flight").during(twoTicks).atMost(twoTicks.plusSeconds(1))
          .until(() -> most.get() == ProgressPoller.IN_FLIGHT
              && jobs.stream().mapToInt(j -> j.reads.get()).sum() == ProgressPoller.IN_FLIGHT);
      assertThat(most.get()).isEqualTo(ProgressPoller.IN_FLIGHT);
      assertThat(jobs.stream().mapToInt(j -> j.reads.get()).sum()).isEqualTo(ProgressPoller.IN_FLIGHT);
      // Retention and start timeouts still have workers: one more task runs at once.
      CountDownLatch other = new CountDownLatch(1);
      timers.now(other::countDown);
      assertThat(other.await(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      release.countDown();
    }
  }

  @Test
  void everyFollowedRunningJobIsReadInTurnAndAnEndedOrUnfollowedOneNoMore() throws Exception {
    CountDownLatch open = new CountDownLatch(0);
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    try (Timers timers = new Timers(); ProgressPoller poller = new ProgressPoller(timers, INTERVAL)) {
      Job running = new Job(open, inFlight, most);
      Job pending = new Job(open, inFlight, most);
      pending.phase = JobPhase.PENDING;
      Job third = new Job(open, inFlight, most);
      Job fourth = new Job(open, inFlight, most);
      for (Job j : List.of(running, pending, third, fourth)) {
        poller.follow(j);
      }
      assertThat(poller.followed()).isEqualTo(4);
      await().atMost(Duration.ofSeconds(10)).until(() -> running.reads.get() >= 2
          && third.reads.get() >= 2 && fourth.reads.get() >= 2);
      assertThat(pending.reads).as("not running yet: not read").hasValue(0);
      pending.phase = JobPhase.RUNNING;
      await().atMost(Duration.ofSeconds(10)).until(() -> pending.reads.get() >= 1);
      poller.unfollow(running);
      third.phase = JobPhase.SUCCEEDED;
      poller.unfollow(third);
      // A read handed over before the unfollow may still run: wait two ticks of the job still
      // followed, and until no read is in flight, before taking the counts.
      int fourthAtUnfollow = fourth.reads.get();
      await().atMost(Duration.ofSeconds(10))
          .until(() -> fourth.reads.get() >= fourthAtUnfollow + 2 && inFlight.get() == 0);
      int runningReads = running.reads.get();
      int thirdReads = third.reads.get();
      int fourthReads = fourth.reads.get();
      Duration twoTicks = INTERVAL.multipliedBy(2).plusMillis(500);
      await("no read of the unfollowed jobs").during(twoTicks).atMost(twoTicks.plusSeconds(1))
          .until(() -> running.reads.get() == runningReads && third.reads.get() == thirdReads);
      assertThat(running.reads).as("unfollowed").hasValue(runningReads);
      assertThat(third.reads).as("ended and unfollowed").hasValue(thirdReads);
      assertThat(fourth.reads.get()).as("still followed").isGreaterThan(fourthReads);
      assertThat(poller.followed()).isEqualTo(2);
    }
  }
}
