import { useCallback, useEffect, useRef, useState } from 'react';
import type { OrgUser, UserChange, UserInviteInput } from '@safer-places/schemas';
import { ApiError, describeError } from '../../api/client';
import { remoteValue, useRemote, type Remote } from '../../shared/remote';
import type { UsersApi } from './api';
import { savedMessage, withUser } from './userAdmin';

export type Notice = { kind: 'info' | 'error'; text: string } | null;

/** The list's state for the panel: 'loading' also before the first request has gone out, so the first paint says so. */
export function usersListState(remote: Remote<OrgUser[]>): 'loading' | 'ready' | 'error' {
  if (remote.state === 'done') return 'ready';
  if (remote.state === 'error') return 'error';
  return 'loading';
}

/**
 * The organisation's users for the panel: loads them, invites, saves a change, and says what happened (one notice at a
 * time, for a live region). Changes apply the server's answer to the list, so the table shows what is stored; the list
 * stays on screen while it is read again and after a read failed.
 */
export function useUsers(api: UsersApi) {
  const list = useRemote<OrgUser[]>('users', async (signal) => (await api.listUsers(signal)).users);
  const [busy, setBusy] = useState<string | null>(null);
  const [notice, setNotice] = useState<Notice>(null);
  const remoteRef = useRef(list.remote);
  remoteRef.current = list.remote;
  const { remote, set, reload } = list;

  // A failed read is said in the notice, like the outcome of a change (the next change's outcome replaces it).
  useEffect(() => {
    if (remote.state === 'error') setNotice({ kind: 'error', text: `The users could not be loaded: ${remote.message}` });
  }, [remote]);

  /**
   * Puts the server's answer for one user into the list shown. While the first read is still under way there is no list
   * yet, and that read may predate the change: the list is read again instead.
   */
  const applyUser = useCallback(
    (user: OrgUser) => {
      const now = remoteRef.current;
      const shown = remoteValue(now);
      if (now.state === 'loading' && shown === undefined) void reload();
      else set(withUser(shown ?? [], user));
    },
    [reload, set],
  );

  /** Resolves true when the user was invited (the form can be cleared). */
  const invite = useCallback(
    async (body: UserInviteInput): Promise<boolean> => {
      setBusy('invite');
      setNotice(null);
      try {
        const user = await api.inviteUser(body);
        applyUser(user);
        setNotice({ kind: 'info', text: `${user.name} <${user.email}> was invited.` });
        return true;
      } catch (err) {
        // A 409 here is a taken e-mail address or sign-in name: the server's reason says which, not the generic conflict text.
        const reason = err instanceof ApiError && err.status === 409 && err.detail ? err.detail : describeError(err);
        setNotice({ kind: 'error', text: `The invitation was not sent: ${reason}` });
        return false;
      } finally {
        setBusy(null);
      }
    },
    [api, applyUser],
  );

  /** Saves a change to a user as the table showed them; resolves true when it was saved. */
  const update = useCallback(
    async (before: OrgUser, change: UserChange): Promise<boolean> => {
      setBusy(before.id);
      setNotice(null);
      try {
        const user = await api.updateUser(before.id, change);
        applyUser(user);
        setNotice({ kind: 'info', text: savedMessage(before, user) });
        return true;
      } catch (err) {
        setNotice({ kind: 'error', text: `The change was not saved: ${describeError(err)}` });
        return false;
      } finally {
        setBusy(null);
      }
    },
    [api, applyUser],
  );

  return { users: list.value ?? [], state: usersListState(remote), busy, notice, reload, invite, update };
}
