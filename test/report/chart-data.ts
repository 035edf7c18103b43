/** Reads a report chart back into data: its polyline points mapped through the svg's data-* domain attributes. */
import type { HTMLElement } from 'node-html-parser';

export interface ChartData {
  readonly points: ReadonlyArray<{ x: number; y: number }>;
  /** Data value of an svg y coordinate, and the tolerance one rounded coordinate stands for. */
  readonly valueAt: (svgY: number) => number;
  readonly timeAt: (svgX: number) => number;
  readonly yResolution: number;
  readonly svgPoints: ReadonlyArray<{ x: number; y: number }>;
}

const nums = (s: string | undefined): number[] => (s ?? '').trim().split(/\s+/).map(Number);

export function chartData(svg: HTMLElement): ChartData {
  const [t0, t1] = nums(svg.getAttribute('data-x-domain'));
  const [lo, hi] = nums(svg.getAttribute('data-y-domain'));
  const [left, top, width, height] = nums(svg.getAttribute('data-plot'));
  const polyline = svg.querySelector('polyline');
  if (!polyline) throw new Error(`#${svg.id} has no polyline`);
  const svgPoints = (polyline.getAttribute('points') ?? '').trim().split(/\s+/).map((p) => {
    const [x, y] = p.split(',').map(Number);
    return { x: x!, y: y! };
  });
  const valueAt = (y: number): number => hi! - ((y - top!) / height!) * (hi! - lo!);
  const timeAt = (x: number): number => t0! + ((x - left!) / width!) * (t1! - t0!);
  return {
    svgPoints,
    points: svgPoints.map((p) => ({ x: timeAt(p.x), y: valueAt(p.y) })),
    valueAt,
    timeAt,
    yResolution: (0.01 / height!) * (hi! - lo!),
  };
}
