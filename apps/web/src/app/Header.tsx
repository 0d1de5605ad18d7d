import { useId } from 'react';
import { ROLES, ROLE_LABELS, type DatasetSummary, type Me, type Permission, type Role } from '@safer-places/schemas';

export const SYNTHETIC_EXPLANATION =
  'Every crime, population and deprivation figure in this dataset is generated for demonstration. ' +
  'They are not real police.uk, ONS or IMD figures: do not use them for decisions or bids.';

export function SyntheticBadge() {
  const id = useId();
  return (
    <span className="badge-synthetic" tabIndex={0} aria-describedby={`${id}-tip`} data-testid="synthetic-badge" title={SYNTHETIC_EXPLANATION}>
      Synthetic demo data
      <span className="badge-synthetic__tip" id={`${id}-tip`} role="tooltip">{SYNTHETIC_EXPLANATION}</span>
    </span>
  );
}

/** The local sign-in form's choice: the role to sign in as, and the covert cameras permission. */
export interface SignInChoice {
  role: Role;
  covert: boolean;
}

/** The local sign-in form's submit button: "Sign in" when signed out, "Switch role" (to the role chosen) when signed in. */
export function signInButtonLabel(signedIn: boolean, busy: boolean): string {
  if (signedIn) return busy ? 'Switching…' : 'Switch role';
  return busy ? 'Signing in…' : 'Sign in';
}

export function SignIn(props: {
  devSignIn: boolean;
  /** Held by the session gate, so the choice stays put while the signed-in workspace comes and goes. */
  choice: SignInChoice;
  onChoice(choice: SignInChoice): void;
  me: Me | null;
  busy: boolean;
  onSignIn(role: Role, permissions: Permission[]): void;
  onSignOut(): void;
  /** Sign-in with the organisation's Cognito user pool (managed login), when the server names one. */
  cognito?: { busy: boolean; signIn(): void; signOut(): void } | null;
}) {
  const id = useId();
  const { role, covert } = props.choice;
  const cognito = !props.devSignIn ? props.cognito : null;
  if (!props.devSignIn && !cognito && !props.me) return <p className="signin__note">Sign-in is provided by your organisation.</p>;
  return (
    <div className="signin">
      {props.me && (
        <p className="signin__who" data-testid="signed-in-as" title={props.me.name ? `Signed in as ${props.me.name}` : undefined}>
          <span className="signin__role">{ROLE_LABELS[props.me.role]}</span>
          <span className="signin__org">Organisation: {props.me.orgId}</span>
          {props.me.permissions.includes('sensitive-cameras') && <span className="signin__org">Sees covert cameras</span>}
        </p>
      )}
      {props.devSignIn && (
        <form
          className="signin__form"
          onSubmit={(e) => {
            e.preventDefault();
            props.onSignIn(role, covert ? ['sensitive-cameras'] : []);
          }}
        >
          <label htmlFor={`${id}-role`}>{props.me ? 'Role' : 'Sign in as'}</label>
          <select id={`${id}-role`} value={role} onChange={(e) => props.onChoice({ role: e.currentTarget.value as Role, covert })} data-testid="role-select">
            {ROLES.map((r) => (
              <option key={r} value={r}>{ROLE_LABELS[r]}</option>
            ))}
          </select>
          <label className="signin__permission" title="The sensitive-cameras permission: see and record covert cameras (every read is audited)">
            <input type="checkbox" checked={covert} onChange={(e) => props.onChoice({ role, covert: e.currentTarget.checked })} data-testid="covert-permission" /> Covert cameras
          </label>
          {/* Signed in, the form switches role: one "Sign in" or one "Sign out" is ever shown, never both. */}
          <button type="submit" className={props.me ? 'button' : 'button button--primary'} disabled={props.busy} data-testid="sign-in-submit">
            {signInButtonLabel(!!props.me, props.busy)}
          </button>
          {props.me && (
            <button type="button" className="button" onClick={props.onSignOut}>Sign out</button>
          )}
        </form>
      )}
      {cognito && (
        <div className="signin__form">
          {props.me ? (
            <button type="button" className="button" onClick={cognito.signOut} disabled={cognito.busy}>
              {cognito.busy ? 'Signing out…' : 'Sign out'}
            </button>
          ) : (
            <button type="button" className="button button--primary" onClick={cognito.signIn} disabled={cognito.busy}>
              {cognito.busy ? 'Signing in…' : 'Sign in'}
            </button>
          )}
        </div>
      )}
    </div>
  );
}

export function DatasetPicker(props: { datasets: DatasetSummary[]; value: string | null; onChange(id: string): void }) {
  const id = useId();
  if (props.datasets.length <= 1) return null;
  return (
    <div className="dataset-picker">
      <label htmlFor={`${id}-ds`}>Dataset</label>
      <select id={`${id}-ds`} value={props.value ?? ''} onChange={(e) => props.onChange(e.currentTarget.value)}>
        {props.datasets.map((d) => (
          <option key={d.id} value={d.id}>{d.name}{d.synthetic ? ' (synthetic)' : ''}</option>
        ))}
      </select>
    </div>
  );
}
