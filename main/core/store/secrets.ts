/**
 * Secrets in what the store keeps and what it syncs: values of password-like parameters (a Wi-Fi
 * key, ManagementServer.Password, a Download's Password) and the secret values of the script
 * environments. The technician at the laptop is trusted, but synced records go to central servers
 * and a database file may be copied or exported (docs/security.md, "Sync and stored data").
 */

/** What a secret value is replaced with (run output, stored SOAP bodies, synced records). */
export const SECRET_MASK = '••••'

/** A function that replaces each secret value in a text by SECRET_MASK (the identity when there are none). */
export type Masker = (text: string) => string

/**
 * Masks the given values as they are, longest first: what the store uses until the composition
 * root hands it the script environments' masker (scripts/envs/mask.ts secretMasker, which also
 * masks their encodings).
 */
export function literalMasker(secrets: readonly string[]): Masker {
  const list = [...new Set(secrets.filter((s) => s.length > 0))].sort((a, b) => b.length - a.length)
  if (list.length === 0) return (text) => text
  return (text) => {
    let out = text
    for (const s of list) if (out.includes(s)) out = out.split(s).join(SECRET_MASK)
    return out
  }
}

/** The last name of a parameter path says it holds a secret: …Password, …KeyPassphrase, …PreSharedKey, …WEPKey, …Secret. */
const SECRET_NAME = /(?:password|passphrase|presharedkey|wepkey|secret)$/i

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name.slice(name.lastIndexOf('.') + 1))
}

const NS = '(?:[\\w.-]+:)?'
/** A ParameterValueStruct's Name and the text of its Value (XML text holds no "<"). */
const NAME_VALUE = new RegExp(
  `(<${NS}Name>\\s*([^<]*?)\\s*</${NS}Name>\\s*<${NS}Value\\b[^>]*>)([^<]+)(?=</${NS}Value>)`,
  'g',
)
/** An element whose own name is password-like (a Download's or Upload's Password). */
const SECRET_ELEMENT = new RegExp(
  `(<(${NS}\\w*(?:password|passphrase|presharedkey|wepkey|secret))(?:\\s[^>]*)?>)([^<]+)(?=</\\2>)`,
  'gi',
)
const HINT = /password|passphrase|presharedkey|wepkey|secret/i

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' }

/** The secret's text as it appears inside XML, when escaping changes it. */
function xmlEscaped(text: string): string {
  return text.replace(/[&<>"']/g, (c) => XML_ESCAPES[c]!)
}

/** Masks the values of password-like parameters and elements in a SOAP body. */
export function maskSecretValues(xml: string): string {
  if (!HINT.test(xml)) return xml
  return xml
    .replace(NAME_VALUE, (all, head: string, name: string) => (isSecretName(name) ? head + SECRET_MASK : all))
    .replace(SECRET_ELEMENT, (_all, head: string) => head + SECRET_MASK)
}

/**
 * What the store masks, and where. `secrets` gives the script environments' secret values (set by
 * the composition root: the store does not know the scripts); `keepStored` is the setting that
 * keeps stored SOAP bodies as they were (cwmp.keepSecretsInLog). Synced records are masked always.
 */
export class SecretRedaction {
  private secrets: () => readonly string[] = () => []
  private build: (secrets: readonly string[]) => Masker = literalMasker
  private keep: () => boolean = () => false
  private cached: { key: string; mask: Masker } = { key: '', mask: (text) => text }

  /**
   * Where the environments' secret values come from (read on every use: a new secret counts at
   * once), and the masker a run's output uses for them.
   */
  useSecrets(secrets: () => readonly string[], masker: (secrets: readonly string[]) => Masker = literalMasker): void {
    this.secrets = secrets
    this.build = masker
    this.cached = { key: '', mask: (text) => text }
  }

  /** Whether stored SOAP bodies keep secrets as they were (synced records are masked either way). */
  keepStored(keep: () => boolean): void {
    this.keep = keep
  }

  get keepsStored(): boolean {
    return this.keep()
  }

  /** The environments' secrets, raw and as escaped in XML. */
  private masker(): Masker {
    const list = this.secrets()
    if (list.length === 0) return (text) => text
    const key = list.join('\u0000')
    if (key !== this.cached.key) {
      const all = list.flatMap((s) => (xmlEscaped(s) === s ? [s] : [s, xmlEscaped(s)]))
      this.cached = { key, mask: this.build(all) }
    }
    return this.cached.mask
  }

  /** A SOAP body with its secrets masked. */
  soap(xml: string): string {
    return this.masker()(maskSecretValues(xml))
  }

  /** A SOAP body as the store keeps it: masked unless the setting keeps secrets. */
  stored(xml: string): string {
    return this.keep() ? xml : this.soap(xml)
  }

  /**
   * A synced record with its secrets masked: every string (the environments' secrets), and the
   * value of every `{ name, value }` whose name is password-like (parameter lists).
   */
  record<T>(value: T): T {
    return maskRecord(value, this.masker())
  }
}

function maskRecord<T>(value: T, mask: Masker): T {
  if (typeof value === 'string') return mask(value) as T
  if (Array.isArray(value)) return value.map((v: unknown) => maskRecord(v, mask)) as T
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) out[k] = maskRecord(v, mask)
    const { name, value: secret } = out
    if (typeof name === 'string' && typeof secret === 'string' && secret !== '' && isSecretName(name))
      out.value = SECRET_MASK
    return out as T
  }
  return value
}
