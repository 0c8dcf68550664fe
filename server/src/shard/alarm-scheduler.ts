/**
 * A Durable Object has one alarm and `setAlarm` overwrites it. Every duty (expiry sweep, later
 * write-behind flushes and retries) asks for a time here, and the alarm only ever moves earlier.
 */
export class AlarmScheduler {
  private scheduled: number | null | undefined;

  constructor(private readonly storage: DurableObjectStorage) {}

  async requestAt(time: number): Promise<void> {
    if (this.scheduled === undefined) this.scheduled = await this.storage.getAlarm();
    if (this.scheduled !== null && this.scheduled <= time) return;
    this.scheduled = time;
    await this.storage.setAlarm(time);
  }

  /** Called at the start of `alarm()`: the alarm that fired is no longer scheduled. */
  fired(): void {
    this.scheduled = null;
  }
}
