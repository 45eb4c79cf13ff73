/** The engine's state and the one switch that stops all fetching (engine:pause / engine:resume). */
import { useState } from 'react';
import { bridge } from '../bridge';
import { statusApplied, useHealthStore } from '../state/health-store';

export function EngineControls() {
  const status = useHealthStore((s) => s.status);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!status) return <span className="muted">Engine…</span>;
  const paused = status.state === 'paused';
  const toggle = async (): Promise<void> => {
    setBusy(true);
    try {
      statusApplied(await bridge.invoke(paused ? 'engine:resume' : 'engine:pause'));
      setError(null);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <div className="row">
        <span data-testid="engine-state" className={paused ? 'badge' : 'muted'} data-tone={paused ? 'warn' : undefined}>
          Engine {status.state}
        </span>
        {status.state !== 'stopped' && (
          <button
            className="small"
            onClick={() => void toggle()}
            disabled={busy}
            title={paused ? 'Resume all fetching' : 'Stop all fetching until resumed'}
            data-testid="engine-toggle"
          >
            {paused ? 'Resume' : 'Pause'}
          </button>
        )}
      </div>
      {status.queueDepth > 0 && <span className="faint">{status.queueDepth} job(s) queued</span>}
      {error && <span className="error-text">{error}</span>}
    </>
  );
}
