/** "Did you mean …?" for a name that is not known: the known name fewest single-character edits away. */

/** Levenshtein distance: insertions, deletions and substitutions of one character each count 1. */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length]!;
}

/**
 * The known name closest to `name` (case-insensitive), or undefined when none is close: within a third of the longer
 * name's length, at least 2 edits (a typo, a letter left out), so `xyz` suggests nothing.
 */
export function closestName(name: string, known: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const k of known) {
    const distance = editDistance(name.toLowerCase(), k.toLowerCase());
    if (distance <= Math.max(2, Math.floor(Math.max(name.length, k.length) / 3)) && (best === undefined || distance < best.distance)) {
      best = { name: k, distance };
    }
  }
  return best?.name;
}
