/**
 * send_cwmp_message's third argument, as the script API page defines it: it says what the call
 * returns, not which RPC goes (the envelope says that). One value, always; why a call failed is
 * last_error().
 */
export const MESSAGE_TYPES: readonly { type: string; meaning: string; returns: string }[] = [
  {
    type: '0',
    meaning: 'a read (the page: getParameterValues)',
    returns: '{[name] = value} for GetParameterValues, else the answer as a table | nil',
  },
  { type: '1', meaning: 'a change (the page: setParameterValues)', returns: 'true | false' },
  {
    type: 'any other',
    meaning: 'any RPC: ChangeDUState, ScheduleDownload, a vendor X_…',
    returns: 'the answer as a table (element names as written, nested) | nil',
  },
]
