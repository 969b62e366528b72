/** One variable of an environment: `env.NAME` in a script. */
export interface EnvVariable {
  name: string
  /** A secret's value is never shown back: the API shows SECRET_PLACEHOLDER for it. */
  value: string
  secret: boolean
}

/** A named set of variables (e.g. "Customer A", "Lab") a run reads through the `env` table. */
export interface ScriptEnv {
  id: string
  name: string
  /** The environment of runs that name none: triggers, `bench-acs run` without --env. */
  isDefault: boolean
  variables: EnvVariable[]
  createdAt: number
  updatedAt: number
}

/**
 * An environment as written. A secret variable sent with SECRET_PLACEHOLDER (or no value) keeps
 * its stored value: the form is sent back unchanged without the secret ever reaching it.
 */
export interface EnvInput {
  name: string
  isDefault?: boolean
  variables: { name: string; value?: string | null; secret?: boolean }[]
}

/** What a run gets of its environment. */
export interface RunEnv {
  name: string
  values: Record<string, string>
  /** The secret values, replaced by SECRET_MASK in the run's output and record. */
  secrets: string[]
}
