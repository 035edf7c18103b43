/**
 * The one seeded PRNG of the simulators and tests (mulberry32), and a stateless hash-based uniform, so simulated
 * markets, histories and generated data repeat for a seed.
 */
export function createPrng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A uniform in [0, 1) that depends only on its inputs. */
export function hashUniform(...parts: readonly (string | number)[]): number {
  let h = 2166136261;
  for (const ch of parts.join('|')) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
  return createPrng(h)();
}
