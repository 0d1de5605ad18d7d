import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { Me, OrgUser, Role } from '@safer-places/schemas';
import type { UsersApi } from './api';
import { useUsers } from './useUsers';
import {
  ROLE_OPTIONS,
  allowedActions,
  canGrantCovert,
  changeFor,
  checkInvite,
  emptyInvite,
  userRow,
  type InviteErrors,
  type InviteForm,
  type RowEdit,
} from './userAdmin';

export interface UsersPanelProps {
  api: UsersApi;
  /** The signed-in administrator. */
  me: Me;
  /** On AWS invitations are e-mailed (Cognito); locally the user signs in by name on the sign-in form. */
  mode: 'cognito' | 'local';
  onClose(): void;
}

/**
 * User administration for administrators: the organisation's users, inviting one, changing role and the covert
 * cameras permission, disabling and enabling. Everything is plain text; every control has a visible label or an
 * accessible name, and the panel is worked entirely from the keyboard (Tab, Space, Enter, arrow keys in selects).
 */
export function UsersPanel(props: UsersPanelProps) {
  const id = useId();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const { users, state, busy, notice, invite, update } = useUsers(props.api);
  const mayGrant = canGrantCovert(props.me);

  useEffect(() => {
    headingRef.current?.focus();
  }, []);

  return (
    <section className="overlay-panel" aria-labelledby={`${id}-heading`} data-testid="users-panel">
      <div className="overlay-panel__head">
        <div>
          <h2 id={`${id}-heading`} ref={headingRef} tabIndex={-1}>
            Users
          </h2>
          <p className="side-panel__sub">
            The people of your organisation: invite someone, change their role{mayGrant ? ' or covert cameras permission' : ''}, or disable them.
            Every change goes into the audit log.
            {props.mode === 'cognito' ? ' Changes take effect the next time the user signs in (within an hour).' : ''}
          </p>
        </div>
        <button type="button" className="icon-button" onClick={props.onClose} aria-label="Close users">
          ×
        </button>
      </div>

      <div aria-live="polite" role="status">
        {notice?.kind === 'info' && <p className="message message--info">{notice.text}</p>}
      </div>
      {notice?.kind === 'error' && (
        <p className="message message--error" role="alert">
          {notice.text}
        </p>
      )}

      {state === 'loading' && <p role="status">Loading users…</p>}
      {state === 'ready' && users.length === 0 && <p>No users yet: invite the first one below.</p>}
      {users.length > 0 && (
        <div className="table-scroll">
          <table className="data-table data-table--compact" data-testid="users-table">
            <caption className="visually-hidden">Users of your organisation, by name</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">E-mail</th>
                <th scope="col">Role</th>
                {mayGrant && <th scope="col">Covert cameras</th>}
                <th scope="col">Sign-in</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {users.map((u) => (
                <UserTableRow key={u.id} user={u} me={props.me} mayGrant={mayGrant} busy={busy === u.id} disabled={busy !== null} onSave={update} />
              ))}
            </tbody>
          </table>
        </div>
      )}

      <InviteUser mayGrant={mayGrant} mode={props.mode} busy={busy === 'invite'} disabled={busy !== null} onInvite={invite} />
    </section>
  );
}

function UserTableRow(props: { user: OrgUser; me: Me; mayGrant: boolean; busy: boolean; disabled: boolean; onSave(before: OrgUser, change: Parameters<UsersApi['updateUser']>[1]): Promise<boolean> }) {
  const { user, me } = props;
  const id = useId();
  const [edit, setEdit] = useState<RowEdit>({});
  const row = userRow(user, me);
  const allowed = allowedActions(user, me);
  const change = changeFor(user, edit, props.mayGrant);
  const role = edit.role ?? user.role ?? '';
  const covert = edit.covert ?? user.permissions.includes('sensitive-cameras');

  const save = async () => {
    if (change && (await props.onSave(user, change))) setEdit({});
  };

  return (
    <tr className={user.enabled ? undefined : 'is-refused'} data-testid={`user-${user.id}`}>
      <th scope="row">{row.name}</th>
      <td className="data-table__wrap">{row.email}</td>
      <td>
        {allowed.changeRole ? (
          <>
            <label htmlFor={`${id}-role`} className="visually-hidden">
              Role of {user.name || user.email}
            </label>
            <select id={`${id}-role`} value={role} disabled={props.disabled} onChange={(e) => setEdit({ ...edit, role: e.currentTarget.value as Role })}>
              {!user.role && <option value="">No role</option>}
              {ROLE_OPTIONS.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          </>
        ) : (
          row.role
        )}
      </td>
      {props.mayGrant && (
        <td>
          <input
            type="checkbox"
            id={`${id}-covert`}
            checked={covert}
            disabled={props.disabled}
            onChange={(e) => setEdit({ ...edit, covert: e.currentTarget.checked })}
            aria-label={`${user.name || user.email} may see covert cameras`}
          />
        </td>
      )}
      <td>
        {row.enabled}
        {user.enabled && <span className="cell-sub">{row.status}</span>}
      </td>
      <td>
        <div className="button-row button-row--tight">
          <button type="button" className="button button--primary" disabled={!change || props.disabled} onClick={() => void save()} aria-label={`Save changes to ${user.name || user.email}`}>
            {props.busy && change ? 'Saving…' : 'Save'}
          </button>
          {change && (
            <button type="button" className="button" disabled={props.disabled} onClick={() => setEdit({})} aria-label={`Undo changes to ${user.name || user.email}`}>
              Undo
            </button>
          )}
          {allowed.toggleEnabled ? (
            <button
              type="button"
              className={user.enabled ? 'button button--danger-outline' : 'button'}
              disabled={props.disabled}
              onClick={() => void props.onSave(user, { enabled: !user.enabled })}
              aria-label={row.toggleLabel}
            >
              {user.enabled ? 'Disable' : 'Enable'}
            </button>
          ) : (
            <span className="cell-sub cell-sub--inline">Your own account</span>
          )}
        </div>
      </td>
    </tr>
  );
}

function InviteUser(props: { mayGrant: boolean; mode: 'cognito' | 'local'; busy: boolean; disabled: boolean; onInvite(body: Parameters<UsersApi['inviteUser']>[0]): Promise<boolean> }) {
  const id = useId();
  const [form, setForm] = useState<InviteForm>(emptyInvite);
  const [errors, setErrors] = useState<InviteErrors>({});
  const emailRef = useRef<HTMLInputElement>(null);
  const nameRef = useRef<HTMLInputElement>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const checked = checkInvite({ ...form, covert: props.mayGrant && form.covert });
    if (checked.errors) {
      setErrors(checked.errors);
      (checked.errors.email ? emailRef : nameRef).current?.focus();
      return;
    }
    setErrors({});
    if (await props.onInvite(checked.body)) {
      setForm(emptyInvite());
      emailRef.current?.focus();
    }
  };

  const field = (name: 'email' | 'name') => ({
    id: `${id}-${name}`,
    'aria-invalid': errors[name] ? true : undefined,
    'aria-describedby': errors[name] ? `${id}-${name}-error` : undefined,
  });

  return (
    <form className="side-panel__section" onSubmit={(e) => void submit(e)} noValidate aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>Invite a user</h3>
      <p className="hint">
        {props.mode === 'cognito'
          ? 'They get an e-mail with a temporary password; at their first sign-in they choose a password and set up an authenticator app.'
          : 'Locally there are no passwords: they sign in on the sign-in form with this name.'}
      </p>
      <div className="field">
        <label htmlFor={`${id}-email`}>E-mail address</label>
        <input
          {...field('email')}
          ref={emailRef}
          type="email"
          autoComplete="off"
          spellCheck={false}
          value={form.email}
          onChange={(e) => setForm({ ...form, email: e.currentTarget.value })}
        />
        {errors.email && (
          <p className="field-error" id={`${id}-email-error`}>
            {errors.email}
          </p>
        )}
      </div>
      <div className="field">
        <label htmlFor={`${id}-name`}>Name</label>
        <input {...field('name')} ref={nameRef} type="text" autoComplete="off" value={form.name} onChange={(e) => setForm({ ...form, name: e.currentTarget.value })} />
        {errors.name && (
          <p className="field-error" id={`${id}-name-error`}>
            {errors.name}
          </p>
        )}
      </div>
      <div className="field">
        <label htmlFor={`${id}-role`}>Role</label>
        <select id={`${id}-role`} value={form.role} onChange={(e) => setForm({ ...form, role: e.currentTarget.value as Role })}>
          {ROLE_OPTIONS.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      </div>
      {props.mayGrant && (
        <div className="check">
          <input type="checkbox" id={`${id}-covert`} checked={form.covert} onChange={(e) => setForm({ ...form, covert: e.currentTarget.checked })} />
          <label htmlFor={`${id}-covert`}>May see covert cameras (every read is audited)</label>
        </div>
      )}
      {errors.form && (
        <p className="field-error" role="alert">
          {errors.form}
        </p>
      )}
      <div className="button-row">
        <button type="submit" className="button button--primary" disabled={props.disabled}>
          {props.busy ? 'Inviting…' : props.mode === 'cognito' ? 'Send invitation' : 'Add user'}
        </button>
      </div>
    </form>
  );
}
