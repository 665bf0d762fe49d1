// One fake GLM server per end-to-end test file, reset between its tests, and what the model was told last.
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { startFakeGlm, type FakeGlm } from './fake-glm-server.ts';

/** Starts the server before the file's tests and hands it to `use`; resets it before each test, closes it after. */
export function useFakeGlm(use: (fake: FakeGlm) => void): void {
  let fake: FakeGlm | undefined;
  beforeAll(async () => {
    fake = await startFakeGlm();
    use(fake);
  });
  afterAll(() => fake?.close());
  beforeEach(() => fake?.reset());
}

/** The content of the last message of a request body: the tool result the model just got. */
export const lastContent = (body: { messages: { content: string }[] }): string => body.messages.at(-1)?.content ?? '';
