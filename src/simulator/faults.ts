// Faults the simulated site injects on demand: each matches a path (a substring of path and query; every path
// when absent), fires `times` times (default 1; "always": until cleared), then is spent.
import { z } from 'zod';

export const FAULT_KINDS = ['slow', '429', '503', '403', 'truncated', 'changed-markup', 'empty', 'file-html', 'reset'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** What a request is for: faults that change a page's content only apply to the kinds they make sense for. */
export type ResourceKind = 'listing' | 'authority' | 'file' | 'other';

const APPLIES_TO: Record<FaultKind, readonly ResourceKind[] | 'any'> = {
  slow: 'any',
  '429': 'any',
  '503': 'any',
  '403': 'any',
  reset: 'any',
  truncated: ['listing', 'authority'],
  'changed-markup': ['listing', 'authority'],
  empty: ['listing', 'authority'],
  'file-html': ['file'],
};

export const FaultSchema = z.object({
  kind: z.enum(FAULT_KINDS),
  /** a substring of the request's path and query, e.g. "/provider/44/80451", "start=100", "/v1/file/" */
  path: z.string().min(1).optional(),
  /** how many matching requests it affects (default 1); "always": until cleared */
  times: z.union([z.number().int().positive(), z.literal('always')]).optional(),
  /** for 'slow': the delay before answering (default 2000) */
  ms: z.number().int().nonnegative().optional(),
  /** for '429' (default 1), '503', '403': the Retry-After header, seconds or an HTTP date */
  retryAfter: z.union([z.number().int().nonnegative(), z.string().min(1)]).optional(),
});
export type Fault = z.infer<typeof FaultSchema>;

interface Armed {
  fault: Fault;
  left: number;
}

export class FaultBook {
  #armed: Armed[] = [];

  add(fault: Fault): void {
    const left = fault.times === undefined ? 1 : fault.times === 'always' ? Infinity : fault.times;
    this.#armed.push({ fault, left });
  }

  clear(): void {
    this.#armed = [];
  }

  /** Faults still armed, with how many times each will still fire. */
  list(): Array<Fault & { left: number | 'always' }> {
    return this.#armed.map((a) => ({ ...a.fault, left: a.left === Infinity ? 'always' : a.left }));
  }

  /** The first armed fault that matches this request (and spends one of its times), or null. */
  take(pathAndQuery: string, resource: ResourceKind): Fault | null {
    const index = this.#armed.findIndex(({ fault }) => {
      const applies = APPLIES_TO[fault.kind];
      return (applies === 'any' || applies.includes(resource)) && (!fault.path || pathAndQuery.includes(fault.path));
    });
    const armed = this.#armed[index];
    if (!armed) return null;
    armed.left -= 1;
    if (armed.left <= 0) this.#armed.splice(index, 1);
    return armed.fault;
  }
}
