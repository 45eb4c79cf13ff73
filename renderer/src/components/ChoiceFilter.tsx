/** A filter over a few fixed values, 'any' for none (severity of events, outcome of audit rows). */
export function ChoiceFilter<V extends string>({
  label,
  value,
  choices,
  onChange,
}: {
  label: string;
  value: V | undefined;
  choices: readonly V[];
  onChange: (value: V | undefined) => void;
}) {
  return (
    <label className="field">
      {label}
      <select value={value ?? ''} onChange={(e) => onChange((e.target.value || undefined) as V | undefined)}>
        <option value="">any</option>
        {choices.map((c) => (
          <option key={c} value={c}>
            {c}
          </option>
        ))}
      </select>
    </label>
  );
}
