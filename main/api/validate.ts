import { BadRequestError } from './errors'

// Arguments arrive from a renderer or a WebSocket client: check each before it reaches the core.

export function str(value: unknown, what: string, max = 4096): string {
  if (typeof value !== 'string') throw new BadRequestError(`${what} must be text`)
  if (value.length > max) throw new BadRequestError(`${what} is longer than ${max} characters`)
  return value
}

export function nonEmpty(value: unknown, what: string, max = 4096): string {
  const s = str(value, what, max)
  if (s.trim() === '') throw new BadRequestError(`${what} is empty`)
  return s
}

export function optStr(value: unknown, what: string, max = 4096): string | undefined {
  return value === undefined || value === null ? undefined : str(value, what, max)
}

export function int(value: unknown, what: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new BadRequestError(`${what} must be a whole number`)
  if (value < min || value > max) throw new BadRequestError(`${what} must be between ${min} and ${max}`)
  return value
}

export function optInt(value: unknown, what: string, min: number, max: number): number | undefined {
  return value === undefined || value === null ? undefined : int(value, what, min, max)
}

export function bool(value: unknown, what: string): boolean {
  if (typeof value !== 'boolean') throw new BadRequestError(`${what} must be true or false`)
  return value
}

export function oneOf<T extends string>(value: unknown, allowed: readonly T[], what: string): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value))
    throw new BadRequestError(`${what} must be one of ${allowed.join(', ')}`)
  return value as T
}

export function obj(value: unknown, what: string): Record<string, unknown> {
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw new BadRequestError(`${what} must be an object`)
  return value as Record<string, unknown>
}

export function optObj(value: unknown, what: string): Record<string, unknown> {
  return value === undefined || value === null ? {} : obj(value, what)
}

export function arr(value: unknown, what: string, max = 10_000): unknown[] {
  if (!Array.isArray(value)) throw new BadRequestError(`${what} must be a list`)
  if (value.length > max) throw new BadRequestError(`${what} has more than ${max} entries`)
  return value
}
