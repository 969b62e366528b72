import { createRoot } from 'react-dom/client'

createRoot(document.getElementById('root')!).render(<h1>Bench ACS</h1>)
