// Electron entry: placeholder until the desktop shell lands.
import { app } from 'electron'

app.whenReady().then(() => app.quit())
