import * as wf from '@temporalio/workflow';

/**
 * One timer for a workflow's next deadline, moved only when a change moves that deadline: a new timer after every
 * change would cost each update a timer started and one cancelled, and a wake-up of the main loop. The main loop
 * waits on `rang` (with its other conditions) and calls `clear` once it has handled the deadline.
 */
export class Alarm {
  private current: { at: string; rang: boolean; scope: wf.CancellationScope } | null = null;

  /** Rings at `at` (an ISO instant); a timer set for another instant is cancelled first; undefined cancels. */
  set(at: string | undefined): void {
    if (this.current && this.current.at !== at) {
      this.current.scope.cancel();
      this.current = null;
    }
    if (at === undefined || this.current) return;
    const set = { at, rang: false, scope: new wf.CancellationScope() };
    set.scope.run(() => wf.sleep(Math.max(Date.parse(at) - Date.now(), 0))).then(
      () => void (set.rang = true),
      () => undefined, // cancelled: the deadline moved, or the work is done
    );
    this.current = set;
  }

  get rang(): boolean {
    return Boolean(this.current?.rang);
  }

  /** After the loop handled a rung alarm: the next `set` starts a new timer, even for the same instant. */
  clear(): void {
    if (this.current?.rang) this.current = null;
  }
}
