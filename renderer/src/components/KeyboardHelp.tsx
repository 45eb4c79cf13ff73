/** The keyboard map, opened with '?'. */
import { useEffect, useRef } from 'react';
import { usePages } from './Sidebar';

export function KeyboardHelp({ onClose }: { onClose: () => void }) {
  const close = useRef<HTMLButtonElement>(null);
  const pages = usePages();
  useEffect(() => close.current?.focus(), []);
  return (
    <div className="dialog-backdrop" onClick={onClose} onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <div
        className="dialog kbd-help"
        role="dialog"
        aria-modal="true"
        aria-label="Keyboard shortcuts"
        onClick={(e) => e.stopPropagation()}
      >
        <h2>Keyboard</h2>
        <dl>
          {pages.map((p) => (
            <div key={p.page} style={{ display: 'contents' }}>
              <dt>{p.key}</dt>
              <dd>{p.label}</dd>
            </div>
          ))}
          <dt>Tab / Enter</dt>
          <dd>Move between controls; open a row</dd>
          <dt>← → (gap map)</dt>
          <dd>Move the cursor bucket; Shift extends a selection</dd>
          <dt>Enter / − (gap map)</dt>
          <dd>Zoom into the cursor or selection / zoom out</dd>
          <dt>← → + − 0 (chart)</dt>
          <dd>Pan, zoom in, zoom out, show everything</dd>
          <dt>Esc</dt>
          <dd>Clear a selection, close this</dd>
        </dl>
        <div className="button-row" style={{ marginTop: 14 }}>
          <button ref={close} onClick={onClose}>
            Close
          </button>
        </div>
      </div>
    </div>
  );
}
