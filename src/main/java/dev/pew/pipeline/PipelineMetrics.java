package dev.pew.pipeline;

/** What the pipeline reports; implemented by the worker's metrics. Implementations are thread-safe. */
public interface PipelineMetrics {

  /** A record left unfinished for the next owner of its partition (rebalance or shutdown). */
  void released();

  /** A redelivered event id sent within the window was answered without a call. */
  void duplicateAnswered();

  /** A record whose send a crashed owner had recorded got its result again, without a call. */
  void sendRecovered();
}
