package io.miroir.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Response;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The task store shared by every Miroir process of a cluster (SPEC §6, §5, D1), on Redis through the Vert.x client:
 * every call is a few non-blocking round trips, and every multi-key change is one Lua script, so it is atomic.
 *
 * <p>Keyspace (listing walks sorted sets, never SCAN):
 * <ul>
 *   <li>{@code miroir:tasks:<uid>}: the task as JSON (without its uid); {@code miroir:tasks:_index}: every uid, scored
 *       by itself; {@code miroir:tasks:_seq}: the counter, {@code INCR} minus one is the next uid, so the first is 0
 *       and uids are unique and increasing across every process sharing the Redis, and never reused.
 *   <li>Secondary sets kept in the same scripts as the task: {@code miroir:tasks:_status:<status>} and
 *       {@code miroir:tasks:_indexUid:<indexUid>} (uids scored by themselves) answer status and index filters, the
 *       pollers' {@link #unfinishedTasks} and most {@code GET /tasks} pages without reading other tasks;
 *       {@code miroir:tasks:_finished} (scored by finish time in epoch milliseconds, rounded down) gives the pruner
 *       its candidates.
 *   <li>{@code miroir:indexes:<uid>}: index metadata as JSON; {@code miroir:indexes}: the listing set, every uid
 *       with score 0 so that it sorts by uid bytes. The listing set is not {@code miroir:indexes:_index} because
 *       {@code _index} is a valid index uid and would collide.
 *   <li>{@code miroir:kv:<key>}: named values.
 * </ul>
 *
 * <p>Cost of listing, with N tasks stored and C the candidates the sets leave: a page filtered by nothing or by
 * statuses and index uids only reads the set sizes and then the page ({@code O(log N + limit)} for one set or none;
 * several statuses or index uids read their uid lists, {@code O(C)} uids). Any other filter (uids, batch uids,
 * canceledBy, types, dates) reads every candidate's JSON in chunks of {@value #CHUNK} ({@code O(C)} documents;
 * with a {@code uids} filter C is the number of uids asked), because {@code total} counts every match.
 *
 * <p>Scripts name their keys from arguments, so they suit a standalone or Sentinel Redis; Redis Cluster would need
 * the keys to share a hash tag.
 */
public final class RedisTaskStore implements TaskStore {
  private static final String TASK = "miroir:tasks:";
  private static final String TASK_LIST = TASK + "_index";
  private static final String STATUS_SET = TASK + "_status:";
  private static final String INDEX_UID_SET = TASK + "_indexUid:";
  private static final String FINISHED_SET = TASK + "_finished";
  private static final String INDEX = "miroir:indexes:";
  private static final String INDEX_LIST = "miroir:indexes";
  private static final String VALUE = "miroir:kv:";
  /** Documents per MGET and tasks per deletion script: bounds one reply and one script's run time. */
  static final int CHUNK = 500;
  /** Uids per range read of a sorted set: uids are small, so a larger chunk saves round trips. */
  private static final int UID_CHUNK = 5000;

  /** Keeps a task's secondary sets in step with its JSON; prepended to every script that changes a task. */
  private static final String LUA_SETS = """
      local P = 'miroir:tasks:'
      local function index(id, raw, finishedScore)
        local t = cjson.decode(raw)
        if type(t.status) == 'string' then redis.call('ZADD', P .. '_status:' .. t.status, id, id) end
        if type(t.indexUid) == 'string' then redis.call('ZADD', P .. '_indexUid:' .. t.indexUid, id, id) end
        if finishedScore ~= '' then redis.call('ZADD', P .. '_finished', finishedScore, id) end
      end
      local function unindex(id, raw)
        local t = cjson.decode(raw)
        if type(t.status) == 'string' then redis.call('ZREM', P .. '_status:' .. t.status, id) end
        if type(t.indexUid) == 'string' then redis.call('ZREM', P .. '_indexUid:' .. t.indexUid, id) end
        redis.call('ZREM', P .. '_finished', id)
      end
      """;
  /** ARGV: task JSON, finished score or ''. Answers the new uid. */
  private static final RedisScript CREATE = new RedisScript(LUA_SETS + """
      local uid = redis.call('INCR', P .. '_seq') - 1
      local id = string.format('%d', uid)
      redis.call('SET', P .. id, ARGV[1])
      redis.call('ZADD', P .. '_index', id, id)
      index(id, ARGV[1], ARGV[2])
      return uid
      """);
  /** ARGV: uid, task JSON, finished score or ''. A task that no longer exists stays deleted: answers 0. */
  private static final RedisScript UPDATE = new RedisScript(LUA_SETS + """
      local raw = redis.call('GET', P .. ARGV[1])
      if not raw then return 0 end
      unindex(ARGV[1], raw)
      redis.call('SET', P .. ARGV[1], ARGV[2])
      index(ARGV[1], ARGV[2], ARGV[3])
      return 1
      """);
  /**
   * ARGV: pairs of uid and expected JSON ('' deletes whatever is stored; the pruner passes what it read, so a task
   * changed since is kept). Answers how many were deleted.
   */
  private static final RedisScript DELETE = new RedisScript(LUA_SETS + """
      local deleted = 0
      for i = 1, #ARGV, 2 do
        local raw = redis.call('GET', P .. ARGV[i])
        if raw and (ARGV[i + 1] == '' or ARGV[i + 1] == raw) then
          unindex(ARGV[i], raw)
          redis.call('DEL', P .. ARGV[i])
          redis.call('ZREM', P .. '_index', ARGV[i])
          deleted = deleted + 1
        end
      end
      return deleted
      """);
  /** ARGV[1] = "1" when a value is expected, ARGV[2] = the expected value, ARGV[3] = the new value. */
  private static final RedisScript COMPARE_AND_SET = new RedisScript("""
      local present = redis.call('GET', KEYS[1])
      if ARGV[1] == '1' then
        if present ~= ARGV[2] then return 0 end
      elseif present then
        return 0
      end
      redis.call('SET', KEYS[1], ARGV[3])
      return 1
      """);
  private static final RedisScript PUT_INDEX = new RedisScript("""
      redis.call('SET', KEYS[1], ARGV[1])
      redis.call('ZADD', KEYS[2], 0, ARGV[2])
      """);
  private static final RedisScript DELETE_INDEX = new RedisScript("""
      redis.call('DEL', KEYS[1])
      redis.call('ZREM', KEYS[2], ARGV[1])
      """);

  private final Redis client;
  private final RedisAPI api;

  /** A store on the Redis at {@code url}, such as {@code redis://127.0.0.1:6379/0}, with {@link #options}. */
  public RedisTaskStore(Vertx vertx, String url) {
    this(vertx, options(url));
  }

  /** A store on any Redis the client reaches (standalone or Sentinel; see the class comment on Cluster). */
  public RedisTaskStore(Vertx vertx, RedisOptions options) {
    this.client = Redis.createClient(vertx, options);
    this.api = RedisAPI.api(client);
  }

  /** Default client options: a small pool and a deep waiting queue, so a burst of writes waits instead of failing. */
  public static RedisOptions options(String url) {
    RedisOptions options = new RedisOptions().setConnectionString(url);
    options.getPoolOptions().setMaxSize(8).setMaxWaiting(4096);
    return options;
  }

  /** The client this store talks through, for the other Redis building blocks that share its pool. */
  public RedisAPI api() {
    return api;
  }

  @Override
  public Future<Void> init() {
    // Keys need no creation; this proves the server answers before anything else relies on it.
    return api.ping(List.of()).mapEmpty();
  }

  @Override
  public Future<Void> close() {
    return client.close();
  }

  // ---------------------------------------------------------------- tasks: writes

  @Override
  public Future<TaskRecord> createTask(NewTask task) {
    TaskRecord draft = new TaskRecord(-1, null, task.indexUid(), task.status(), task.type(), null, task.details(),
        task.error(), task.enqueuedAt(), null, task.finishedAt(), task.nodeTasks(), task.meta());
    String json = RedisJson.encodeTask(draft);
    // The answer is decoded from what was stored, so it shares no object with the caller's.
    return CREATE.run(api, List.of(), List.of(json, finishedScore(draft)))
        .map(uid -> RedisJson.decodeTask(uid.toLong(), json));
  }

  @Override
  public Future<Void> updateTask(TaskRecord task) {
    return UPDATE.run(api, List.of(), List.of(Long.toString(task.uid()), RedisJson.encodeTask(task),
        finishedScore(task))).mapEmpty();
  }

  @Override
  public Future<Integer> deleteTasks(Collection<Long> uids) {
    List<Long> distinct = List.copyOf(new LinkedHashSet<>(uids));
    return inChunks(distinct, CHUNK, chunk -> {
      List<String> pairs = new ArrayList<>();
      chunk.forEach(uid -> {
        pairs.add(Long.toString(uid));
        pairs.add("");
      });
      return DELETE.run(api, List.of(), pairs).map(Response::toInteger);
    }).map(RedisTaskStore::sum);
  }

  @Override
  public Future<Integer> pruneFinishedBefore(Instant cutoff) {
    // The set's scores are rounded down to milliseconds, so it yields every task finished before the cutoff plus some
    // of the cutoff's own millisecond; the exact comparison is made on each task's JSON.
    String maxScore = Long.toString(RedisJson.floorMillis(cutoff));
    return api.zrangebyscore(List.of(FINISHED_SET, "-inf", maxScore))
        .map(RedisTaskStore::longs)
        .compose(candidates -> inChunks(candidates, CHUNK, chunk -> stored(chunk).compose(found -> {
          List<String> pairs = new ArrayList<>();
          for (Stored s : found) {
            TaskRecord t = s.task();
            if (t.finished() && t.finishedAt() != null && t.finishedAt().isBefore(cutoff)) {
              pairs.add(Long.toString(s.uid()));
              pairs.add(s.json());
            }
          }
          return pairs.isEmpty() ? Future.succeededFuture(0)
              : DELETE.run(api, List.of(), pairs).map(Response::toInteger);
        })))
        .map(RedisTaskStore::sum);
  }

  /** The {@code _finished} score of a task, or '' when it is not finished or has no finish time. */
  private static String finishedScore(TaskRecord t) {
    return t.finished() && t.finishedAt() != null ? Long.toString(RedisJson.floorMillis(t.finishedAt())) : "";
  }

  // ---------------------------------------------------------------- tasks: reads

  @Override
  public Future<Optional<TaskRecord>> getTask(long uid) {
    return api.get(TASK + uid).map(r -> r == null ? Optional.empty()
        : Optional.of(RedisJson.decodeTask(uid, r.toString())));
  }

  @Override
  public Future<TaskPage> listTasks(TaskQuery query) {
    int limit = Math.max(0, query.limit());
    return source(query).compose(source -> TaskMatcher.onlyStatusAndIndex(query)
        ? pageFromSets(source, query, limit)
        : pageByScanning(source, query, limit));
  }

  @Override
  public Future<List<TaskRecord>> matchTasks(TaskQuery query) {
    List<TaskRecord> out = new ArrayList<>();
    return source(query).compose(source -> walk(cursor(source, false, null), chunk -> tasks(chunk).map(found -> {
      found.stream().filter(t -> TaskMatcher.matches(query, t)).forEach(out::add);
      return true;
    }))).map(v -> out);
  }

  @Override
  public Future<List<TaskRecord>> unfinishedTasks(int limit) {
    if (limit <= 0) {
      return Future.succeededFuture(List.of());
    }
    Future<List<Long>> enqueued = firstMembers(STATUS_SET + "enqueued", limit);
    Future<List<Long>> processing = firstMembers(STATUS_SET + "processing", limit);
    return Future.all(enqueued, processing).compose(v -> {
      TreeSet<Long> merged = new TreeSet<>(enqueued.result());
      merged.addAll(processing.result());
      List<Long> oldest = merged.stream().limit(limit).toList();
      // A task may have finished between the two reads: keep only what is still unfinished.
      return tasks(oldest).map(found -> found.stream().filter(t -> !t.finished()).toList());
    });
  }

  /**
   * Statuses and index uids alone: the sets give the exact total and the page's uids, so only the page's documents
   * are read.
   */
  private Future<TaskPage> pageFromSets(Source source, TaskQuery query, int limit) {
    Future<Long> total = size(source);
    List<Long> head = new ArrayList<>();
    Future<Void> headRead = walk(cursor(source, !query.reverse(), query.from()), chunk -> {
      head.addAll(chunk.subList(0, (int) Math.min(chunk.size(), (long) limit + 1 - head.size())));
      return Future.succeededFuture(head.size() <= limit);
    });
    return Future.all(total, headRead).compose(v -> {
      Long next = head.size() > limit ? head.get(limit) : null;
      return tasks(head.subList(0, Math.min(limit, head.size()))).map(found -> new TaskPage(
          found.stream().filter(t -> TaskMatcher.matches(query, t)).toList(), total.result(), next));
    });
  }

  /**
   * Any other filter needs each candidate's document, and {@code total} counts every match: walk all candidates in
   * page order and keep the first {@code limit + 1} matches at or past {@code from}.
   */
  private Future<TaskPage> pageByScanning(Source source, TaskQuery query, int limit) {
    long[] total = {0};
    List<TaskRecord> head = new ArrayList<>();
    return walk(cursor(source, !query.reverse(), null), chunk -> tasks(chunk).map(found -> {
      for (TaskRecord t : found) {
        if (TaskMatcher.matches(query, t)) {
          total[0]++;
          if (head.size() <= limit && withinFrom(t.uid(), query)) {
            head.add(t);
          }
        }
      }
      return true;
    })).map(v -> new TaskPage(head.subList(0, Math.min(limit, head.size())), total[0],
        head.size() > limit ? head.get(limit).uid() : null));
  }

  private static boolean withinFrom(long uid, TaskQuery query) {
    return query.from() == null || (query.reverse() ? uid >= query.from() : uid <= query.from());
  }

  // ---------------------------------------------------------------- candidates

  /** Where a query's candidate uids come from: one sorted set to walk, or an explicit ascending list. */
  private record Source(String set, List<Long> list) {
    static Source ofSet(String key) {
      return new Source(key, null);
    }

    static Source ofList(Collection<Long> ascending) {
      return new Source(null, List.copyOf(ascending));
    }
  }

  private Future<Source> source(TaskQuery query) {
    if (!query.uids().isEmpty()) {
      return Future.succeededFuture(Source.ofList(new TreeSet<>(query.uids())));
    }
    List<String> statusSets = query.statuses().stream().map(s -> STATUS_SET + s).sorted().toList();
    List<String> indexSets = query.indexUids().stream().map(s -> INDEX_UID_SET + s).sorted().toList();
    if (statusSets.size() + indexSets.size() <= 1) {
      String only = statusSets.isEmpty() ? (indexSets.isEmpty() ? TASK_LIST : indexSets.get(0)) : statusSets.get(0);
      return Future.succeededFuture(Source.ofSet(only));
    }
    // Several sets: union within a filter, intersection across filters, computed here over their uids.
    Future<Set<Long>> statuses = union(statusSets);
    Future<Set<Long>> indexes = union(indexSets);
    return Future.all(statuses, indexes).map(v -> {
      if (statusSets.isEmpty() || indexSets.isEmpty()) {
        return Source.ofList(statusSets.isEmpty() ? indexes.result() : statuses.result());
      }
      Set<Long> both = new TreeSet<>(statuses.result());
      both.retainAll(indexes.result());
      return Source.ofList(both);
    });
  }

  private Future<Set<Long>> union(List<String> sets) {
    Set<Long> out = new TreeSet<>();
    Future<Void> all = Future.succeededFuture();
    for (String set : sets) {
      all = all.compose(v -> walk(cursor(Source.ofSet(set), false, null), chunk -> {
        out.addAll(chunk);
        return Future.succeededFuture(true);
      }));
    }
    return all.map(v -> out);
  }

  private Future<Long> size(Source source) {
    return source.set() == null ? Future.succeededFuture((long) source.list().size())
        : api.zcard(source.set()).map(Response::toLong);
  }

  /** Uids one chunk at a time, in one direction, from an inclusive bound; an empty chunk means the end. */
  private interface UidCursor {
    Future<List<Long>> next();
  }

  private UidCursor cursor(Source source, boolean descending, Long from) {
    return source.set() != null ? setCursor(source.set(), descending, from) : listCursor(source.list(), descending,
        from);
  }

  /** Walks a sorted set whose scores are the uids, resuming each chunk after the last uid read. */
  private UidCursor setCursor(String key, boolean descending, Long from) {
    return new UidCursor() {
      private String bound = from != null ? Long.toString(from) : descending ? "+inf" : "-inf";
      private boolean done;

      @Override
      public Future<List<Long>> next() {
        if (done) {
          return Future.succeededFuture(List.of());
        }
        List<String> args = List.of(key, bound, descending ? "-inf" : "+inf", "LIMIT", "0",
            Integer.toString(UID_CHUNK));
        return (descending ? api.zrevrangebyscore(args) : api.zrangebyscore(args)).map(r -> {
          List<Long> chunk = longs(r);
          done = chunk.size() < UID_CHUNK;
          if (!done) {
            bound = "(" + chunk.get(chunk.size() - 1);
          }
          return chunk;
        });
      }
    };
  }

  private static UidCursor listCursor(List<Long> ascending, boolean descending, Long from) {
    List<Long> ordered = new ArrayList<>(ascending);
    if (descending) {
      Collections.reverse(ordered);
    }
    ordered.removeIf(uid -> from != null && (descending ? uid > from : uid < from));
    return new UidCursor() {
      private int position;

      @Override
      public Future<List<Long>> next() {
        List<Long> chunk = ordered.subList(position, Math.min(ordered.size(), position + UID_CHUNK));
        position += chunk.size();
        return Future.succeededFuture(chunk);
      }
    };
  }

  /** Feeds the cursor's chunks to {@code sink}, one at a time, until the cursor ends or the sink answers false. */
  private static Future<Void> walk(UidCursor cursor, Function<List<Long>, Future<Boolean>> sink) {
    return cursor.next().compose(chunk -> chunk.isEmpty() ? Future.succeededFuture()
        : sink.apply(chunk).compose(more -> more ? walk(cursor, sink) : Future.succeededFuture()));
  }

  private Future<List<Long>> firstMembers(String key, int limit) {
    return api.zrangebyscore(List.of(key, "-inf", "+inf", "LIMIT", "0", Integer.toString(limit)))
        .map(RedisTaskStore::longs);
  }

  // ---------------------------------------------------------------- documents

  /** A task's stored JSON, kept as read so that a conditional delete can compare it. */
  private record Stored(long uid, String json) {
    TaskRecord task() {
      return RedisJson.decodeTask(uid, json);
    }
  }

  /** The tasks with these uids, in the given order; absent ones are left out. */
  private Future<List<TaskRecord>> tasks(List<Long> uids) {
    return inChunks(uids, CHUNK, this::stored).map(chunks -> chunks.stream().flatMap(List::stream)
        .map(Stored::task).toList());
  }

  /** One MGET: the stored JSON of at most {@link #CHUNK} tasks, in the given order, absent ones left out. */
  private Future<List<Stored>> stored(List<Long> uids) {
    if (uids.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    return api.mget(uids.stream().map(uid -> TASK + uid).toList()).map(r -> {
      List<Stored> out = new ArrayList<>(uids.size());
      for (int i = 0; i < uids.size(); i++) {
        Response value = r.get(i);
        if (value != null) {
          out.add(new Stored(uids.get(i), value.toString()));
        }
      }
      return out;
    });
  }

  /** Runs {@code step} over consecutive chunks, one after the other, and answers each chunk's result in order. */
  private static <T> Future<List<T>> inChunks(List<Long> all, int size, Function<List<Long>, Future<T>> step) {
    List<T> out = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < all.size(); i += size) {
      List<Long> chunk = all.subList(i, Math.min(all.size(), i + size));
      chain = chain.compose(v -> step.apply(chunk).map(result -> {
        out.add(result);
        return null;
      }));
    }
    return chain.map(v -> out);
  }

  private static List<Long> longs(Response r) {
    List<Long> out = new ArrayList<>(r.size());
    r.forEach(member -> out.add(Long.parseLong(member.toString())));
    return out;
  }

  private static int sum(List<Integer> counts) {
    return counts.stream().mapToInt(Integer::intValue).sum();
  }

  // ---------------------------------------------------------------- index metadata and values

  @Override
  public Future<Optional<IndexMeta>> getIndex(String uid) {
    return api.get(INDEX + uid).map(r -> r == null ? Optional.empty()
        : Optional.of(RedisJson.decodeIndex(uid, r.toString())));
  }

  @Override
  public Future<List<IndexMeta>> listIndexes() {
    // Equal scores: ZRANGE orders members by their bytes, as SQLite's BINARY collation orders the uid column.
    return api.zrange(List.of(INDEX_LIST, "0", "-1")).compose(r -> {
      List<String> uids = new ArrayList<>();
      r.forEach(member -> uids.add(member.toString()));
      return uids.isEmpty() ? Future.succeededFuture(List.of()) : api.mget(uids.stream().map(u -> INDEX + u).toList())
          .map(values -> {
            List<IndexMeta> out = new ArrayList<>();
            for (int i = 0; i < uids.size(); i++) {
              if (values.get(i) != null) {
                out.add(RedisJson.decodeIndex(uids.get(i), values.get(i).toString()));
              }
            }
            return out;
          });
    });
  }

  @Override
  public Future<Void> putIndex(IndexMeta meta) {
    return PUT_INDEX.run(api, List.of(INDEX + meta.uid(), INDEX_LIST), List.of(RedisJson.encodeIndex(meta),
        meta.uid())).mapEmpty();
  }

  @Override
  public Future<Void> deleteIndex(String uid) {
    return DELETE_INDEX.run(api, List.of(INDEX + uid, INDEX_LIST), List.of(uid)).mapEmpty();
  }

  @Override
  public Future<Optional<String>> getValue(String key) {
    return api.get(VALUE + key).map(r -> r == null ? Optional.empty() : Optional.of(r.toString()));
  }

  @Override
  public Future<Void> putValue(String key, String value) {
    if (key == null || value == null) {
      return Future.failedFuture(new IllegalArgumentException("key and value must not be null"));
    }
    return api.set(List.of(VALUE + key, value)).mapEmpty();
  }

  @Override
  public Future<Boolean> compareAndSetValue(String key, String expected, String value) {
    if (key == null || value == null) {
      return Future.failedFuture(new IllegalArgumentException("key and value must not be null"));
    }
    return COMPARE_AND_SET.run(api, List.of(VALUE + key),
        List.of(expected == null ? "0" : "1", expected == null ? "" : expected, value))
        .map(r -> r.toInteger() == 1);
  }
}
