package io.restock.bench;

import java.lang.management.ManagementFactory;
import java.util.Map;

/**
 * CPU used by the instances and by the benchmark itself while the rounds ran: on a small machine
 * they compete with each other, MySQL and Redis, which is worth knowing when reading the rate.
 */
record CpuUse(Map<Integer, Double> instancesAtTrigger, Map<Integer, Double> instancesAtEnd,
    double benchAtTrigger, double benchAtEnd, double roundSeconds) {

  static double cpuSeconds(ProcessHandle process) {
    return process.info().totalCpuDuration().map(d -> d.toMillis() / 1e3).orElse(Double.NaN);
  }

  static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }
}
