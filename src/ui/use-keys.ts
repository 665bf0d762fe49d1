// The prompt editor's state and the key handling of the REPL: every key press becomes an Intent (keys.ts)
// that edits the prompt or calls the controller (submit, abort, approve …). No agent logic here.
import { useApp, useInput, usePaste, useStdout } from 'ink';
import { useCallback, useRef, useState } from 'react';
import { suggest } from './completion.ts';
import type { ReplController } from './controller.ts';
import { edit, emptyEditor, expandPastes, type EditAction, type EditorState } from './editor.ts';
import { editExternally } from './external-editor.ts';
import { routeKey, splitTyping, type Intent, type KeyInfo } from './keys.ts';

export interface Editor {
  state: EditorState;
  apply(action: EditAction): void;
  /** The latest state, for keys that arrive before React has re-rendered. */
  current(): EditorState;
}

export function useEditor(): Editor {
  const ref = useRef<EditorState>(emptyEditor());
  const [state, setState] = useState(ref.current);
  const apply = useCallback((a: EditAction) => {
    ref.current = edit(ref.current, a);
    setState(ref.current);
  }, []);
  const current = useCallback(() => ref.current, []);
  return { state, apply, current };
}

/** What the intents need besides the controller: submit, completion, $EDITOR. */
function intentRunner(controller: ReplController, editor: Editor, suspendTerminal: ReturnType<typeof useApp>['suspendTerminal'], stdout: NodeJS.WritableStream & { isTTY?: boolean }) {
  const submit = () => {
    const ed = editor.current();
    if (!ed.text.trim()) return;
    editor.apply({ type: 'clear' });
    controller.submit(expandPastes(ed), ed.text);
  };
  const acceptCompletion = (enter: boolean) => {
    const ed = editor.current();
    const list = suggest(ed, controller.commands, controller.files, controller.resources);
    const chosen = list[ed.completion % Math.max(1, list.length)];
    if (!chosen) return enter ? submit() : undefined;
    // An image chosen after '@' is attached at once: its label replaces the mention.
    const image = chosen.kind === 'path' ? controller.images.pastedPaths(chosen.text.slice(1).trim().replace(/ /g, '\\ ')) : undefined;
    if (image) {
      editor.apply({ type: 'replace', start: chosen.start, end: chosen.end, text: '' });
      return void controller.images.attachFiles(image);
    }
    editor.apply({ type: 'replace', start: chosen.start, end: chosen.end, text: chosen.text });
    // A command runs at once; a path only completes (the message usually goes on).
    if (enter && chosen.kind === 'command') submit();
  };
  // A paste that is only image file paths (a dragged screenshot) attaches them; any other paste is text.
  const paste = (text: string) => {
    const images = controller.images.pastedPaths(text);
    if (images) return void controller.images.attachFiles(images);
    editor.apply({ type: 'paste', text });
  };
  const openEditor = async () => {
    let text: string | undefined;
    await suspendTerminal(() => {
      text = editExternally(editor.current().text);
    });
    if (text !== undefined) editor.apply({ type: 'set', text });
  };
  // The transcript view takes the alternate screen (like less), so the conversation in the scrollback stays as
  // it was; Ink erases its frame before the switch and draws the next one from scratch after it.
  const showTranscript = async (open: boolean) => {
    await suspendTerminal(() => {
      if (stdout.isTTY) stdout.write(open ? '\x1b[?1049h\x1b[H\x1b[2J' : '\x1b[?1049l');
      controller.setTranscript(open);
    });
  };
  return (intent: Intent): void => {
    const picker = controller.store.getState().picker;
    switch (intent.type) {
      case 'edit':
        return intent.action.type === 'paste' ? paste(intent.action.text) : editor.apply(intent.action);
      case 'paste_image':
        return void controller.images.pasteClipboard();
      case 'submit':
        return submit();
      case 'accept_completion':
        return acceptCompletion(intent.enter);
      case 'abort':
        return controller.abort();
      case 'escape_idle':
        return controller.escapeIdle();
      case 'ctrl_c':
        return controller.ctrlC();
      case 'exit':
        return controller.exit(0, 'prompt_input_exit');
      case 'cycle_mode':
        return controller.cycleMode();
      case 'toggle_reasoning':
        return controller.toggleReasoning();
      case 'transcript':
        return void showTranscript(intent.open);
      case 'transcript_scroll':
        return controller.scrollTranscript(intent.delta);
      case 'external_editor':
        return void openEditor();
      case 'approve':
        return controller.approve(intent.decision);
      case 'approval_feedback':
        return controller.typeFeedback(intent.feedback);
      case 'picker_move':
        return controller.movePicker(intent.delta);
      case 'picker_choose':
        return controller.choose(picker?.options[intent.index ?? picker.index]?.value);
      case 'picker_cancel':
        return controller.choose(undefined);
    }
  };
}

/** Listens to the keyboard (and bracketed pastes) for the whole REPL. */
export function useKeys(controller: ReplController, editor: Editor): void {
  const { suspendTerminal } = useApp();
  const { stdout } = useStdout();
  const run = intentRunner(controller, editor, suspendTerminal, stdout);
  // /clear: the screen and the terminal's scrollback go; Ink draws its frame again from the top.
  controller.onClearScreen = () =>
    suspendTerminal(() => {
      if ((stdout as { isTTY?: boolean }).isTTY) stdout.write('\x1b[2J\x1b[3J\x1b[H');
    });
  const onKey = (input: string, key: KeyInfo): void => {
    const presses = splitTyping(input, key);
    if (presses) {
      for (const p of presses) onKey(p.input, p.key);
      return;
    }
    const s = controller.store.getState();
    const ed = editor.current();
    const intent = routeKey(input, key, {
      busy: s.busy,
      transcript: s.transcript && { page: controller.transcriptView.page },
      approval: s.approval && { ...s.approval, plan: s.approval.request.toolName === 'ExitPlanMode' },
      picker: s.picker ? { count: s.picker.options.length } : undefined,
      editor: ed,
      history: controller.history.entries,
      completions: suggest(ed, controller.commands, controller.files, controller.resources).length,
    });
    if (intent) run(intent);
  };
  useInput(onKey);
  usePaste((text) => {
    if (!controller.store.getState().approval) run({ type: 'edit', action: { type: 'paste', text } });
  });
}
