/** The gap map's colours. */
const ITEMS: Array<[string, string]> = [
  ['stored', 'stored'],
  ['open', 'open hole'],
  ['unknown', 'not fetched'],
  ['confirmed_empty', 'confirmed empty'],
  ['market_closed', 'market closed'],
  ['rejected', 'rejected'],
];

export function GapLegend() {
  return (
    <ul className="gap-legend" aria-label="Gap map colours">
      {ITEMS.map(([state, label]) => (
        <li key={state}>
          <span className="swatch" data-state={state} />
          {label}
        </li>
      ))}
    </ul>
  );
}
