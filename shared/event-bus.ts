/** Typed in-process pub/sub for the contract's pushed events; transports subscribe and forward. */
import type { EventMap, EventName } from './contract.js';

type Listener<E extends EventName> = (payload: EventMap[E]) => void;
export type AnyEvent = { [E in EventName]: { event: E; payload: EventMap[E] } }[EventName];

export class EventBus {
  private readonly listeners = new Set<(e: AnyEvent) => void>();

  emit<E extends EventName>(event: E, payload: EventMap[E]): void {
    const message = { event, payload } as AnyEvent;
    for (const listener of this.listeners) {
      try {
        listener(message);
      } catch {
        // one broken subscriber must not stop the others
      }
    }
  }

  /** Every event; returns the unsubscribe function. */
  subscribe(listener: (e: AnyEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  on<E extends EventName>(event: E, listener: Listener<E>): () => void {
    return this.subscribe((e) => {
      if (e.event === event) listener(e.payload as EventMap[E]);
    });
  }
}
