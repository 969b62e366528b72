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

/**
 * Caps every Lua string this worker can build. `onHit` runs before the throw: the JS exception
 * cannot always become a proper Lua error (Fengari needs free stack slots to convert it, which a
 * concatenation in progress may not leave), so the driver stops the run from its hook instead. Fengari allocates each new string, and each
 * string buffer, with `new Uint8Array(length)` resolved through the global at call time, so a
 * guarded constructor bounds `..`, string.rep, string.format, gsub, table.concat and json alike,
 * before the memory is taken. Node's own code keeps its original Uint8Array (primordials), and
 * `instanceof Uint8Array` still accepts plain byte arrays.
 */
export function guardStringSize(limit: number, onHit: (error: StringLimitError) => void): void {
  const Base = globalThis.Uint8Array
  if ((Base as { guarded?: boolean }).guarded) return
  class GuardedUint8Array extends Base {
    static guarded = true
    static override [Symbol.hasInstance](value: unknown): boolean {
      return value instanceof Base
    }
    constructor(...args: unknown[]) {
      const size = args[0]
      if (typeof size === 'number' && size > limit) {
        const error = new StringLimitError(size, limit)
        onHit(error)
        throw error
      }
      super(...(args as []))
    }
  }
  globalThis.Uint8Array = GuardedUint8Array as unknown as Uint8ArrayConstructor
}
