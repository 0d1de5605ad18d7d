import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { CognitoClientConfig } from '@safer-places/schemas';
import { refreshDelayMs } from './jwt';
import { createCognitoSession, type CallbackResult, type CognitoSession } from './session';

export const SESSION_ENDED_MESSAGE = 'Your session has ended. Please sign in again.';

export interface CognitoSignInHandlers {
  /** Whether the app holds an ID token now. */
  signedIn: boolean;
  /** The ID token the app holds now. */
  getToken(): string | null;
  /** A token for the app: `new` after the redirect (load the user and data), `refreshed` for the same session. */
  onToken(idToken: string, kind: 'new' | 'refreshed'): void;
  /** The session is over (refresh refused, or signing out): drop the token and show the message, if any. */
  onEnded(message: string | null): void;
  /** Something to tell the user (a sign-in that did not complete). */
  onMessage(message: string): void;
}

export interface CognitoSignIn {
  /** True while the browser is about to leave for the managed login or a returning sign-in is being completed. */
  busy: boolean;
  signIn(): void;
  signOut(): void;
}

/**
 * The managed login's redirect is handled once per page load, even if React runs the effect twice (StrictMode in
 * development): a code can be exchanged only once, and the first run already takes it off the URL.
 */
let completion: Promise<CallbackResult> | null = null;
function completeOnce(session: CognitoSession): Promise<CallbackResult> {
  completion ??= session.completeSignIn();
  return completion;
}

/**
 * Cognito sign-in for the app when the server's config names a user pool: completes the managed login's redirect,
 * refreshes the ID token shortly before it expires (without reloading the app's data), and signs in and out.
 * Returns null when Cognito is not configured (local sign-in).
 */
export function useCognitoSignIn(config: CognitoClientConfig | undefined, handlers: CognitoSignInHandlers): CognitoSignIn | null {
  const h = useRef(handlers);
  h.current = handlers;
  const configKey = config ? JSON.stringify(config) : null;
  // The session depends on the config's values, not on the identity of the object holding them.
  const session = useMemo(() => (config ? createCognitoSession(config) : null), [configKey]);
  const [busy, setBusy] = useState(false);

  // 1. Back from the managed login: ?code=&state= (or ?error=) on the URL.
  useEffect(() => {
    if (!session) return;
    if (completion === null && !/[?&](code|error)=/.test(window.location.search)) return;
    let cancelled = false;
    setBusy(true);
    void completeOnce(session).then((result) => {
      if (cancelled) return;
      setBusy(false);
      if (result.kind === 'signed-in') h.current.onToken(result.idToken, 'new');
      else if (result.kind === 'error') h.current.onMessage(result.message);
    });
    return () => {
      cancelled = true;
    };
  }, [session]);

  // 2. Refresh the ID token shortly before it expires, for as long as the app is signed in.
  const { signedIn } = handlers;
  useEffect(() => {
    if (!session || !signedIn) return;
    let timer: ReturnType<typeof setTimeout> | null = null;
    let stopped = false;
    const schedule = () => {
      const token = h.current.getToken();
      if (stopped || !token || !session.canRefresh()) return;
      timer = setTimeout(async () => {
        try {
          const idToken = await session.refresh();
          // Signed out meanwhile (a 401, or the user): the new token is not wanted.
          if (stopped || !h.current.getToken() || !session.canRefresh()) return;
          h.current.onToken(idToken, 'refreshed');
          schedule();
        } catch {
          if (!stopped) h.current.onEnded(SESSION_ENDED_MESSAGE);
        }
      }, refreshDelayMs(token, Date.now()));
    };
    schedule();
    return () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    };
  }, [session, signedIn]);

  // Back from the sign-in page with the browser's Back button: the page comes from the back/forward cache as it was
  // left, busy; make the button usable again.
  useEffect(() => {
    const onShow = (e: PageTransitionEvent) => {
      if (e.persisted) setBusy(false);
    };
    window.addEventListener('pageshow', onShow);
    return () => window.removeEventListener('pageshow', onShow);
  }, []);

  const signIn = useCallback(() => {
    if (!session) return;
    setBusy(true);
    session.startSignIn().catch((err: unknown) => {
      setBusy(false);
      h.current.onMessage(`Sign-in could not start: ${(err as Error).message}`);
    });
  }, [session]);

  const signOut = useCallback(() => {
    if (!session) return;
    setBusy(true);
    void session.signOut(() => h.current.onEnded(null));
  }, [session]);

  return session ? { busy, signIn, signOut } : null;
}
