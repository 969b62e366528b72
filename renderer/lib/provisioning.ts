import { useState } from 'react'
import type { ProfileRun, ProvisioningState } from '../../preload/api'
import { bench } from './bench'
import { useLoad, useStream } from './hooks'

/** A run's status as the device list's provisioning column says it. */
export function stateOf(run: ProfileRun): ProvisioningState {
  return run.status === 'running' ? 'pending' : run.status
}

/**
 * Each device's provisioning state (its latest profile run's), kept current by the profiles.runs
 * stream and read again after a lost connection.
 */
export function useProvisioningStates(): Record<string, ProvisioningState> {
  const loaded = useLoad(() => bench.profiles.states(), [], { live: true })
  const [changes, setChanges] = useState<{ base: unknown; states: Record<string, ProvisioningState> }>({
    base: undefined,
    states: {},
  })
  useStream('profiles.runs', (batch) =>
    setChanges((prev) => {
      // Changes heard before a (re)load are in it already: start over from each new load.
      const states = prev.base === loaded.data ? { ...prev.states } : {}
      for (const run of batch) states[run.serial] = stateOf(run)
      return { base: loaded.data, states }
    }),
  )
  const fromStream = changes.base === loaded.data ? changes.states : {}
  return { ...loaded.data, ...fromStream }
}

export const PROVISIONING_LABEL: Record<ProvisioningState, string> = {
  pending: 'pending',
  done: 'done',
  failed: 'failed',
}
