package io.restock.infra;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Threads that never keep the JVM alive: every pool of the service stops by closing, not them. */
public final class DaemonThreads {
  private DaemonThreads() {}

  /** Each thread named {@code name}. */
  public static ThreadFactory named(String name) {
    return r -> daemon(new Thread(r, name));
  }

  /** Threads named {@code prefix-1}, {@code prefix-2}, ... */
  public static ThreadFactory numbered(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return r -> daemon(new Thread(r, prefix + "-" + count.incrementAndGet()));
  }

  private static Thread daemon(Thread thread) {
    thread.setDaemon(true);
    return thread;
  }
}
