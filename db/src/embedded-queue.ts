import type { PGlite } from '@electric-sql/pglite';

type OnData = (data: Uint8Array) => void;
type Unit = { handlerId: number; messages: Uint8Array[]; onData: OnData; done: (bytes: number) => void; fail: (e: Error) => void };

/**
 * Message codes after which the client waits for an answer: Sync, simple Query, Flush, Terminate
 * and the password message. Parse, Bind, Describe, Execute and Close are sent on without waiting,
 * so they are held back and run together with what follows them.
 */
const AWAITS_ANSWER = new Set(['S', 'Q', 'H', 'X', 'p']);
const FLUSH = 'H'.charCodeAt(0);
const SYNC = new Uint8Array([0x53, 0, 0, 0, 4]);

function awaitsAnswer(message: Uint8Array): boolean {
  // The startup packet has no type byte; its first byte is the high byte of its length (0).
  if (message[0] === 0) return true;
  return AWAITS_ANSWER.has(String.fromCharCode(message[0]!));
}

/**
 * Serialises many wire-protocol connections onto PGlite's single backend.
 *
 * Written here because pglite-socket's own queue runs every protocol message as its own unit, so
 * the Parse/Bind/Execute of two connections interleave and one connection's Bind lands on the
 * other's unnamed statement ("bind message supplies 6 parameters, but prepared statement requires
 * 1"). Here a connection owns the backend from its first message of an extended-query exchange
 * until its Sync — across round trips, since postgres.js sends Parse+Describe+Flush, reads the
 * description, then Bind+Execute+Sync — and for as long as it has a transaction open.
 * It implements the interface pglite-socket's handlers call (enqueue / clear…).
 */
export class ExchangeQueue {
  private pending = new Map<number, Uint8Array[]>();
  private queue: Unit[] = [];
  private running = false;
  private owner: number | null = null;

  constructor(private readonly db: PGlite) {}

  enqueue(handlerId: number, message: Uint8Array, onData: OnData): Promise<number> {
    const buffered = this.pending.get(handlerId) ?? [];
    buffered.push(message);
    if (!awaitsAnswer(message)) {
      this.pending.set(handlerId, buffered);
      return Promise.resolve(0);
    }
    this.pending.delete(handlerId);
    return new Promise((done, fail) => {
      this.queue.push({ handlerId, messages: buffered, onData, done, fail });
      void this.drain();
    });
  }

  clearQueueForHandler(handlerId: number): void {
    this.pending.delete(handlerId);
    this.queue = this.queue.filter((u) => {
      if (u.handlerId !== handlerId) return true;
      u.fail(new Error('Handler disconnected'));
      return false;
    });
  }

  /** A client that disconnects mid-exchange or mid-transaction must not block everyone else. */
  async clearTransactionIfNeeded(handlerId: number): Promise<void> {
    if (this.owner !== handlerId) return;
    await this.db.runExclusive(async () => {
      await this.db.execProtocolRawStream(SYNC, { onRawData: () => {} });
      if (this.db.isInTransaction()) await this.db.exec('ROLLBACK');
    });
    this.owner = null;
    void this.drain();
  }

  private nextUnit(): Unit | undefined {
    const index = this.owner === null ? 0 : this.queue.findIndex((u) => u.handlerId === this.owner);
    return index < 0 ? undefined : this.queue.splice(index, 1)[0];
  }

  private async drain(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (let unit = this.nextUnit(); unit; unit = this.nextUnit()) {
        let bytes = 0;
        try {
          await this.db.runExclusive(async () => {
            for (const message of unit!.messages) {
              await this.db.execProtocolRawStream(message, {
                onRawData: (data) => {
                  bytes += data.length;
                  unit!.onData(data);
                },
              });
            }
          });
          const midExchange = unit.messages.at(-1)?.[0] === FLUSH;
          this.owner = midExchange || this.db.isInTransaction() ? unit.handlerId : null;
          unit.done(bytes);
        } catch (error) {
          unit.fail(error as Error);
        }
      }
    } finally {
      this.running = false;
    }
  }
}
