/** parse-prometheus-text-format ships no types; tests only need its one function. */
declare module 'parse-prometheus-text-format' {
  interface Family {
    name: string;
    help: string;
    type: string;
    metrics: Array<{ value?: string; labels?: Record<string, string> }>;
  }
  export default function parsePrometheusTextFormat(text: string): Family[];
}
