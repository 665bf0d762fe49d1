// A map that forgets everything when it gets big: for values the REPL computes again and again from the same
// keys (frames repeat the same lines, widths and texts), so a dropped cache refills at once. Imports nothing.

export class ForgetfulCache<K, V> {
  private map = new Map<K, V>();
  constructor(private readonly max: number) {}

  get(key: K, make: (key: K) => V): V {
    let value = this.map.get(key);
    if (value === undefined) {
      if (this.map.size >= this.max) this.map = new Map();
      value = make(key);
      this.map.set(key, value);
    }
    return value;
  }
}
