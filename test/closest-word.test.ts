import { describe, expect, it } from 'vitest';
import { closestWord, editDistance } from '../src/closest-word.ts';

describe('editDistance', () => {
  it('counts inserts, deletes, substitutions and swapped neighbours as one edit each', () => {
    expect(editDistance('sessions', 'sessions')).toBe(0);
    expect(editDistance('sesions', 'sessions')).toBe(1);
    expect(editDistance('modle', 'model')).toBe(1);
    expect(editDistance('Review', 'review')).toBe(0);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });
});

describe('closestWord', () => {
  const words = ['review', 'hook', 'commit', 'sessions', 'doctor', 'trust', 'undo'];
  it('finds the word a typo was meant to be', () => {
    expect(closestWord('sesions', words)).toBe('sessions');
    expect(closestWord('comit', words)).toBe('commit');
    expect(closestWord('trsut', words)).toBe('trust');
    expect(closestWord('doctr', words)).toBe('doctor');
  });
  it('finds nothing for a word that is no typo of any', () => {
    expect(closestWord('hi', words)).toBeUndefined();
    expect(closestWord('test', words)).toBeUndefined();
    expect(closestWord('refactor', words)).toBeUndefined();
  });
  it('prefers the closer of two candidates', () => {
    expect(closestWord('sesion', ['sessions', 'session'])).toBe('session');
  });
});
