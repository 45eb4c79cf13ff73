/** The add-series form in a titled panel of its own, the one the Overview and Series pages open from their "Add series" button. */
import { AddSeriesForm } from './AddSeriesForm';

export function AddSeriesPanel() {
  return (
    <section className="panel section">
      <header>
        <h2>Add a series</h2>
      </header>
      <div className="panel-body">
        <AddSeriesForm />
      </div>
    </section>
  );
}
