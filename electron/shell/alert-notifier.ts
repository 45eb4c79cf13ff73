/**
 * Engine alerts become desktop notifications: unless muted, once per alert id, and a click
 * opens the dashboard on the alert's page. Notifications are kept referenced until closed, because
 * a garbage-collected Notification silently loses its click handler.
 */
import type { EngineAlert, EnginePort } from './engine-port.js';
import type { NotificationCtor, NotificationLike } from './electron-api.js';

export interface AlertNotifierOptions {
  Notification: NotificationCtor;
  engine: Pick<EnginePort, 'onAlert'>;
  isMuted: () => boolean;
  /** Show the dashboard, on `page` when given. */
  openPage: (page: string | undefined) => void;
  icon?: string;
  /** How many recent alert ids to remember for de-duplication. */
  memory?: number;
}

export interface AlertNotifier {
  dispose(): void;
}

export function notifyAlerts(options: AlertNotifierOptions): AlertNotifier {
  const memory = options.memory ?? 500;
  const seen = new Set<string>();
  const live = new Set<NotificationLike>();

  const remember = (id: string): boolean => {
    if (seen.has(id)) return false;
    seen.add(id);
    // A Set iterates in insertion order: drop the oldest id once over the limit.
    if (seen.size > memory) seen.delete(seen.values().next().value as string);
    return true;
  };

  const show = (alert: EngineAlert): void => {
    if (options.isMuted() || !remember(alert.id)) return;
    if (!options.Notification.isSupported()) return;
    const notification = new options.Notification({
      title: alert.title,
      body: alert.message,
      // Info is worth seeing, not worth a sound.
      silent: alert.severity === 'info',
      ...(options.icon ? { icon: options.icon } : {}),
    });
    live.add(notification);
    notification.on('click', () => {
      live.delete(notification);
      options.openPage(alert.page);
    });
    notification.on('close', () => live.delete(notification));
    notification.show();
  };

  const unsubscribe = options.engine.onAlert(show);
  return {
    dispose() {
      unsubscribe();
      for (const n of live) n.close();
      live.clear();
    },
  };
}
