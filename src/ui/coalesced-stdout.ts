// Ink writes one frame as several pieces (synchronized-output markers, erase codes, the frame); on a TTY
// each is a blocking write. This wraps the stream so everything written in one tick goes out as one write.
// Imports nothing from ink/react.

export function coalescedWrites(stream: NodeJS.WriteStream): NodeJS.WriteStream {
  let chunks: string[] = [];
  let callbacks: (() => void)[] = [];
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    const data = chunks.join('');
    const done = callbacks;
    chunks = [];
    callbacks = [];
    stream.write(data, () => {
      for (const cb of done) cb();
    });
  };
  const write = (chunk: string | Uint8Array, encoding?: BufferEncoding | (() => void), cb?: () => void): boolean => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    const callback = typeof encoding === 'function' ? encoding : cb;
    if (callback) callbacks.push(callback);
    if (!scheduled) {
      scheduled = true;
      queueMicrotask(flush);
    }
    return true;
  };
  return new Proxy(stream, {
    get(target, prop) {
      if (prop === 'write') return write;
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
