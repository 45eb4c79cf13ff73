/** Where the database lives and how big it is. */
import { useEffect, useState } from 'react';
import type { DataFolderInfo } from '../../../../shared/settings';
import { bridge } from '../../bridge';
import { formatBytes } from '../../format';
import { SettingsSection } from './SettingsSection';

export function DataFolder() {
  const [info, setInfo] = useState<DataFolderInfo | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = (): void =>
    void bridge.invoke('data:info').then(
      (i) => (setInfo(i), setError(null)),
      (err: Error) => setError(err.message),
    );
  useEffect(load, []);
  return (
    <SettingsSection title="Data folder" testId="settings-data">
      {error && <p className="error-text">{error}</p>}
      {info && (
        <dl className="facts">
          <div>
            <dt>Folder</dt>
            <dd>
              <code>{info.path}</code>
            </dd>
          </div>
          <div>
            <dt>Database</dt>
            <dd className="num" data-testid="data-size">
              {formatBytes(info.sizeBytes)}
            </dd>
          </div>
          <div>
            <dt>Free on that disk</dt>
            <dd className="num">{info.freeBytes === null ? '—' : formatBytes(info.freeBytes)}</dd>
          </div>
        </dl>
      )}
      <div>
        <button type="button" className="small" onClick={load}>
          Measure again
        </button>
      </div>
    </SettingsSection>
  );
}
