package io.restock.bench;

import static io.restock.bench.Print.line;

import java.io.IOException;
import java.nio.file.Files;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the run cost: each instance's peak heap (from its GC log) and CPU, and the bench's own CPU. */
final class ResourceReport {
  private static final Pattern GC_LINE =
      Pattern.compile("(\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\)");

  private final Instances instances;
  private final CpuUse cpu;

  ResourceReport(Instances instances, CpuUse cpu) {
    this.instances = instances;
    this.cpu = cpu;
  }

  void print() {
    heap();
    cpu();
  }

  /** Peak heap from -Xlog:gc: the largest heap after a GC (live data) and before one (peak use). */
  private void heap() {
    for (Instance i : instances.all()) {
      long maxAfter = 0;
      long maxBefore = 0;
      int gcs = 0;
      try {
        for (String l : Files.readAllLines(i.gcLog())) {
          Matcher m = GC_LINE.matcher(l);
          if (m.find()) {
            gcs++;
            maxBefore = Math.max(maxBefore, bytes(m.group(1), m.group(2)));
            maxAfter = Math.max(maxAfter, bytes(m.group(3), m.group(4)));
          }
        }
      } catch (IOException e) {
        line("instance %d heap: no GC log (%s)", i.index(), e.getMessage());
        continue;
      }
      if (gcs == 0) {
        line("instance %d heap: no GC logged", i.index());
      } else {
        line("instance %d peak heap after GC: %d MB (before GC: %d MB, %d GCs)", i.index(),
            maxAfter >> 20, maxBefore >> 20, gcs);
      }
    }
  }

  /** CPU time from trigger to the last round's end, as a share of one CPU over that time. */
  private void cpu() {
    cpu.instancesAtEnd().forEach((k, end) -> cpuLine("instance " + k,
        end - cpu.instancesAtTrigger().getOrDefault(k, Double.NaN)));
    cpuLine("bench JVM (receiver, polling)", cpu.benchAtEnd() - cpu.benchAtTrigger());
    double steal = cpu.stealShare();
    line("machine CPU steal during the rounds: %s (/proc/stat; a VM's CPUs running other guests)",
        Double.isNaN(steal) ? "unknown" : String.format("%.1f%%", 100 * steal));
  }

  private void cpuLine(String who, double seconds) {
    line("%s CPU during the rounds: %.1f s over %.1f s (%.0f%% of one CPU)", who, seconds,
        cpu.roundSeconds(), 100 * seconds / cpu.roundSeconds());
  }

  private static long bytes(String amount, String unit) {
    long n = Long.parseLong(amount);
    return switch (unit) {
      case "K" -> n << 10;
      case "M" -> n << 20;
      default -> n << 30;
    };
  }
}
