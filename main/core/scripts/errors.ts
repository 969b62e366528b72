import { BenchError } from '../errors'

/** A script, run or trigger that cannot be saved or started as given; the message says what to change. */
export class ScriptInputError extends BenchError {
  constructor(message: string) {
    super('input', message)
  }
}
