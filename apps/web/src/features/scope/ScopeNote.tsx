import type { ScopeSummary } from '@safer-places/schemas';
import { scopeSentence } from './scopeState';

/**
 * Which place a panel's figures are for, from the answer itself (its `scope`), so a table can never be read as the
 * county's when it is a district's. Before an answer arrives (or from a server that does not say), the place asked for.
 */
export function ScopeNote({ summary, asked, testId }: { summary: ScopeSummary | null; asked?: string | null; testId: string }) {
  if (!summary && !asked) return null;
  return (
    <p className="scope-note" data-testid={testId}>
      {summary ? scopeSentence(summary) : `Place asked for: ${asked}`}
    </p>
  );
}
