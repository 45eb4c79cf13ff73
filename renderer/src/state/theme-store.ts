/**
 * Light or dark: the system's preference unless the user picked one (kept in localStorage). The
 * resolved theme is set on <html data-theme>, which the CSS variables and canvas painters follow.
 */
import { create } from 'zustand';

export type ThemeChoice = 'system' | 'light' | 'dark';
export type Theme = 'light' | 'dark';

const KEY = 'candlekeep.theme';
const media = window.matchMedia('(prefers-color-scheme: dark)');

function stored(): ThemeChoice {
  try {
    const value = localStorage.getItem(KEY);
    return value === 'light' || value === 'dark' ? value : 'system';
  } catch {
    return 'system';
  }
}

function resolve(choice: ThemeChoice): Theme {
  return choice === 'system' ? (media.matches ? 'dark' : 'light') : choice;
}

interface ThemeState {
  choice: ThemeChoice;
  theme: Theme;
}

export const useThemeStore = create<ThemeState>()(() => {
  const choice = stored();
  return { choice, theme: resolve(choice) };
});

function apply(): void {
  document.documentElement.dataset.theme = useThemeStore.getState().theme;
}

export function chooseTheme(choice: ThemeChoice): void {
  try {
    if (choice === 'system') localStorage.removeItem(KEY);
    else localStorage.setItem(KEY, choice);
  } catch {
    // storage may be unavailable (private mode): the choice lasts for this session only
  }
  useThemeStore.setState({ choice, theme: resolve(choice) });
  apply();
}

/** Apply the theme before the first paint and follow the system while the choice is 'system'. */
export function initTheme(): void {
  apply();
  media.addEventListener('change', () => {
    const { choice } = useThemeStore.getState();
    useThemeStore.setState({ theme: resolve(choice) });
    apply();
  });
}
