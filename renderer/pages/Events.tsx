import { EventLog } from '../components/EventLog'
import { PageHeader } from '../components/ui'
import { useAcsUrl } from '../lib/context'

export function EventsPage() {
  const acsUrl = useAcsUrl()
  return (
    <div className="page">
      <PageHeader title="Events" />
      <EventLog
        emptyHint={
          <>
            Sessions, RPCs, faults and script output appear here as they happen. Point a CPE at{' '}
            <code className="mono">{acsUrl}</code> or start simulated CPEs to see the first ones.
          </>
        }
      />
    </div>
  )
}
