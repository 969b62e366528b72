/** Thrown instead of allocating a Lua string (or string buffer) over limits.maxStringBytes. */
export class StringLimitError extends RangeError {
  constructor(
    readonly bytes: number,
    readonly limit: number,
  ) {
    super(`a string of ${bytes} bytes would be over the ${limit}-byte limit for one string (limits.maxStringBytes)`)
    this.name = 'StringLimitError'
  }
}

/** Checked every this many bytes of strings allocated, in addition to the driver's hook. */
const MEMORY_CHECK_EVERY_BYTES = 1024 * 1024

export interface MemoryGuard {
  /** Bytes outside the JS heap (large strings live there) past which the run is stopped. */
  limitBytes: number
  /** The memory outside the heap now, bytes. */
  external(): number
  /** Runs before the allocation is refused. */
  onHit(error: StringLimitError): void
}

/**
 * Caps every Lua string this worker can build. `onHit` runs before the throw: the JS exception
 * cannot always become a proper Lua error (Fengari needs free stack slots to convert it, which a
 * concatenation in progress may not leave), so the driver stops the run from its hook instead. Fengari allocates each new string, and each
 * string buffer, with `new Uint8Array(length)` resolved through the global at call time, so a
 * guarded constructor bounds `..`, string.rep, string.format, gsub, table.concat and json alike,
 * before the memory is taken. Node's own code keeps its original Uint8Array (primordials), and
 * `instanceof Uint8Array` still accepts plain byte arrays.
 */
export function guardStringSize(limit: number, onHit: (error: StringLimitError) => void, memory?: MemoryGuard): void {
  const Base = globalThis.Uint8Array
  if ((Base as { guarded?: boolean }).guarded) return
  // The driver's hook checks the memory every few thousand instructions, but a loop of a few
  // instructions around string.rep can allocate gigabytes in between: strings count here too.
  let sinceCheck = 0
  class GuardedUint8Array extends Base {
    static guarded = true
    static override [Symbol.hasInstance](value: unknown): boolean {
      return value instanceof Base
    }
    constructor(...args: unknown[]) {
      const size = args[0]
      if (typeof size === 'number') {
        if (size > limit) {
          const error = new StringLimitError(size, limit)
          onHit(error)
          throw error
        }
        if (memory && (sinceCheck += size) >= MEMORY_CHECK_EVERY_BYTES) {
          sinceCheck = 0
          if (memory.external() + size > memory.limitBytes) {
            const error = new StringLimitError(size, limit)
            memory.onHit(error)
            throw error
          }
        }
      }
      super(...(args as []))
    }
  }
  globalThis.Uint8Array = GuardedUint8Array as unknown as Uint8ArrayConstructor
}
