import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ClientConfig, Me, Permission, Role } from '@safer-places/schemas';
import { createApiClient, describeError } from '../api/client';
import { forgetCognitoTokens } from '../auth/session';
import { useCognitoSignIn } from '../auth/useCognitoSignIn';
import { MapControls } from '../features/map/MapControls';
import { useMapPreferences } from '../features/map/useMapPreferences';
import { AppFrame } from './AppFrame';
import { Footer } from './Footer';
import { installFocusKeeper } from './focus';
import { SignIn, type SignInChoice } from './Header';
import { readToken, writeToken } from './token';
import { Workspace } from './Workspace';

/** Who is signed in, for which token: the workspace is shown only for the token `me` was read with. */
interface Session {
  token: string;
  me: Me;
}

/**
 * The session: the server's public configuration, the API token (local sign-in or Cognito), and who it belongs to.
 * Signed in, it renders the workspace keyed by the token, so signing in as someone else starts a fresh workspace with
 * nothing of the last user's state; signed out, the same page frame with the sign-in card.
 */
export function SessionGate() {
  const [token, setToken] = useState<string | null>(readToken);
  // Set wherever the token changes; a refreshed Cognito token changes only this ref (the API calls use it) and not
  // `token`, so a refresh does not reload the user and the map.
  const tokenRef = useRef(token);
  const [sessionMessage, setSessionMessage] = useState<string | null>(null);
  const [config, setConfig] = useState<ClientConfig | null>(null);
  const [fatal, setFatal] = useState<string | null>(null);
  const [session, setSession] = useState<Session | null>(null);
  const [meError, setMeError] = useState<string | null>(null);
  const [signingIn, setSigningIn] = useState(false);
  const [signInChoice, setSignInChoice] = useState<SignInChoice>({ role: 'analyst', covert: false });
  const prefs = useMapPreferences();

  // Focus never falls to the page body when a panel closes or the page changes at sign-in/out (see focus.ts).
  useEffect(() => installFocusKeeper(document), []);

  const signOut = useCallback((message: string | null = null) => {
    writeToken(null);
    forgetCognitoTokens();
    tokenRef.current = null;
    setToken(null);
    setSessionMessage(message);
  }, []);

  const api = useMemo(
    () => createApiClient({ getToken: () => tokenRef.current, onUnauthorized: () => signOut('Your session has ended. Please sign in again.') }),
    [signOut],
  );

  const cognito = useCognitoSignIn(config?.cognito, {
    signedIn: token !== null,
    getToken: () => tokenRef.current,
    onToken: (idToken, kind) => {
      writeToken(idToken);
      tokenRef.current = idToken;
      if (kind === 'new') {
        setSessionMessage(null);
        setToken(idToken);
      }
    },
    onEnded: signOut,
    onMessage: setSessionMessage,
  });

  // 1. Public configuration.
  useEffect(() => {
    api.config().then(setConfig, (err) => setFatal(`The Safer Places server could not be reached: ${describeError(err)}`));
  }, [api]);

  // 2. Who the token belongs to.
  useEffect(() => {
    if (!token) return;
    let cancelled = false;
    api.me().then(
      (me) => {
        if (cancelled) return;
        setMeError(null);
        setSession({ token, me });
      },
      (err) => {
        if (!cancelled) setMeError(describeError(err));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [api, token]);

  const onSignIn = async (role: Role, permissions: Permission[]) => {
    setSigningIn(true);
    setSessionMessage(null);
    try {
      const res = await api.signIn(role, undefined, permissions);
      writeToken(res.token);
      tokenRef.current = res.token;
      setToken(res.token);
    } catch (err) {
      setSessionMessage(`Sign-in failed: ${describeError(err)}`);
    } finally {
      setSigningIn(false);
    }
  };

  const me = session && session.token === token ? session.me : null;
  const signIn = config && (
    <SignIn
      devSignIn={config.devSignIn}
      choice={signInChoice}
      onChoice={setSignInChoice}
      me={me}
      busy={signingIn}
      onSignIn={onSignIn}
      onSignOut={() => signOut(null)}
      cognito={cognito}
    />
  );

  if (config && me && session) {
    return <Workspace key={session.token} api={api} me={me} config={config} prefs={prefs} signIn={signIn}/>;
  }

  return (
    <AppFrame
      synthetic={false}
      signIn={signIn}
      controls={<MapControls prefs={prefs} dataset={null} period={null} counts={{}} signedIn={false} />}
      main={
        <>
          {fatal && (
            <div className="center-card" role="alert">
              <h2>Cannot reach Safer Places</h2>
              <p>{fatal}</p>
              <button type="button" className="button" onClick={() => window.location.reload()}>Try again</button>
            </div>
          )}
          {!fatal && config && (
            <div className="center-card">
              <h2>Sign in to see the map</h2>
              {sessionMessage && <p className="message message--error" role="alert">{sessionMessage}</p>}
              {config.devSignIn ? (
                <p>This is a local installation: choose a role at the top right and select <strong>Sign in</strong>.</p>
              ) : cognito ? (
                <p>
                  Select <strong>Sign in</strong> at the top right to sign in with your organisation account and your authenticator
                  app. The first time, you choose a new password in place of the temporary one from your invitation e-mail.
                </p>
              ) : (
                <p>Sign in with your organisation account to continue.</p>
              )}
              <p className="hint">Partnership analysts, bid writers and planners can change the layers their role owns; viewers can only read.</p>
            </div>
          )}
          {meError && <p className="message message--error map-message" role="alert">{meError}</p>}
          <div className="toast" role="status" aria-live="polite"></div>
        </>
      }
      panel={null}
      panelWidth={null}
      footer={<Footer dataset={null} baseMap={null} statsNotes={[]} />}
    />
  );
}
