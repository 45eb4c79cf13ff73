/** The dashboard shell: stored series on the left, the selected series' chart on the right. */
import { SeriesList } from './components/SeriesList';
import { CandleChart } from './components/CandleChart';
import { useSeriesStore } from './state/series-store';
import { useEngineEvents } from './state/use-engine-events';

export function App() {
  useEngineEvents();
  const selected = useSeriesStore((s) => s.series.find((x) => x.id === s.selectedId) ?? null);
  return (
    <div className="app">
      <header>
        <h1>Candlekeep</h1>
      </header>
      <main>
        <aside>
          <SeriesList />
        </aside>
        <div className="content">{selected && selected.candleCount > 0 && <CandleChart series={selected} />}</div>
      </main>
    </div>
  );
}
