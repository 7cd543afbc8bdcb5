package io.miroir.store;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * One unit of Mode C work (SPEC §5): a dump chunk to import, a shard range to backfill, or a diagnostic
 * {@code echo}.
 *
 * @param claimedBy the worker holding it while {@code IN_PROGRESS}, the one that finished it once
 *     {@code COMPLETED} or {@code FAILED}, null while queued
 * @param claimExpiresAt when the claim lapses without a heartbeat; null unless {@code IN_PROGRESS}
 * @param progress the worker's last reported progress ({@code bytes_processed}, {@code docs_routed},
 *     {@code last_cursor}), from which the next claimant resumes
 * @param attempts how many times the job was claimed; with {@code claimedBy} it identifies one claim
 * @param finishedAt when the job was completed or failed; null before
 */
public record Job(String id, String type, JsonObject params, State state, String claimedBy, Instant claimExpiresAt,
    JsonObject progress, JsonObject result, JsonObject error, int attempts, Instant enqueuedAt, Instant finishedAt) {

  /** The job states, with the names SPEC §5 gives them. */
  public enum State {
    QUEUED("queued"), IN_PROGRESS("in_progress"), COMPLETED("completed"), FAILED("failed");

    private final String wire;

    State(String wire) {
      this.wire = wire;
    }

    public String wire() {
      return wire;
    }

    public static State of(String wire) {
      for (State s : values()) {
        if (s.wire.equals(wire)) {
          return s;
        }
      }
      throw new IllegalArgumentException("unknown job state [" + wire + "]");
    }
  }
}
