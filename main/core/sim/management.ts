import type { DataModel } from './model/data-model'
import { isTrue, managementServer } from './identity'

/** The connection settings a simulated CPE was started with (its ManagementServer may override them). */
export interface ManagementDefaults {
  acsUrl: string
  acsUsername: string
  acsPassword: string
  connectionRequestUsername: string
  connectionRequestPassword: string
  periodicInformInterval?: number
  retryMinimumWaitInterval?: number
}

/**
 * What a CPE reads from its ManagementServer object at the moment it acts (the ACS may have set
 * it): where and as whom to inform, how often, how long to wait before a retry.
 */
export class ManagementSettings {
  constructor(
    private readonly model: () => DataModel,
    private readonly defaults: ManagementDefaults,
  ) {}

  private setting(name: string): string | undefined {
    const ms = managementServer(this.model())
    return ms ? this.model().get(ms + name) : undefined
  }

  acsUrl(): string {
    return this.setting('URL') || this.defaults.acsUrl
  }

  acsCredentials(): { username: string; password: string } {
    return {
      username: this.setting('Username') ?? this.defaults.acsUsername,
      password: this.setting('Password') ?? this.defaults.acsPassword,
    }
  }

  connectionRequestCredentials(): { username: string; password: string } {
    return {
      username: this.setting('ConnectionRequestUsername') ?? this.defaults.connectionRequestUsername,
      password: this.setting('ConnectionRequestPassword') ?? this.defaults.connectionRequestPassword,
    }
  }

  retryMinimumWait(): number {
    return this.defaults.retryMinimumWaitInterval ?? (Number(this.setting('CWMPRetryMinimumWaitInterval')) || 5)
  }

  retryIntervalMultiplier(): number {
    return Number(this.setting('CWMPRetryIntervalMultiplier')) || 2000
  }

  /** Seconds between periodic Informs, or undefined when they are off. */
  periodicInterval(): number | undefined {
    const ms = managementServer(this.model())
    const enabled = ms
      ? isTrue(this.model().get(`${ms}PeriodicInformEnable`))
      : this.defaults.periodicInformInterval !== 0
    const interval = Number(
      (ms && this.model().get(`${ms}PeriodicInformInterval`)) || this.defaults.periodicInformInterval || 300,
    )
    return enabled && interval > 0 ? interval : undefined
  }
}
