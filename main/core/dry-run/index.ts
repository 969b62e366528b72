export * from './types'
export { dryRun, type DryRunOptions } from './dry-run'
export { dryRunProfile, dryRunSource, type DryRunSource } from './source'
