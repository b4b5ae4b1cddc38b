/** A backend error as the Go side maps it: a stable code, the field it concerns, plain words. */
export interface Problem {
  code: string;
  field?: string;
  message: string;
}

const fallback: Problem = {
  code: 'internal',
  message: 'Something went wrong. Your saved work is safe; please try again.',
};

/** Decodes whatever a rejected binding call gave us into a Problem. */
export function toProblem(err: unknown): Problem {
  const raw = err instanceof Error ? err.message : typeof err === 'string' ? err : '';
  if (!raw) return fallback;
  try {
    const parsed: unknown = JSON.parse(raw);
    if (isProblem(parsed)) return parsed;
  } catch {
    // Not JSON: a transport error from the runtime, not one of ours.
  }
  return { ...fallback, message: `${fallback.message} (${raw})` };
}

function isProblem(v: unknown): v is Problem {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return typeof o.code === 'string' && typeof o.message === 'string';
}

/** Thrown by the api layer so callers can show err.problem.message. */
export class ProblemError extends Error {
  readonly problem: Problem;
  constructor(problem: Problem) {
    super(problem.message);
    this.problem = problem;
  }
}
