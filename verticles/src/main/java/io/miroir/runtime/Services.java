package io.miroir.runtime;

import io.miroir.config.MiroirConfig;
import io.miroir.cluster.Ownership;
import io.miroir.health.HealthMonitor;
import io.miroir.index.IndexService;
import io.miroir.keys.KeyService;
import io.miroir.metrics.MiroirMetrics;
import io.miroir.node.Fleet;
import io.miroir.settings.SettingsCache;
import io.miroir.store.TaskStore;
import io.miroir.tasks.TaskService;
import io.vertx.core.Vertx;

/** The process-wide services every request handler uses, built once by {@link Miroir}. */
public record Services(
    Vertx vertx,
    MiroirConfig config,
    Fleet fleet,
    TaskStore store,
    TaskService tasks,
    IndexService indexes,
    SettingsCache settings,
    HealthMonitor health,
    KeyService keys,
    MiroirMetrics metrics,
    Bus bus,
    Ownership ownership,
    java.util.Set<String> verticles) {
}
