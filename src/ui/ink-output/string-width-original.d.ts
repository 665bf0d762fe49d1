// The real string-width package, which src/ui/ink-output/string-width.ts wraps (aliased by the bundle and vitest).
declare module 'string-width-original' {
  export { default } from 'string-width';
}
