package io.miroir.store;

import java.time.Instant;

/**
 * What Miroir records of an index (D8): its uid, primary key (null until known, D9), shard count fixed at creation,
 * and the committed settings version.
 */
public record IndexMeta(String uid, String primaryKey, int shards, long settingsVersion, Instant createdAt,
    Instant updatedAt) {

  public IndexMeta withPrimaryKey(String key, Instant at) {
    return new IndexMeta(uid, key, shards, settingsVersion, createdAt, at);
  }

  public IndexMeta withUid(String newUid, Instant at) {
    return new IndexMeta(newUid, primaryKey, shards, settingsVersion, createdAt, at);
  }
}
