import type { BenchSuite } from './types'
import { acsSuite } from './acs'
import { acsLargeSuite } from './acs-large'
import { filesSuite } from './files'
import { luaSuite } from './lua'
import { profilesSuite } from './profiles'
import { syncSuite } from './sync'
import { uiSuite } from './ui'

// Each area adds its suite here (one file per suite in bench/).
export const suites: BenchSuite[] = [acsSuite, acsLargeSuite, luaSuite, syncSuite, uiSuite, filesSuite, profilesSuite]
