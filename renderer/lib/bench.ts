import { connectBench } from '../bridge'

/** The API, from IPC in Electron or from the WebSocket in a browser. */
export const bench = connectBench()
