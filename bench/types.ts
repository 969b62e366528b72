export interface BenchResult {
  name: string
  value: number
  unit: string
  /** What the value is compared to, measured in the same run. */
  baseline?: { name: string; value: number; unit: string }
  /** value ÷ baseline (or its inverse, whichever reads naturally), with a sentence saying which. */
  ratio?: { value: number; meaning: string; aim?: string }
}

export interface BenchSuite {
  name: string
  /** Runs only when named on the command line (long suites such as the soak). */
  optIn?: boolean
  run(report: (result: BenchResult) => void): Promise<void>
}
