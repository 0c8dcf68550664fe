/** The Coordinator the workerd tests run: the production class, on a clock the tests move. */
import { Coordinator } from "../../src/coordinator/coordinator.ts";
import { TestClock } from "./test-clock.ts";

export class TestCoordinator extends Coordinator {
  declare readonly clock: TestClock;
  /** The run the latest alarm started (or joined): a run keeps going until no work is due. */
  private lastRun: Promise<void> = Promise.resolve();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env, { clock: new TestClock() });
  }

  override alarm(): Promise<void> {
    this.lastRun = super.alarm();
    return this.lastRun;
  }

  /** Resolves when the latest alarm's run is over (tests wait on it after an alarm fired by itself). */
  idle(): Promise<void> {
    return this.lastRun;
  }
}
