import { describe, expect, it } from 'vitest';
import { geomean, median, ratio, summarize } from '../../bench/harness/stats.js';

describe('stats', () => {
  it('median of odd and even counts, whatever the input order', () => {
    expect(median([5])).toBe(5);
    expect(median([9, 1, 5])).toBe(5);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([10, 10, 1, 1000, 10])).toBe(10);
  });

  it("does not reorder the caller's samples", () => {
    const samples = [3, 1, 2];
    median(samples);
    expect(samples).toEqual([3, 1, 2]);
  });

  it('summarize gives count, median, min, max, mean', () => {
    expect(summarize([4, 8, 6, 2])).toEqual({ count: 4, median: 5, min: 2, max: 8, mean: 5 });
    expect(summarize([7])).toEqual({ count: 1, median: 7, min: 7, max: 7, mean: 7 });
  });

  it('rejects empty and non-finite samples', () => {
    expect(() => median([])).toThrow(/empty/);
    expect(() => summarize([1, Number.NaN])).toThrow(/not a finite number/);
  });

  it('geomean of ratios', () => {
    expect(geomean([2, 8])).toBeCloseTo(4, 12);
    expect(geomean([0.5, 2])).toBeCloseTo(1, 12);
    expect(geomean([3, 3, 3])).toBeCloseTo(3, 12);
    expect(geomean([])).toBeUndefined();
    expect(() => geomean([1, 0])).toThrow(/positive/);
  });

  it('ratio is undefined when a side is missing', () => {
    expect(ratio(6, 3)).toBe(2);
    expect(ratio(undefined, 3)).toBeUndefined();
    expect(ratio(6, undefined)).toBeUndefined();
    expect(ratio(6, 0)).toBeUndefined();
  });
});
