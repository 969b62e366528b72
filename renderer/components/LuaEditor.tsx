import { autocompletion } from '@codemirror/autocomplete'
import { StreamLanguage } from '@codemirror/language'
import { lua } from '@codemirror/legacy-modes/mode/lua'
import { linter, lintGutter, type Diagnostic } from '@codemirror/lint'
import { EditorState } from '@codemirror/state'
import { keymap } from '@codemirror/view'
import { basicSetup, EditorView } from 'codemirror'
import { useEffect, useRef } from 'react'
import type { SyntaxIssue } from '../../preload/api'
import { luaCompletions } from '../lib/lua-api'

interface Props {
  /** Changing docKey replaces the document (another script or version); value alone does not. */
  docKey: string
  value: string
  readOnly?: boolean
  onChange(value: string): void
  onSave(): void
  /** The runtime's syntax check; its issues become markers at their lines. */
  check(source: string): Promise<SyntaxIssue[]>
  onIssues(issues: SyntaxIssue[]): void
  /** Moves the cursor to this line (1-based) and scrolls it into view; a new object each request. */
  jump?: { line: number } | null
}

/** CodeMirror 6 with Lua highlighting, host-API completion and the runtime's syntax errors. */
export function LuaEditor(props: Props) {
  const host = useRef<HTMLDivElement>(null)
  const view = useRef<EditorView | null>(null)
  const latest = useRef(props)
  latest.current = props

  useEffect(() => {
    const state = EditorState.create({
      doc: props.value,
      extensions: [
        basicSetup,
        StreamLanguage.define(lua),
        autocompletion({ override: [luaCompletions] }),
        lintGutter(),
        linter(
          async (v): Promise<Diagnostic[]> => {
            const doc = v.state.doc
            let issues: SyntaxIssue[]
            try {
              issues = await latest.current.check(doc.toString())
            } catch {
              return []
            }
            latest.current.onIssues(issues)
            return issues.map((issue) => {
              const line = doc.line(Math.min(Math.max(issue.line, 1), doc.lines))
              const from = issue.column ? Math.min(line.from + issue.column - 1, line.to) : line.from
              return { from, to: Math.max(from, line.to), severity: 'error', message: issue.message, source: 'Lua' }
            })
          },
          { delay: 350 },
        ),
        keymap.of([
          {
            key: 'Mod-s',
            preventDefault: true,
            run: () => {
              latest.current.onSave()
              return true
            },
          },
        ]),
        EditorView.updateListener.of((u) => {
          if (u.docChanged) latest.current.onChange(u.state.doc.toString())
        }),
        EditorState.readOnly.of(Boolean(props.readOnly)),
        EditorView.theme({
          '&': { height: '100%', fontSize: '12.5px', backgroundColor: '#fff' },
          '.cm-scroller': { fontFamily: 'var(--mono)' },
          '.cm-gutters': { backgroundColor: '#fafbfc', borderRight: '1px solid #e3e6eb' },
        }),
      ],
    })
    const v = new EditorView({ state, parent: host.current! })
    view.current = v
    return () => {
      v.destroy()
      view.current = null
    }
    // A new document (another script, a version) builds a fresh editor with its own undo history.
  }, [props.docKey, props.readOnly])

  useEffect(() => {
    const v = view.current
    if (!v || !props.jump) return
    const doc = v.state.doc
    const line = doc.line(Math.min(Math.max(props.jump.line, 1), doc.lines))
    v.dispatch({ selection: { anchor: line.from }, effects: EditorView.scrollIntoView(line.from, { y: 'center' }) })
    v.focus()
  }, [props.jump])

  return <div className="editor" ref={host} data-testid="script-editor" />
}
