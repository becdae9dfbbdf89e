// Ids for new rows: UUID v7, time-ordered. Ids made later in a process sort later, even within
// one millisecond (the uuid package's monotonic counter rule, kept here), which statements rely on
// (decisions.repository.ts reads a confirmation's rows back in the order they were written).
//
// The uuid package's own v7() draws its 16 random bytes with one crypto.getRandomValues call per
// id: ~5 µs each on our machines, half a second of a 50,000-application confirmation (a decision
// and a draft per item). Here the same CSPRNG is drawn 4 KB at a time, as Node's randomUUID()
// does, and the package still lays out the bytes.
import { randomFillSync } from 'node:crypto';
import { v7 } from 'uuid';

const ID_BYTES = 16;
const POOL_BYTES = 256 * ID_BYTES;
const pool = Buffer.allocUnsafe(POOL_BYTES);
let used = POOL_BYTES;
/** The last id's time and counter (uuid's updateV7State, which the package does not export). */
const last = { msecs: -Infinity, seq: 0 };

export function newId(): string {
  if (used === POOL_BYTES) {
    randomFillSync(pool);
    used = 0;
  }
  const random = pool.subarray(used, (used += ID_BYTES));
  const now = Date.now();
  if (now > last.msecs) {
    // A new millisecond: the counter starts at a random 31-bit value, as in the package.
    last.msecs = now;
    last.seq = ((random[6]! & 0x7f) << 24) | (random[7]! << 16) | (random[8]! << 8) | random[9]!;
  } else {
    // The same millisecond (or the clock went back): count on; past 2^32 ids, borrow the next millisecond.
    last.seq = (last.seq + 1) | 0;
    if (last.seq === 0) last.msecs++;
  }
  return v7({ random, msecs: last.msecs, seq: last.seq });
}
