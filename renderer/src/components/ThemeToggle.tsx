/** Light, dark, or follow the system. */
import { chooseTheme, useThemeStore, type ThemeChoice } from '../state/theme-store';

const NEXT: Record<ThemeChoice, ThemeChoice> = { system: 'light', light: 'dark', dark: 'system' };
const LABEL: Record<ThemeChoice, string> = { system: 'Theme: system', light: 'Theme: light', dark: 'Theme: dark' };

export function ThemeToggle() {
  const choice = useThemeStore((s) => s.choice);
  return (
    <button
      className="small"
      onClick={() => chooseTheme(NEXT[choice])}
      title="Switch between light, dark and the system's theme"
      data-testid="theme-toggle"
    >
      {LABEL[choice]}
    </button>
  );
}
