// The REPL's root component: the scrollback for finished items, the live region, the prompt and the status line,
// after the project trust dialog when there is one. Reads UI state from the store and turns key presses into
// intents for the controller; no agent logic.
import { Box, useWindowSize } from 'ink';
import { useCallback, useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { suggest } from './completion.ts';
import type { ReplController } from './controller.ts';
import { visionModelOf, type FinishedItem } from './state.ts';
import type { Theme } from './theme.ts';
import { useEditor, useKeys } from './use-keys.ts';
import { ApprovalView } from './components/approval-view.tsx';
import { FinishedView } from './components/finished-item.tsx';
import { InputView } from './components/input-view.tsx';
import { LiveView } from './components/live-view.tsx';
import { PickerView } from './components/picker-view.tsx';
import { PlanApprovalView } from './components/plan-approval-view.tsx';
import { Scrollback } from './components/scrollback.tsx';
import { useTick } from './components/spinner.ts';
import { StatusLine } from './components/status-line.tsx';
import { TranscriptView, transcriptHeight } from './components/transcript-view.tsx';
import { TrustView, type UntrustedProject } from './components/trust-view.tsx';
import { transcriptLines } from './transcript-lines.ts';

interface Props {
  controller: ReplController;
  theme: Theme;
  /** Asked before the REPL shows (and listens for keys): the project's rules and where the answer goes. */
  trust?: { project: UntrustedProject; answer: (trust: boolean) => void };
}

export function App({ controller, theme, trust }: Props) {
  const [asking, setAsking] = useState(trust !== undefined);
  if (trust && asking) {
    const onAnswer = (yes: boolean) => {
      setAsking(false);
      trust.answer(yes);
    };
    const cwd = controller.host.config.cwd;
    return <TrustView project={trust.project} cwd={cwd} theme={theme} onAnswer={onAnswer} onCancel={() => controller.exit()} />;
  }
  return <Repl controller={controller} theme={theme} />;
}

function Repl({ controller, theme }: Omit<Props, 'trust'>) {
  const { store } = controller;
  const state = useSyncExternalStore(store.subscribe, store.getState);
  const { columns, rows } = useWindowSize();
  const editor = useEditor();
  useKeys(controller, editor);
  const width = Math.max(20, columns);
  // While text streams in, its frames move the spinner; its own timer runs only when nothing else renders.
  useTick(state.busy && !state.live.sawText && !state.live.sawReasoning);

  // Items the scrollback has written are dropped with the next change (reporting them costs no render).
  const { epoch } = state;
  const onWritten = useCallback((count: number) => store.markWritten(epoch, count), [store, epoch]);

  useEffect(() => {
    controller.onRestoreInput = (text) => editor.apply({ type: 'set', text });
    controller.images.onInsert = (text) => editor.apply({ type: 'insert', text });
  }, [controller, editor.apply]);

  useEffect(() => {
    if (editor.state.text.includes('@')) controller.loadFiles();
  }, [editor.state.text, controller]);

  // The command menu opens: a skill added since the REPL started may be a command now.
  const menuOpen = editor.state.text.startsWith('/');
  useEffect(() => {
    if (menuOpen) controller.commandMenuOpened();
  }, [menuOpen, controller]);

  // controller.files and .commands change outside React; the store re-renders when they do.
  const suggestions = useMemo(() => suggest(editor.state, controller.commands, controller.files, controller.resources), [editor.state, controller.commands, controller.files, controller.resources]);

  const inputLines = Math.min(editor.state.text.split('\n').length, 12) + 2;
  const reserved = inputLines + 4 + suggestions.length + (state.live.tools.length + state.live.held.length) * 3 + (state.live.reasoning ? 7 : 0) + state.queue.length;
  const maxLines = Math.max(3, rows - reserved);
  const renderItem = useCallback((item: FinishedItem) => <FinishedView key={item.id} item={item} width={width} theme={theme} />, [width, theme]);
  const transcript = useMemo(() => (state.transcript ? transcriptLines(state.log, width, theme.color) : []), [state.transcript !== undefined, state.log, width, theme.color]);
  if (state.transcript && !state.exiting) {
    // Nothing is written to the scrollback meanwhile: finished items wait until the view closes.
    const page = transcriptHeight(rows);
    controller.transcriptView = { overflow: Math.max(0, transcript.length - page), page };
    return <TranscriptView lines={transcript} scroll={state.transcript.scroll} rows={rows} theme={theme} />;
  }
  const finished = <Scrollback items={state.finished} onWritten={onWritten} render={renderItem} />;
  // Closing: the conversation stays on screen, the prompt and status line go.
  if (state.exiting) return finished;
  return (
    <Box flexDirection="column">
      {finished}
      <LiveView state={state} width={width} maxLines={maxLines} now={Date.now()} theme={theme} />
      {state.approval &&
        (state.approval.request.toolName === 'ExitPlanMode' ? (
          <PlanApprovalView approval={state.approval} theme={theme} width={width} maxLines={rows - 12} />
        ) : (
          <ApprovalView approval={state.approval} theme={theme} />
        ))}
      {state.picker && <PickerView picker={state.picker} theme={theme} />}
      {!state.approval && !state.picker && (
        <InputView editor={editor.state} history={controller.history.entries} suggestions={suggestions} busy={state.busy} theme={theme} />
      )}
      <StatusLine
        model={state.model}
        provider={state.provider}
        mode={state.mode}
        sandboxed={state.sandboxed}
        mcp={state.mcp}
        thinking={state.thinking}
        contextTokens={state.contextTokens}
        contextWindow={controller.host.config.modelInfo.contextWindow}
        vision={visionModelOf(controller.host.config)}
        width={width}
        usage={state.usage}
        hint={state.hint}
        theme={theme}
      />
    </Box>
  );
}
