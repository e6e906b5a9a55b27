package io.restock.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * CPU used by the instances and by the benchmark itself while the rounds ran: on a small machine
 * they compete with each other, MySQL and Redis, which is worth knowing when reading the rate.
 * And the machine's steal: on a VM, time its CPUs spent running other guests, which moved the
 * rate by several points from one day to the next on the same code.
 */
record CpuUse(Map<Integer, Double> instancesAtTrigger, Map<Integer, Double> instancesAtEnd,
    double benchAtTrigger, double benchAtEnd, double roundSeconds, long[] machineAtTrigger,
    long[] machineAtEnd) {

  static double cpuSeconds(ProcessHandle process) {
    return process.info().totalCpuDuration().map(d -> d.toMillis() / 1e3).orElse(Double.NaN);
  }

  static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  /**
   * The first line of /proc/stat: all CPUs' time in ticks (user, nice, system, idle, iowait, irq,
   * softirq, steal), or null where there is none (not Linux).
   */
  static long[] machineTicks() {
    try {
      String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      return Arrays.stream(fields, 1, 9).mapToLong(Long::parseLong).toArray();
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** Steal as a share of all CPU time from trigger to end, or NaN if /proc/stat was not read. */
  double stealShare() {
    if (machineAtTrigger == null || machineAtEnd == null) {
      return Double.NaN;
    }
    long total = 0;
    for (int i = 0; i < machineAtEnd.length; i++) {
      total += machineAtEnd[i] - machineAtTrigger[i];
    }
    return total == 0 ? Double.NaN : (double) (machineAtEnd[7] - machineAtTrigger[7]) / total;
  }
}
