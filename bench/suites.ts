import type { BenchSuite } from './types'
import { acsSuite } from './acs'
import { acsLargeSuite } from './acs-large'
import { filesSuite } from './files'
import { luaSuite } from './lua'
import { profilesSuite } from './profiles'
import { syncSuite } from './sync'
import { uiSuite } from './ui'
import { storageSuite } from './storage'
import { retentionSuite } from './retention'
import { soakSuite } from './soak'
import { serveLogSuite } from './serve-log'

// Each area adds its suite here (one file per suite in bench/). A suite marked optIn (the soak)
// runs only when named: `npm run bench -- soak`.
export const suites: BenchSuite[] = [
  acsSuite,
  acsLargeSuite,
  luaSuite,
  syncSuite,
  uiSuite,
  filesSuite,
  profilesSuite,
  storageSuite,
  retentionSuite,
  soakSuite,
  serveLogSuite,
]
