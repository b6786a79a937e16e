package dev.pew.bench;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Every comparison run as one CSV row ({@code benchmark-peers-runs.csv}), written as the runs end.
 * Not thread-safe.
 */
final class PeerRows implements AutoCloseable {

  static final String HEADER = "mode,point,latency_ms,max_in_flight,partitions,instances,cold_events,contender,repeat,"
      + "events,events_per_s,steady_events_per_s,startup_s,cpu_ms_per_event,window_cpu_ms_per_event,"
      + "harness_cpu_ms_per_event,heap_peak_mib,heap_after_gc_mib,rss_peak_mib,peak_in_flight,loaded_call_p50_ms,"
      + "loaded_call_p99_ms,loaded_call_mean_ms,e2e_p50_ms,e2e_p99_ms,added_p50_ms,added_p99_ms,failed,duplicates";

  private final Writer writer;

  private PeerRows(Writer writer) {
    this.writer = writer;
  }

  static PeerRows create(Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    w.write(HEADER + "\n");
    return new PeerRows(w);
  }

  void add(PeerPoint p, PeerRun r) throws IOException {
    writer.write(row(p, r) + "\n");
    writer.flush();
  }

  static String row(PeerPoint p, PeerRun r) {
    BenchPoint b = p.point();
    Measurement m = r.measurement();
    return String.format(Locale.ROOT, "%s,%s,%d,%d,%d,%d,%d,%s,%d,%d,%.1f,%.1f,%.2f,%.3f,%.3f,%.3f,%.1f,%.1f,%.1f,%d,"
            + "%.2f,%.2f,%.2f,%.1f,%.1f,%.2f,%.2f,%d,%d", p.mode().name().toLowerCase(Locale.ROOT), p.label(),
        b.latencyMs(), b.maxInFlight(), b.partitions(), b.instances(), p.events(), r.contender(), r.repeat(),
        m.events(), m.throughput(), r.steadyRate(), r.startupSeconds(), m.cpuSecondsPer1000(),
        r.windowCpuSecondsPer1000(), m.harnessCpuSecondsPer1000(), m.heapPeakMiB(), m.heapAfterGcMiB(),
        m.rssPeakMiB(), m.peakInFlight(), m.loadedCallP50(), m.loadedCallP99(), m.loadedCallMean(),
        m.endToEndP50(), m.endToEndP99(), m.addedP50(), m.addedP99(), m.failed(), m.duplicates());
  }

  @Override
  public void close() throws IOException {
    writer.close();
  }
}
