import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { initTheme } from './state/theme-store';
import './styles/theme.css';
import './styles/base.css';
import './styles/layout.css';
import './styles/overview.css';
import './styles/gap-map.css';
import './styles/chart.css';
import './styles/forms.css';
import './styles/quality.css';

initTheme();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
