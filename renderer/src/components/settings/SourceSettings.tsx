/** Source hosts, call budgets and the request timeout. */
import { useState } from 'react';
import type { Settings } from '../../../../shared/settings';
import { updateSettings } from '../../state/settings-store';
import { SettingsSection } from './SettingsSection';

function optionalInt(text: string): number | null {
  return text.trim() === '' ? null : Math.round(Number(text));
}

export function SourceSettings({ settings }: { settings: Settings }) {
  const s = settings.sources;
  const [hosts, setHosts] = useState(s.binanceHosts.join('\n'));
  const [coingecko, setCoingecko] = useState(s.coingeckoCallsPerMinute?.toString() ?? '');
  const [yahoo, setYahoo] = useState(s.yahooCallsPerMinute?.toString() ?? '');
  const [timeout, setTimeoutSec] = useState(String(s.requestTimeoutMs / 1000));
  const [streams, setStreams] = useState(s.streams);
  const next = {
    binanceHosts: hosts
      .split(/\s+/)
      .map((h) => h.trim())
      .filter(Boolean),
    coingeckoCallsPerMinute: optionalInt(coingecko),
    yahooCallsPerMinute: optionalInt(yahoo),
    requestTimeoutMs: Math.round(Number(timeout) * 1000),
    streams,
  };
  const dirty = JSON.stringify(next) !== JSON.stringify(s);
  return (
    <SettingsSection
      title="Sources"
      description="Where requests go and how fast; budgets are spent before a request leaves."
      dirty={dirty}
      onSave={() => updateSettings({ sources: next }).then(() => undefined)}
      testId="settings-sources"
    >
      <label className="field">
        Binance hosts, one per line (spread over and failed over between)
        <textarea rows={4} value={hosts} onChange={(e) => setHosts(e.target.value)} spellCheck={false} />
      </label>
      <div className="settings-grid">
        <label className="field">
          CoinGecko calls per minute
          <input
            type="number"
            min={1}
            max={10000}
            value={coingecko}
            placeholder="default"
            onChange={(e) => setCoingecko(e.target.value)}
          />
        </label>
        <label className="field">
          Yahoo calls per minute
          <input
            type="number"
            min={1}
            max={10000}
            value={yahoo}
            placeholder="default"
            onChange={(e) => setYahoo(e.target.value)}
          />
        </label>
        <label className="field">
          Request timeout (seconds)
          <input type="number" min={1} max={300} value={timeout} onChange={(e) => setTimeoutSec(e.target.value)} />
        </label>
      </div>
      <label className="field checkbox">
        <input
          type="checkbox"
          checked={streams}
          onChange={(e) => setStreams(e.target.checked)}
          data-testid="settings-streams"
        />
        Live tails from WebSocket streams (Binance, ccxt exchanges with watchOHLCV); REST polling stays the fallback
      </label>
    </SettingsSection>
  );
}
