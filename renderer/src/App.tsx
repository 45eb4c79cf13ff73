/** The dashboard shell: navigation, banners, and the page the hash names. */
import { useEffect, useState } from 'react';
import { hrefOf, useRoute, type Route } from './routing/route';
import { useEngineEvents } from './state/use-engine-events';
import { useOverallHealth } from './state/health-store';
import { Sidebar, usePages } from './components/Sidebar';
import { AlertBanner, ConnectionBanner } from './components/Banners';
import { KeyboardHelp } from './components/KeyboardHelp';
import { OverviewPage } from './pages/OverviewPage';
import { SeriesPage } from './pages/SeriesPage';
import { SeriesDetailPage } from './pages/SeriesDetailPage';
import { ChartPage } from './pages/ChartPage';
import { BackfillPage } from './pages/BackfillPage';
import { EventsPage } from './pages/EventsPage';
import { QualityPage } from './pages/QualityPage';
import { SettingsPage } from './pages/SettingsPage';
import { AuditPage } from './pages/AuditPage';
import { SourcePage } from './pages/SourcePage';

function Page({ route }: { route: Route }) {
  switch (route.page) {
    case 'overview':
      return <OverviewPage />;
    case 'series':
      return route.seriesId === null ? (
        <SeriesPage />
      ) : (
        <SeriesDetailPage key={route.seriesId} seriesId={route.seriesId} section={route.section ?? null} />
      );
    case 'source':
      return <SourcePage key={route.source} source={route.source} />;
    case 'chart':
      return <ChartPage seriesId={route.seriesId} from={route.from} to={route.to} />;
    case 'backfill':
      return <BackfillPage />;
    case 'events':
      return <EventsPage />;
    case 'quality':
      return <QualityPage />;
    case 'settings':
      return <SettingsPage />;
    case 'audit':
      return <AuditPage />;
  }
}

function typing(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))
  );
}

/** Page keys (1–8) and '?' anywhere but in a text field. */
function useShortcuts(openHelp: () => void): void {
  const pages = usePages();
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
      if (e.key === '?') return openHelp();
      const page = pages.find((p) => p.key === e.key);
      if (page) location.hash = hrefOf(page.route);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [openHelp, pages]);
}

/** The window title carries the overall state, like the tray icon. */
function useTitle(): void {
  const health = useOverallHealth();
  useEffect(() => {
    document.title = health === 'ok' || health === 'unknown' ? 'Candlekeep' : `Candlekeep — ${health}`;
  }, [health]);
}

export function App() {
  useEngineEvents();
  useTitle();
  const route = useRoute();
  const [help, setHelp] = useState(false);
  useShortcuts(() => setHelp(true));
  return (
    <div className="app">
      {/* A button, not href="#content": the hash is the router's. */}
      <button className="skip-link" onClick={() => document.getElementById('content')?.focus()}>
        Skip to content
      </button>
      {/* A source's page belongs to the overview, where its tile is. */}
      <Sidebar current={route.page === 'source' ? 'overview' : route.page} />
      <div className="main" id="content" tabIndex={-1}>
        <ConnectionBanner />
        <AlertBanner />
        <Page route={route} />
      </div>
      {help && <KeyboardHelp onClose={() => setHelp(false)} />}
    </div>
  );
}
