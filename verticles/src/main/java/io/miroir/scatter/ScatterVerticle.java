package io.miroir.scatter;

import io.miroir.cluster.Addresses;
import io.miroir.cluster.NodeCall;
import io.miroir.cluster.NodeResult;
import io.miroir.metrics.MiroirMetrics;
import io.miroir.node.HttpNodeTransport;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;

/**
 * Owns the HTTP connection pools to the Meilisearch nodes and makes every node call of the process
 * ({@link Addresses#SCATTER_CALL}). A failed call is answered as an unreachable {@link NodeResult}, never as a
 * bus failure, so the caller can tell a refused connection from a timeout.
 */
public final class ScatterVerticle extends VerticleBase {
  private final long connectTimeoutMs;
  private final MiroirMetrics metrics;
  private HttpNodeTransport http;
  private MessageConsumer<NodeCall> consumer;

  public ScatterVerticle(long connectTimeoutMs, MiroirMetrics metrics) {
    this.connectTimeoutMs = connectTimeoutMs;
    this.metrics = metrics;
  }

  @Override
  public Future<?> start() {
    http = new HttpNodeTransport(vertx, connectTimeoutMs, metrics);
    consumer = vertx.eventBus().consumer(Addresses.SCATTER_CALL, this::call);
    return consumer.completion();
  }

  private void call(Message<NodeCall> message) {
    http.send(message.body()).onSuccess(message::reply);
  }

  @Override
  public Future<?> stop() {
    http.close();
    return consumer.unregister();
  }
}
