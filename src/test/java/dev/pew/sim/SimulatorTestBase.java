package dev.pew.sim;

import static dev.pew.sim.SimClient.await;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/** A fresh simulator with default options and a client for it, per test. */
@ExtendWith(VertxExtension.class)
abstract class SimulatorTestBase {

  protected Vertx vertx;
  protected XcSimulator sim;
  protected SimClient client;

  @BeforeEach
  void startSimulator(Vertx vertx) {
    this.vertx = vertx;
    sim = await(XcSimulator.start(vertx, new SimulatorOptions()));
    client = new SimClient(vertx, sim);
  }

  @AfterEach
  void stopSimulator() {
    await(sim.close());
  }
}
