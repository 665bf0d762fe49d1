// Writes finished items once into the terminal's scrollback, above the live region, in the same frame as the
// live update that removes them from it. Replaces Ink's <Static>, which costs a second render per batch
// (it removes written children with a state update). Ink only; items come from the store.
import type { DOMElement } from 'ink';
import { createElement, memo, useLayoutEffect, useMemo, useRef, type ReactNode } from 'react';
import { Display } from 'yoga-layout';

interface Props<T> {
  /** Items not yet written; a new array means a new batch. */
  items: readonly T[];
  render: (item: T) => ReactNode;
  /** Called after Ink has written the batch. */
  onWritten: (count: number) => void;
}

/**
 * One batch = one Ink static node (`internal_static`, the marker <Static> uses), keyed so every batch is a new
 * node: Ink renders a new static node at once, in the commit that brings it. After that commit the node is
 * hidden (display: none), which Ink's renderer treats as "no static output", so later frames (typing, a
 * resize) never write the batch again, without another React commit.
 */
function ScrollbackImpl<T>({ items, render, onWritten }: Props<T>) {
  const ref = useRef<DOMElement>(null);
  // Built once per batch: a later re-render (a resize) must not touch the written node.
  const node = useMemo(
    () =>
      items.length === 0
        ? null
        : createElement(
            'ink-box',
            { ref, key: ++batches, internal_static: true, style: STYLE },
            items.map((item) => render(item)),
          ),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- a batch is rendered with the width and theme it was written at
    [items],
  );
  const written = useRef(onWritten);
  written.current = onWritten;
  useLayoutEffect(() => {
    if (items.length === 0) return;
    ref.current?.yogaNode?.setDisplay(Display.None);
    written.current(items.length);
  }, [items]);
  return node;
}

const STYLE = { position: 'absolute', flexDirection: 'column' } as const;

/** Keys batches: React must create a new node for each. */
let batches = 0;

export const Scrollback = memo(ScrollbackImpl) as typeof ScrollbackImpl;
