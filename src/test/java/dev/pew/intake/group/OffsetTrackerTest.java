package dev.pew.intake.group;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OffsetTrackerTest {

  private static final TopicPartition TP = new TopicPartition("in", 0);

  @Test
  void commitsUpToTheFirstUnfinishedRecordWhenCompletionsArriveOutOfOrder() {
    OffsetTracker tracker = new OffsetTracker();
    tracker.assign(TP, new OffsetAndMetadata(10));
    for (long o = 10; o < 15; o++) {
      assertThat(tracker.read(TP, o)).isTrue();
    }
    tracker.finish(TP, 12);
    tracker.finish(TP, 13);
    OffsetAndMetadata due = tracker.commitsDue().get(TP);
    assertThat(due.offset()).isEqualTo(10);
    assertThat(CompletedOffsets.decode(due.metadata()).orElseThrow().isDone(2)).isTrue();
    tracker.finish(TP, 10);
    tracker.finish(TP, 11);
    assertThat(tracker.commitsDue().get(TP).offset()).isEqualTo(14);
    tracker.finish(TP, 14);
    assertThat(tracker.commitsDue().get(TP)).isEqualTo(new OffsetAndMetadata(15, ""));
  }

  @Test
  void countsOffsetsThatWereNeverReadAsFinished() {
    OffsetTracker tracker = new OffsetTracker();
    tracker.assign(TP, new OffsetAndMetadata(0));
    tracker.read(TP, 0);
    tracker.read(TP, 5); // 1..4 compacted away
    tracker.read(TP, 9);
    tracker.finish(TP, 0);
    tracker.finish(TP, 9);
    OffsetAndMetadata due = tracker.commitsDue().get(TP);
    assertThat(due.offset()).isEqualTo(5);
    tracker.finish(TP, 5);
    assertThat(tracker.commitsDue().get(TP).offset()).isEqualTo(10);
  }

  @Test
  void startsFromTheFirstReadRecordWhenNothingWasCommitted() {
    OffsetTracker tracker = new OffsetTracker();
    tracker.assign(TP, null);
    assertThat(tracker.commitsDue()).isEmpty();
    tracker.read(TP, 7);
    assertThat(tracker.commitsDue().get(TP).offset()).isEqualTo(7);
  }

  @Test
  void doesNotRepeatACommitThatChangesNothing() {
    OffsetTracker tracker = new OffsetTracker();
    tracker.assign(TP, new OffsetAndMetadata(0));
    tracker.read(TP, 0);
    tracker.finish(TP, 0);
    Map<TopicPartition, OffsetAndMetadata> due = tracker.commitsDue();
    tracker.committed(due);
    assertThat(tracker.commitsDue()).isEmpty();
  }

  @Test
  void skipsRecordsThePreviousOwnerFinishedAndKeepsThemInLaterCommits() {
    OffsetTracker first = new OffsetTracker();
    first.assign(TP, new OffsetAndMetadata(100));
    for (long o = 100; o < 110; o++) {
      first.read(TP, o);
    }
    for (long o : new long[] {101, 103, 104, 108}) {
      first.finish(TP, o);
    }
    OffsetAndMetadata handedOver = first.commitsDue().get(TP);
    assertThat(handedOver.offset()).isEqualTo(100);

    OffsetTracker next = new OffsetTracker();
    next.assign(TP, handedOver);
    List<Long> processed = new ArrayList<>();
    for (long o = 100; o < 105; o++) { // reads only part of the window before committing
      if (next.read(TP, o)) {
        processed.add(o);
      }
    }
    assertThat(processed).containsExactly(100L, 102L);
    next.finish(TP, 100);
    OffsetAndMetadata mid = next.commitsDue().get(TP);
    assertThat(mid.offset()).isEqualTo(102);
    // 108 was finished by the first owner and not read yet by the second: still carried.
    CompletedOffsets carried = CompletedOffsets.decode(mid.metadata()).orElseThrow();
    assertThat(carried.isDone((int) (108 - 102))).isTrue();
    assertThat(carried.isDone((int) (105 - 102))).isFalse();
  }

  @Test
  void passesInheritedFinishedOffsetsRightAboveTheHighestRead() {
    OffsetTracker first = new OffsetTracker();
    first.assign(TP, new OffsetAndMetadata(0));
    for (long o = 0; o < 4; o++) {
      first.read(TP, o);
    }
    first.finish(TP, 1);
    first.finish(TP, 2);
    first.finish(TP, 3);
    OffsetTracker next = new OffsetTracker();
    next.assign(TP, first.commitsDue().get(TP));
    next.read(TP, 0);
    next.finish(TP, 0);
    assertThat(next.commitsDue().get(TP)).isEqualTo(new OffsetAndMetadata(4, ""));
  }

  /**
   * Property: for random read orders, completion orders, gaps, commits and hand-overs to a new owner,
   * the committed position never passes an unfinished record, a record covered by a commit (below its
   * position or marked in its metadata) is never processed again by a later owner, and every record is
   * processed at least once.
   */
  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
  void neverCommitsPastUnfinishedWorkAndNeverRepeatsFinishedWorkAcrossOwners(long seed) {
    Random random = new Random(seed);
    List<Long> log = new ArrayList<>();
    long o = 0;
    for (int i = 0; i < 400; i++) {
      o += random.nextInt(10) == 0 ? 1 + random.nextInt(5) : 1; // gaps
      log.add(o);
    }
    Set<Long> finishedEver = new HashSet<>();
    Set<Long> coveredByCommit = new HashSet<>();
    Set<Long> processedEver = new HashSet<>();
    OffsetAndMetadata committed = null;
    int owners = 0;
    while (finishedEver.size() < log.size() && owners < 50) {
      owners++;
      OffsetTracker tracker = new OffsetTracker(random.nextBoolean() ? 4000 : 40);
      tracker.assign(TP, committed);
      long start = committed == null ? 0 : committed.offset();
      List<Long> inFlight = new ArrayList<>();
      int steps = 50 + random.nextInt(200);
      int cursor = firstIndexAtOrAbove(log, start);
      for (int step = 0; step < steps; step++) {
        int action = random.nextInt(4);
        if (action <= 1 && cursor < log.size()) {
          long offset = log.get(cursor++);
          if (tracker.read(TP, offset)) {
            assertThat(coveredByCommit).as("committed record processed again").doesNotContain(offset);
            processedEver.add(offset);
            inFlight.add(offset);
          }
        } else if (action == 2 && !inFlight.isEmpty()) {
          long done = inFlight.remove(random.nextInt(inFlight.size()));
          tracker.finish(TP, done);
          finishedEver.add(done);
        } else {
          Map<TopicPartition, OffsetAndMetadata> due = tracker.commitsDue();
          if (due.containsKey(TP)) {
            OffsetAndMetadata point = due.get(TP);
            for (long pending : inFlight) {
              assertThat(point.offset()).as("commit passes unfinished " + pending).isLessThanOrEqualTo(pending);
              CompletedOffsets.decode(point.metadata()).ifPresent(c ->
                  assertThat(c.isDone((int) (pending - point.offset()))).as("unfinished marked done").isFalse());
            }
            tracker.committed(due);
            committed = point;
            coveredByCommit.clear();
            CompletedOffsets marked = CompletedOffsets.decode(point.metadata()).orElse(CompletedOffsets.none());
            for (long l : log) {
              if (l < point.offset() || marked.isDone((int) Math.min(Integer.MAX_VALUE, l - point.offset()))) {
                coveredByCommit.add(l);
              }
            }
            assertThat(finishedEver).as("commit covers only finished records").containsAll(coveredByCommit);
          }
        }
      }
      // The owner crashes or hands over: unfinished work is simply left; the next owner redoes it.
      Collections.shuffle(inFlight, random);
    }
    // A final owner with no crash finishes everything.
    OffsetTracker last = new OffsetTracker();
    last.assign(TP, committed);
    for (int i = firstIndexAtOrAbove(log, committed == null ? 0 : committed.offset()); i < log.size(); i++) {
      long offset = log.get(i);
      if (last.read(TP, offset)) {
        assertThat(coveredByCommit).doesNotContain(offset);
        processedEver.add(offset);
        last.finish(TP, offset);
        finishedEver.add(offset);
      }
    }
    assertThat(processedEver).containsAll(log);
    assertThat(last.commitsDue().get(TP) == null ? committed.offset() : last.commitsDue().get(TP).offset())
        .isEqualTo(log.get(log.size() - 1) + 1);
  }

  private static int firstIndexAtOrAbove(List<Long> log, long offset) {
    int i = 0;
    while (i < log.size() && log.get(i) < offset) {
      i++;
    }
    return i;
  }

  @Test
  void reportsAChangeUntilItsCommitPointIsComputedAndIgnoresPartitionsWithNothingReadOrCommitted() {
    OffsetTracker tracker = new OffsetTracker();
    TopicPartition empty = new TopicPartition("in", 1);
    tracker.assign(empty, null); // nothing read, nothing committed: no commit point, never "changed"
    assertThat(tracker.anyChanged()).isFalse();
    tracker.assign(TP, new OffsetAndMetadata(3));
    tracker.commitsDue();
    assertThat(tracker.anyChanged()).as("computed").isFalse();
    tracker.read(TP, 3);
    assertThat(tracker.anyChanged()).as("a read").isTrue();
    tracker.commitsDue();
    assertThat(tracker.anyChanged()).isFalse();
    tracker.finish(TP, 3);
    assertThat(tracker.anyChanged()).as("a finish").isTrue();
    tracker.committed(tracker.commitsDue());
    assertThat(tracker.anyChanged()).isFalse();
    tracker.commitFailed(Map.of(TP, new OffsetAndMetadata(4)));
    assertThat(tracker.anyChanged()).as("a failed commit is due again").isTrue();
  }
}
