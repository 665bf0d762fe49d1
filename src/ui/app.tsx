// The REPL's root component: <Static> for finished items, the live region, the prompt and the status line.
// Reads UI state from the store and turns key presses into intents for the controller; no agent logic.
import { Box, Static, useApp, useInput, usePaste, useWindowSize } from 'ink';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { suggest } from './completion.ts';
import type { ReplController } from './controller.ts';
import { edit, emptyEditor, expandPastes, type EditAction, type EditorState } from './editor.ts';
import { editExternally } from './external-editor.ts';
import { NO_KEY, routeKey, typedBeforeEnter, type Intent, type KeyInfo } from './keys.ts';
import type { Theme } from './theme.ts';
import { ApprovalView } from './components/approval-view.tsx';
import { FinishedView } from './components/finished-item.tsx';
import { InputView } from './components/input-view.tsx';
import { LiveView } from './components/live-view.tsx';
import { PickerView } from './components/picker-view.tsx';
import { useTick } from './components/spinner.ts';
import { StatusLine } from './components/status-line.tsx';

interface Props {
  controller: ReplController;
  theme: Theme;
}

/** The editor state in a ref as well, so keys that arrive before React re-renders see the latest text. */
function useEditor(): [EditorState, (a: EditAction) => void, () => EditorState] {
  const ref = useRef<EditorState>(emptyEditor());
  const [state, setState] = useState(ref.current);
  const apply = useCallback((a: EditAction) => {
    ref.current = edit(ref.current, a);
    setState(ref.current);
  }, []);
  return [state, apply, () => ref.current];
}

export function App({ controller, theme }: Props) {
  const { store } = controller;
  const state = useSyncExternalStore(store.subscribe, store.getState);
  const { columns, rows } = useWindowSize();
  const { suspendTerminal } = useApp();
  const [editor, applyEdit, currentEditor] = useEditor();
  const width = Math.max(20, columns);
  // While text streams in, its frames move the spinner; its own timer runs only when nothing else renders.
  useTick(state.busy && !state.live.sawText && !state.live.sawReasoning);

  // Items <Static> has written are dropped with the next change: a fresh <Static> then gets only new items.
  useLayoutEffect(() => {
    store.markWritten(state.epoch, state.finished.length);
  }, [state.finished, state.epoch, store]);

  useEffect(() => {
    controller.onRestoreInput = (text) => applyEdit({ type: 'set', text });
  }, [controller, applyEdit]);

  useEffect(() => {
    if (editor.text.includes('@')) controller.loadFiles();
  }, [editor.text, controller]);

  const suggestions = useMemo(
    () => suggest(editor, controller.commands, controller.files),
    // controller.files and .commands change outside React; the store re-renders when they do.
    [editor, controller.commands, controller.files],
  );

  const submit = () => {
    const ed = currentEditor();
    if (!ed.text.trim()) return;
    applyEdit({ type: 'clear' });
    controller.submit(expandPastes(ed), ed.text);
  };

  const openEditor = async () => {
    let text: string | undefined;
    await suspendTerminal(() => {
      text = editExternally(currentEditor().text);
    });
    if (text !== undefined) applyEdit({ type: 'set', text });
  };

  const run = (intent: Intent) => {
    const s = store.getState();
    switch (intent.type) {
      case 'edit':
        return applyEdit(intent.action);
      case 'submit':
        return submit();
      case 'accept_completion': {
        const ed = currentEditor();
        const list = suggest(ed, controller.commands, controller.files);
        const chosen = list[ed.completion % Math.max(1, list.length)];
        if (!chosen) return intent.enter ? submit() : undefined;
        applyEdit({ type: 'replace', start: chosen.start, end: chosen.end, text: chosen.text });
        if (intent.enter && chosen.kind === 'command') submit();
        return;
      }
      case 'abort':
        return controller.abort();
      case 'ctrl_c':
        return controller.ctrlC();
      case 'exit':
        return controller.exit();
      case 'cycle_mode':
        return controller.cycleMode();
      case 'toggle_reasoning':
        return controller.toggleReasoning();
      case 'external_editor':
        return void openEditor();
      case 'approve':
        return controller.approve(intent.decision);
      case 'approval_feedback':
        return controller.typeFeedback(intent.feedback);
      case 'picker_move':
        return controller.movePicker(intent.delta);
      case 'picker_choose':
        return controller.choose(s.picker?.options[intent.index ?? s.picker.index]?.value);
      case 'picker_cancel':
        return controller.choose(undefined);
    }
  };

  const onKey = (input: string, key: KeyInfo) => {
    const typed = typedBeforeEnter(input, key);
    if (typed !== undefined) {
      onKey(typed, NO_KEY);
      return onKey('', { ...NO_KEY, return: true });
    }
    const s = store.getState();
    const ed = currentEditor();
    const intent = routeKey(input, key, {
      busy: s.busy,
      approval: s.approval,
      picker: s.picker ? { count: s.picker.options.length } : undefined,
      editor: ed,
      history: controller.history.entries,
      completions: suggest(ed, controller.commands, controller.files).length,
    });
    if (intent) run(intent);
  };

  useInput(onKey);
  usePaste((text) => {
    if (!store.getState().approval) applyEdit({ type: 'paste', text });
  });

  const inputLines = Math.min(editor.text.split('\n').length, 12) + 2;
  const reserved = inputLines + 4 + suggestions.length + state.live.tools.length * 3 + (state.live.reasoning ? 7 : 0) + state.queue.length;
  const maxLines = Math.max(3, rows - reserved);
  if (state.exiting) {
    return (
      <Static key={state.epoch} items={state.finished}>
        {(item) => <FinishedView key={item.id} item={item} width={width} theme={theme} />}
      </Static>
    );
  }
  return (
    <Box flexDirection="column">
      <Static key={state.epoch} items={state.finished}>
        {(item) => <FinishedView key={item.id} item={item} width={width} theme={theme} />}
      </Static>
      <LiveView state={state} width={width} maxLines={maxLines} now={Date.now()} theme={theme} />
      {state.approval && <ApprovalView approval={state.approval} theme={theme} />}
      {state.picker && <PickerView picker={state.picker} theme={theme} />}
      {!state.approval && !state.picker && (
        <InputView editor={editor} history={controller.history.entries} suggestions={suggestions} busy={state.busy} theme={theme} />
      )}
      <StatusLine
        model={state.model}
        provider={state.provider}
        mode={state.mode}
        thinking={state.thinking}
        contextTokens={state.contextTokens}
        contextWindow={controller.host.config.modelInfo.contextWindow}
        usage={state.usage}
        hint={state.hint}
        theme={theme}
      />
    </Box>
  );
}
