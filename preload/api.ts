export interface BenchApi {
  version(): Promise<string>
}
