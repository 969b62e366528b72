import type { Journal } from '../journal'
import type { Incoming, Reply } from './engine'

/**
 * Group commit: every CWMP message whose body finished arriving in the same turn of the event loop
 * is handled in one SQLite transaction, each message in its own savepoint. Answers go out only
 * after the commit, so a CPE never gets an InformResponse for an Inform that is not on disk, and
 * 50 CPEs informing at once cost one commit instead of 50.
 */
export class MessageBatcher {
  private waiting: { msg: Incoming; resolve: (reply: Reply) => void }[] = []
  private scheduled = false

  constructor(
    private readonly journal: Journal,
    private readonly handle: (msg: Incoming) => Reply,
    /** The answer for a message whose handling threw (or whose batch could not be committed). */
    private readonly failed: (msg: Incoming, error: unknown) => Reply,
  ) {}

  submit(msg: Incoming): Promise<Reply> {
    return new Promise((resolve) => {
      this.waiting.push({ msg, resolve })
      if (!this.scheduled) {
        this.scheduled = true
        setImmediate(() => this.flush())
      }
    })
  }

  private flush(): void {
    this.scheduled = false
    const batch = this.waiting
    this.waiting = []
    const replies: Reply[] = []
    try {
      this.journal.transaction(() => {
        for (const { msg } of batch) {
          try {
            replies.push(this.journal.transaction(() => this.handle(msg)))
          } catch (error) {
            replies.push(this.failed(msg, error))
          }
        }
      })
    } catch (error) {
      // The commit itself failed (disk full, I/O error): nothing of this batch was stored.
      for (let i = 0; i < batch.length; i++) replies[i] = this.failed(batch[i]!.msg, error)
    }
    batch.forEach((item, i) => item.resolve(replies[i]!))
  }
}
