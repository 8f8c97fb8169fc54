package io.sparkk8s.internal.kube;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Handles by key, bounded for a client that lives for months: a handle whose job has not ended is
 * held here (the watch must find it to update it); once its job has ended it is held only weakly,
 * so it stays the one handle of that job for as long as a caller holds it, and is gone, entry and
 * all, once nobody does. A job that ended and that nobody references costs nothing here.
 */
final class HandleRegistry {
  private final Map<String, KubeJobHandle> live = new ConcurrentHashMap<>();
  private final Map<String, Ended> ended = new ConcurrentHashMap<>();
  private final ReferenceQueue<KubeJobHandle> collected = new ReferenceQueue<>();

  /** A handle of an ended job, held weakly; it knows its key to be removed when collected. */
  private static final class Ended extends WeakReference<KubeJobHandle> {
    final String key;

    Ended(String key, KubeJobHandle handle, ReferenceQueue<KubeJobHandle> queue) {
      super(handle, queue);
      this.key = key;
    }
  }

  /** The handle of this key, its job running or ended, or null. */
  KubeJobHandle get(String key) {
    purge();
    KubeJobHandle h = live.get(key);
    if (h != null) {
      return h;
    }
    Ended e = ended.get(key);
    return e == null ? null : e.get();
  }

  /** The handle of this key, or a new one made and held live. */
  synchronized KubeJobHandle computeIfAbsent(String key, Function<String, KubeJobHandle> make) {
    KubeJobHandle h = get(key);
    if (h == null) {
      h = make.apply(key);
      live.put(key, h);
    }
    return h;
  }

  /** Holds {@code handle} live under {@code key} (its job runs, or runs again). */
  synchronized void put(String key, KubeJobHandle handle) {
    ended.remove(key);
    live.put(key, handle);
  }

  /** Forgets {@code key} if it maps to {@code handle}. */
  synchronized void remove(String key, KubeJobHandle handle) {
    live.remove(key, handle);
    Ended e = ended.get(key);
    if (e != null && e.get() == handle) {
      ended.remove(key, e);
    }
  }

  /** Forgets {@code key}, whatever it maps to; returns what it mapped to, or null. */
  synchronized KubeJobHandle remove(String key) {
    KubeJobHandle h = live.remove(key);
    Ended e = ended.remove(key);
    return h != null ? h : e == null ? null : e.get();
  }

  /** {@code handle}'s job ended: held from now on only while a caller holds it. */
  synchronized void ended(String key, KubeJobHandle handle) {
    if (live.remove(key, handle)) {
      ended.put(key, new Ended(key, handle, collected));
    }
  }

  /** Whether a handle of a job in {@code namespace} that has not ended is held. */
  boolean anyLiveIn(String namespace) {
    return live.values().stream().anyMatch(h -> h.namespace().equals(namespace));
  }

  /** The handles whose jobs have not ended. */
  List<KubeJobHandle> live() {
    return List.copyOf(live.values());
  }

  /** How many handles of ended jobs are still held by callers (collected ones are not counted). */
  int endedHeld() {
    purge();
    return (int) ended.values().stream().filter(e -> e.get() != null).count();
  }

  /** Removes the entries of handles the garbage collector has taken. */
  private void purge() {
    for (var r = collected.poll(); r != null; r = collected.poll()) {
      Ended e = (Ended) r;
      ended.remove(e.key, e);
    }
  }
}
