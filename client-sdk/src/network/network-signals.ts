/** Whether the platform says we are online: browser `online`/`offline` events and `navigator.onLine`. */

/**
 * A source of online/offline signals, for platforms the SDK cannot observe itself (React Native,
 * Electron); pass it as the `network` option.
 *
 * @example
 * const network: NetworkSignals = {
 *   isOnline: () => netInfo.isConnected,
 *   onChange: (listener) => netInfo.addEventListener((s) => listener(s.isConnected)),
 * };
 * const cache = createCacheClient({ url, network });
 */
export interface NetworkSignals {
  /** True when the platform believes it is online. */
  isOnline(): boolean;
  /** Calls `listener` on every change; returns the unsubscribe function. */
  onChange(listener: (online: boolean) => void): () => void;
}

/**
 * The browser's view, or undefined where there is none (Node, Workers: there `navigator.onLine`
 * does not exist, and the client relies on failed calls and `/health` probes instead).
 */
export function platformNetwork(): NetworkSignals | undefined {
  const nav = (globalThis as { navigator?: { onLine?: unknown } }).navigator;
  const target = globalThis as Partial<Pick<EventTarget, "addEventListener" | "removeEventListener">>;
  if (typeof nav?.onLine !== "boolean" || typeof target.addEventListener !== "function") return undefined;
  return {
    isOnline: () => nav.onLine === true,
    onChange(listener) {
      const online = () => listener(true);
      const offline = () => listener(false);
      target.addEventListener!("online", online);
      target.addEventListener!("offline", offline);
      return () => {
        target.removeEventListener?.("online", online);
        target.removeEventListener?.("offline", offline);
      };
    },
  };
}
