/** The SLOs over 24 hours and 7 days, each coloured against its target. */
import { SLO_TARGETS, sloShown, type SloReport } from '../../../../shared/history';
import { sloTargetText, sloText, sloTone } from '../../view/history-view';

export function SloPanel({ slo }: { slo: SloReport }) {
  return (
    <section className="slo-panel" aria-label="Service-level objectives" data-testid="slo-panel">
      {SLO_TARGETS.map((t) => (
        <article key={t.key} className="slo" data-testid={`slo-${t.key}`}>
          <h3>{t.label}</h3>
          <dl>
            {(['24h', '7d'] as const).map((w) => {
              const value = sloShown(slo.windows[w], t.key);
              const tone = sloTone(t, value);
              return (
                <div key={w}>
                  <dt>{w}</dt>
                  <dd data-tone={tone} data-testid={`slo-${t.key}-${w}`}>
                    {sloText(t, value)}
                    {tone === 'bad' && <span className="sr-only"> (misses its target)</span>}
                  </dd>
                </div>
              );
            })}
          </dl>
          <p className="small muted">target {sloTargetText(t)}</p>
        </article>
      ))}
    </section>
  );
}
