import { randomBytes } from 'node:crypto'

// ULIDs: 48-bit millisecond time + 80 random bits, Crockford base32. Sortable by creation time and
// unique across laptops without coordination, which is what the sync outbox needs. Monotonic within
// one process: ids made in the same millisecond increment the random part instead of re-rolling.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'

let lastTime = -1
let lastRandom: number[] = []

function encodeTime(time: number): string {
  let out = ''
  for (let i = 0; i < 10; i++) {
    out = ALPHABET[time % 32] + out
    time = Math.floor(time / 32)
  }
  return out
}

function freshRandom(): number[] {
  const bytes = randomBytes(16)
  const digits: number[] = []
  for (let i = 0; i < 16; i++) digits.push(bytes[i]! & 31)
  return digits
}

function increment(digits: number[]): number[] {
  const next = digits.slice()
  for (let i = next.length - 1; i >= 0; i--) {
    if (next[i]! < 31) {
      next[i]! += 1
      return next
    }
    next[i] = 0
  }
  // 80 bits exhausted within one millisecond: practically impossible; fall back to fresh bits.
  return freshRandom()
}

export function ulid(now: number = Date.now()): string {
  if (now <= lastTime) {
    lastRandom = increment(lastRandom)
    now = lastTime
  } else {
    lastTime = now
    lastRandom = freshRandom()
  }
  return encodeTime(now) + lastRandom.map((d) => ALPHABET[d]).join('')
}

/** Milliseconds since the epoch encoded in a ULID. */
export function ulidTime(id: string): number {
  let time = 0
  for (let i = 0; i < 10; i++) time = time * 32 + ALPHABET.indexOf(id[i]!)
  return time
}
