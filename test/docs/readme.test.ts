import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const readme = readFileSync('README.md', 'utf8');

describe('README', () => {
  it('starts with the two set-up commands', () => {
    const firstScreen = readme.split('\n').slice(0, 12).join('\n');
    expect(firstScreen).toContain('npm ci && npm start');
    expect(firstScreen).toContain('npm test');
  });

  it('shows the flip-flop strategy exactly as shipped in strategies/', () => {
    const block = /```ts\n\/\/ strategies\/flip-flop\.ts\n([\s\S]*?)```/.exec(readme);
    expect(block, 'README has the strategies/flip-flop.ts block').not.toBeNull();
    expect(block![1]).toBe(readFileSync('strategies/flip-flop.ts', 'utf8'));
  });
});
