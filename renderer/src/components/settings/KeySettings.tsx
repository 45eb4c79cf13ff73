/**
 * API keys, write-only: the dashboard shows whether a key is set and when, never its value. A typed
 * key leaves the field as soon as it is saved.
 */
import { useEffect, useState } from 'react';
import type { KeyStatus } from '../../../../shared/settings';
import { bridge } from '../../bridge';
import { Time } from '../Time';
import { SettingsSection } from './SettingsSection';

const PROTECTION: Record<string, string> = {
  keyring: 'encrypted with the system keyring',
  basic_text: 'obfuscated only (no system keyring available)',
  'plaintext-file': 'in a file readable only by this user (headless server)',
  unavailable: 'cannot be stored on this machine',
};

function KeyRow({ status, onChange }: { status: KeyStatus; onChange: (keys: KeyStatus[]) => void }) {
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (action: () => Promise<KeyStatus[]>): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      onChange(await action());
      setValue('');
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="key-row" data-testid="key-row">
      <code>{status.name}</code>
      <span className="small" data-testid="key-state">
        {status.set ? (
          <>
            set
            {status.updatedAt !== null && (
              <>
                {' '}
                · <Time ts={status.updatedAt} style="short" />
              </>
            )}
          </>
        ) : (
          <span className="muted">not set</span>
        )}
      </span>
      <input
        type="password"
        autoComplete="off"
        value={value}
        placeholder={status.set ? 'enter a new key to replace it' : 'paste the key'}
        aria-label={`New value for ${status.name}`}
        onChange={(e) => setValue(e.target.value)}
      />
      <div className="button-row">
        <button
          type="button"
          className="small"
          disabled={busy || value.trim() === ''}
          onClick={() => void run(() => bridge.invoke('keys:set', { name: status.name, value: value.trim() }))}
        >
          Save key
        </button>
        {status.set && (
          <button
            type="button"
            className="small danger"
            disabled={busy}
            onClick={() => void run(() => bridge.invoke('keys:clear', { name: status.name }))}
          >
            Clear
          </button>
        )}
      </div>
      {error && <span className="error-text small">{error}</span>}
    </div>
  );
}

export function KeySettings() {
  const [keys, setKeys] = useState<KeyStatus[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    bridge.invoke('keys:status').then(setKeys, (err: Error) => setError(err.message));
  }, []);
  const protection = keys?.[0]?.protection;
  return (
    <SettingsSection
      title="API keys"
      description="Write-only: a saved key is never shown again."
      testId="settings-keys"
    >
      {error && <p className="error-text">{error}</p>}
      {protection && <p className="hint">Keys are kept {PROTECTION[protection] ?? protection}.</p>}
      {keys?.map((k) => (
        <KeyRow key={k.name} status={k} onChange={setKeys} />
      ))}
    </SettingsSection>
  );
}
