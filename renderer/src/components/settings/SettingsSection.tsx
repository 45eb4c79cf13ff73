/** A settings panel with its own Save: the engine's answer (or its error, naming the cause) shows beside it. */
import { useState, type ReactNode } from 'react';

interface SectionProps {
  title: string;
  description?: string;
  children: ReactNode;
  /** Absent for sections whose controls act on their own (keys, desktop toggles). */
  onSave?: () => Promise<void>;
  dirty?: boolean;
  testId?: string;
}

/** Sections remount when the settings they edit change (after their own save too): remember the save. */
const savedAt = new Map<string, number>();

export function SettingsSection({ title, description, children, onSave, dirty = true, testId }: SectionProps) {
  const [state, setState] = useState<{ busy: boolean; saved: boolean; error: string | null }>(() => ({
    busy: false,
    saved: Date.now() - (savedAt.get(title) ?? 0) < 5_000,
    error: null,
  }));
  const save = async (e: React.FormEvent): Promise<void> => {
    e.preventDefault();
    if (!onSave) return;
    setState({ busy: true, saved: false, error: null });
    // Marked before the answer lands: a successful save remounts this section with the new settings.
    savedAt.set(title, Date.now());
    try {
      await onSave();
      setState({ busy: false, saved: true, error: null });
    } catch (err) {
      savedAt.delete(title);
      setState({ busy: false, saved: false, error: (err as Error).message });
    }
  };
  return (
    <form className="panel settings-section" onSubmit={(e) => void save(e)} data-testid={testId} aria-label={title}>
      <header>
        <div>
          <h2>{title}</h2>
          {description && <span className="hint">{description}</span>}
        </div>
        {onSave && (
          <div className="button-row">
            {state.saved && !dirty && <span className="saved">Saved</span>}
            {state.error && (
              <span className="error-text small" role="alert">
                {state.error}
              </span>
            )}
            <button type="submit" className="primary small" disabled={state.busy || !dirty}>
              {state.busy ? 'Saving…' : 'Save'}
            </button>
          </div>
        )}
      </header>
      <div className="panel-body">{children}</div>
    </form>
  );
}
