package dev.pew.bench;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Every run's measurement as one CSV row, written as the runs end (a benchmark stopped halfway
 * keeps what it measured). Not thread-safe.
 */
final class RawRows implements AutoCloseable {

  static final String HEADER = "point,kind,latency_ms,max_in_flight,partitions,instances,repeat,events,events_per_s,loaded_call_p50_ms,loaded_call_p99_ms,loaded_call_mean_ms,"
      + "peak_in_flight,cpu_s_per_1000,harness_cpu_s_per_1000,heap_peak_mib,heap_after_gc_mib,rss_peak_mib,paced_rate,paced_events,call_p50_ms,call_p99_ms,"
      + "e2e_p50_ms,e2e_p99_ms,added_p50_ms,added_p99_ms,intake_p50_ms,intake_p99_ms,work_p50_ms,work_p99_ms,publish_p50_ms,publish_p99_ms,failed,duplicates";

  private final Writer writer;

  private RawRows(Writer writer) {
    this.writer = writer;
  }

  static RawRows create(Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    w.write(HEADER + "\n");
    return new RawRows(w);
  }

  void add(BenchPoint p, int repeat, Measurement m) throws IOException {
    writer.write(row(p, repeat, m) + "\n");
    writer.flush();
  }

  static String row(BenchPoint p, int repeat, Measurement m) {
    return String.format(Locale.ROOT, "%s,%s,%d,%d,%d,%d,%d,%d,%.1f,%.2f,%.2f,%.2f,%d,%.3f,%.3f,%.1f,%.1f,%.1f,%.1f,%d,%.2f,%.2f,%.1f,%.1f,"
            + "%.2f,%.2f,%.1f,%.1f,%.1f,%.1f,%.1f,%.1f,%d,%d", p.label(), p.kind(), p.latencyMs(), p.maxInFlight(), p.partitions(), p.instances(),
        repeat, m.events(), m.throughput(), m.loadedCallP50(), m.loadedCallP99(), m.loadedCallMean(), m.peakInFlight(), m.cpuSecondsPer1000(), m.harnessCpuSecondsPer1000(), m.heapPeakMiB(), m.heapAfterGcMiB(), m.rssPeakMiB(),
        m.pacedRate(), m.pacedEvents(), m.callP50(), m.callP99(), m.endToEndP50(), m.endToEndP99(), m.addedP50(),
        m.addedP99(), m.intakeP50(), m.intakeP99(), m.workP50(), m.workP99(), m.publishP50(), m.publishP99(), m.failed(), m.duplicates());
  }

  @Override
  public void close() throws IOException {
    writer.close();
  }
}
