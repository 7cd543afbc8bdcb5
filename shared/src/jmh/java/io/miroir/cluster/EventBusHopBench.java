package io.miroir.cluster;

import io.miroir.merge.IndexView;
import io.miroir.merge.MergeBenchData;
import io.miroir.merge.SearchPlan;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The price of an event-bus hop inside one JVM (docs/event-bus.md): the two request/reply hops of a search,
 * {@link Addresses#SCATTER_CALL} ({@link NodeCall} → {@link NodeResult}) and {@link Addresses#MERGER_SEARCH}
 * ({@link MergeRequest} → {@link Merged}), sent with {@code eventBus().request} and Miroir's pass-through codecs from
 * a sender verticle to consumer verticles deployed in the same Vert.x, against calling the consumer's code directly
 * on the sender's event loop, as a monolith would.
 *
 * <p>The consumers do what the real ones do minus I/O: the scatter consumer answers a prepared {@link NodeResult}
 * (the node's HTTP call is the same either way and is left out, so {@code scatter*} is the bare hop), the merger
 * consumer runs {@code SearchPlan.of(...).merge(...)} like {@code MergerVerticle} on a typical search (3 node
 * answers of 20 hits, limit 20, sorted). One operation is one request; each invocation sends {@value #BATCH}:
 * {@code sequential} waits for each reply before the next request (the latency a request pays per hop),
 * {@code pipelined} sends all and waits for all (the CPU a hop costs under load).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EventBusHopBench {
  static final int BATCH = 100;

  /** How the bus arms send a batch; the direct arms have no such choice. */
  @State(Scope.Benchmark)
  public static class Sending {
    @Param({"sequential", "pipelined"})
    public String mode;
  }

  private Vertx vertx;
  private Context sender;
  private NodeCall call;
  private NodeResult nodeAnswer;
  private JsonObject clientRequest;
  private JsonObject settings;
  private List<JsonObject> answers;
  private final Function<NodeCall, NodeResult> scatter = c -> nodeAnswer;
  private final Function<MergeRequest, Merged> merger = r -> new Merged(SearchPlan.of(r.clientRequest(),
      IndexView.fromSettings(r.settings())).merge(r.answers(), r.distinctCounts()));

  @Setup(Level.Trial)
  public void start() throws Exception {
    answers = MergeBenchData.searchAnswers(3, 60, 7);
    clientRequest = MergeBenchData.sortedRequest(20);
    settings = new JsonObject();
    nodeAnswer = NodeResult.answered("node-0", 200, answers.get(0).toBuffer());
    call = new NodeCall("node-0", "POST", "http://127.0.0.1:7700/indexes/movies/search", new JsonObject()
        .put("q", "q").put("limit", 20).put("filter", new JsonArray().add("_miroir_shard IN [0,3,6,9,12,15]"))
        .put("showRankingScore", true).toBuffer(), "node-master-key", 5000);
    vertx = Vertx.vertx();
    Codecs.register(vertx.eventBus());
    await(vertx.deployVerticle(new Consumer<>(Addresses.SCATTER_CALL, scatter)));
    await(vertx.deployVerticle(new Consumer<>(Addresses.MERGER_SEARCH, merger)));
    CompletableFuture<Context> senderContext = new CompletableFuture<>();
    await(vertx.deployVerticle(new VerticleBase() {
      @Override
      public Future<?> start() {
        senderContext.complete(context);
        return Future.succeededFuture();
      }
    }));
    sender = senderContext.get(10, TimeUnit.SECONDS);
  }

  @TearDown(Level.Trial)
  public void stop() throws Exception {
    await(vertx.close());
  }

  /**
   * A merge takes ownership of its answers: every request of a batch gets its own copies, made outside the measured
   * time (their allocation still counts in {@code gc.alloc.rate.norm}, equally for both merge arms).
   */
  @State(Scope.Thread)
  public static class MergeInputs {
    final List<MergeRequest> requests = new ArrayList<>(BATCH);

    @Setup(Level.Invocation)
    public void copies(EventBusHopBench bench) {
      requests.clear();
      for (int i = 0; i < BATCH; i++) {
        requests.add(new MergeRequest(bench.clientRequest, bench.settings, MergeBenchData.copies(bench.answers)));
      }
    }
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public Object scatterDirect() throws Exception {
    return onSender(done -> direct(i -> scatter.apply(call), done));
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public Object scatterBus(Sending sending) throws Exception {
    return onSender(done -> bus(sending.mode, Addresses.SCATTER_CALL, i -> call, done));
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public Object mergeDirect(MergeInputs inputs) throws Exception {
    return onSender(done -> direct(i -> merger.apply(inputs.requests.get(i)), done));
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public Object mergeBus(Sending sending, MergeInputs inputs) throws Exception {
    return onSender(done -> bus(sending.mode, Addresses.MERGER_SEARCH, inputs.requests::get, done));
  }

  /** Runs a batch on the sender's event loop, as the router verticle would, and waits for its end. */
  private Object onSender(java.util.function.Consumer<Promise<Object>> batch) throws Exception {
    CompletableFuture<Object> result = new CompletableFuture<>();
    sender.runOnContext(v -> {
      Promise<Object> done = Promise.promise();
      done.future().onComplete(ar -> {
        if (ar.succeeded()) {
          result.complete(ar.result());
        } else {
          result.completeExceptionally(ar.cause());
        }
      });
      batch.accept(done);
    });
    return result.get(60, TimeUnit.SECONDS);
  }

  /** The consumer's code called in place: no hop, no thread change. */
  private static void direct(java.util.function.IntFunction<Object> work, Promise<Object> done) {
    Object last = null;
    for (int i = 0; i < BATCH; i++) {
      last = work.apply(i);
    }
    done.complete(last);
  }

  private void bus(String mode, String address, java.util.function.IntFunction<Object> message,
      Promise<Object> done) {
    DeliveryOptions options = new DeliveryOptions().setLocalOnly(true).setSendTimeout(10_000);
    if ("pipelined".equals(mode)) {
      List<Future<Message<Object>>> replies = new ArrayList<>(BATCH);
      for (int i = 0; i < BATCH; i++) {
        replies.add(vertx.eventBus().request(address, message.apply(i), options));
      }
      Future.all(replies).onComplete(ar -> done.handle(ar.map(all -> replies.get(BATCH - 1).result().body())));
    } else {
      sequential(address, message, options, 0, done);
    }
  }

  private void sequential(String address, java.util.function.IntFunction<Object> message, DeliveryOptions options,
      int i, Promise<Object> done) {
    vertx.eventBus().request(address, message.apply(i), options).onComplete(ar -> {
      if (ar.failed()) {
        done.fail(ar.cause());
      } else if (i + 1 == BATCH) {
        done.complete(ar.result().body());
      } else {
        sequential(address, message, options, i + 1, done);
      }
    });
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** A verticle answering {@code address} with {@code handler}'s value, as the scatter and merger verticles do. */
  private static final class Consumer<I, O> extends VerticleBase {
    private final String address;
    private final Function<I, O> handler;

    Consumer(String address, Function<I, O> handler) {
      this.address = address;
      this.handler = handler;
    }

    @Override
    public Future<?> start() {
      return vertx.eventBus().<I>consumer(address, m -> m.reply(handler.apply(m.body()))).completion();
    }
  }
}
