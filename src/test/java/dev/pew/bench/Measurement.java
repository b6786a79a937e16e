package dev.pew.bench;

/**
 * What one run of one {@link BenchPoint} measured. Rates in events per second, times in
 * milliseconds, memory in MiB; NaN where a figure does not apply (the raw pipe makes no calls and
 * has no metrics endpoint).
 *
 * @param events backlog size (the throughput phase)
 * @param throughput events per second while the backlog drained, between the 5th and 95th
 *     percentile of result timestamps (start-up and the last stragglers excluded)
 * @param loadedCallP50 call latency as the API saw it while the backlog drained (at saturation the
 *     simulator shares the CPU with everything else and its answers come late; the bound assumes they do not)
 * @param loadedCallP99 see loadedCallP50
 * @param loadedCallMean mean call latency while the backlog drained: Little's law with it instead of
 *     the configured latency gives the bound the worker could reach with the simulator as it was
 * @param peakInFlight highest number of calls the simulator had open at once
 * @param cpuSecondsPer1000 CPU seconds (user + system, all instances) per 1,000 events in the steady window
 * @param harnessCpuSecondsPer1000 CPU seconds of the harness (the broker, and the benchmark's JVM with
 *     the simulator, load generator and result reader) per 1,000 events in the steady window
 * @param heapPeakMiB most JVM heap in use on any instance before a collection (from its GC log)
 * @param heapAfterGcMiB most JVM heap still in use after a collection: an upper bound of the live
 *     set (a young collection leaves old-generation garbage for a later mixed one)
 * @param rssPeakMiB highest peak resident set size of any instance
 * @param pacedRate the open-loop rate of the latency phase
 * @param pacedEvents events of the latency phase
 * @param callP50 call latency as the API saw it (request in to answer out), latency phase
 * @param callP99 see callP50
 * @param endToEndP50 input record timestamp to result record timestamp, latency phase
 * @param endToEndP99 see endToEndP50
 * @param addedP50 end-to-end minus the event's own call latency: what Kafka and the worker add
 * @param addedP99 see addedP50
 * @param intakeP50 input timestamp to the result's {@code receivedAt}: Kafka delivery and intake
 * @param intakeP99 see intakeP50
 * @param workP50 {@code receivedAt} to {@code completedAt}: waiting for a call slot, the call, retries
 * @param workP99 see workP50
 * @param publishP50 {@code completedAt} to the result record's timestamp: building and sending the result
 * @param publishP99 see publishP50
 * @param failed results on the failed topic (should be 0: the simulator answers 200)
 * @param duplicates results seen more than once
 */
public record Measurement(int events, double throughput, double loadedCallP50, double loadedCallP99,
    double loadedCallMean, int peakInFlight, double cpuSecondsPer1000, double harnessCpuSecondsPer1000,
    double heapPeakMiB, double heapAfterGcMiB, double rssPeakMiB, double pacedRate, int pacedEvents, double callP50,
    double callP99, double endToEndP50, double endToEndP99, double addedP50, double addedP99, double intakeP50,
    double intakeP99, double workP50, double workP99, double publishP50, double publishP99, int failed,
    int duplicates) {}
