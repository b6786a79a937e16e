package dev.pew.pipeline;

/** What the pipeline reports; implemented by the worker's metrics. Implementations are thread-safe. */
public interface PipelineMetrics {

  /** A record left unfinished for the next owner of its partition (rebalance or shutdown). */
  void released();
}
