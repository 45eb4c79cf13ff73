/**
 * A searchable symbol field (ARIA combobox): suggestions from the source ('symbols:search') as the
 * user types; any text is accepted, the engine checks it when the series is added.
 */
import { useEffect, useId, useState } from 'react';
import type { InstrumentInfo } from '../../../shared/contract';
import { bridge } from '../bridge';
import { useDebounced } from '../hooks/use-debounced';

interface SymbolPickerProps {
  source: string;
  value: string;
  onChange: (symbol: string) => void;
  label?: string;
}

export function SymbolPicker({ source, value, onChange, label = 'Symbol' }: SymbolPickerProps) {
  const id = useId();
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const [results, setResults] = useState<InstrumentInfo[]>([]);
  const [error, setError] = useState<string | null>(null);
  const search = useDebounced(value.trim(), 200);

  useEffect(() => {
    if (!source || !open) return;
    let current = true;
    bridge
      .invoke('symbols:search', { source, search: search || undefined, limit: 50 })
      .then((found) => {
        if (!current) return;
        setResults(found);
        setActive(0);
        setError(null);
      })
      .catch((err: Error) => current && (setResults([]), setError(err.message)));
    return () => {
      current = false;
    };
  }, [source, search, open]);

  const choose = (symbol: string): void => {
    onChange(symbol);
    setOpen(false);
  };

  const onKeyDown = (e: React.KeyboardEvent<HTMLInputElement>): void => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setOpen(true);
      setActive((i) => Math.min(results.length - 1, i + 1));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((i) => Math.max(0, i - 1));
    } else if (e.key === 'Enter' && open && results[active]) {
      e.preventDefault();
      choose(results[active].symbol);
    } else if (e.key === 'Escape') {
      setOpen(false);
    }
  };

  const listId = `${id}-list`;
  return (
    <div className="combo">
      <label className="field">
        {label}
        <input
          role="combobox"
          aria-expanded={open}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={open && results[active] ? `${id}-${active}` : undefined}
          value={value}
          placeholder="Search, e.g. BTC"
          autoComplete="off"
          spellCheck={false}
          onChange={(e) => {
            onChange(e.target.value);
            setOpen(true);
          }}
          onFocus={() => setOpen(true)}
          onBlur={() => setOpen(false)}
          onKeyDown={onKeyDown}
          data-testid="symbol-input"
        />
      </label>
      {open && (results.length > 0 || error) && (
        <ul className="combo-list" role="listbox" id={listId} aria-label="Symbols">
          {error && <li className="error-text small">{error}</li>}
          {results.map((r, i) => (
            <li
              key={r.symbol}
              id={`${id}-${i}`}
              role="option"
              aria-selected={i === active}
              // mousedown, not click: the input's blur would close the list before a click lands.
              onMouseDown={(e) => {
                e.preventDefault();
                choose(r.symbol);
              }}
            >
              <strong>{r.symbol}</strong>
              {r.name && r.name !== r.symbol && <span className="muted"> {r.name}</span>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
