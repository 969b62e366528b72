import type { BenchSuite } from './types'

// Each area adds its suite here (one file per suite in bench/).
export const suites: BenchSuite[] = []
