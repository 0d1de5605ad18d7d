import { useCallback, useEffect, useState } from 'react';
import type { OrgUser, UserChange, UserInviteInput } from '@safer-places/schemas';
import { describeError } from '../../api/client';
import type { UsersApi } from './api';
import { savedMessage, withUser } from './userAdmin';

export type Notice = { kind: 'info' | 'error'; text: string } | null;

/**
 * The organisation's users for the panel: loads them, invites, saves a change, and says what happened (one notice at a
 * time, for a live region). Changes apply the server's answer to the list, so the table shows what is stored.
 */
export function useUsers(api: UsersApi) {
  const [users, setUsers] = useState<OrgUser[]>([]);
  const [state, setState] = useState<'loading' | 'ready' | 'error'>('loading');
  const [busy, setBusy] = useState<string | null>(null);
  const [notice, setNotice] = useState<Notice>(null);

  const reload = useCallback(
    (signal?: AbortSignal) => {
      setState('loading');
      api
        .listUsers(signal)
        .then((list) => {
          setUsers(list.users);
          setState('ready');
        })
        .catch((err: unknown) => {
          if ((err as Error).name === 'AbortError') return;
          setNotice({ kind: 'error', text: `The users could not be loaded: ${describeError(err)}` });
          setState('error');
        });
    },
    [api],
  );

  useEffect(() => {
    const controller = new AbortController();
    reload(controller.signal);
    return () => controller.abort();
  }, [reload]);

  /** Resolves true when the user was invited (the form can be cleared). */
  const invite = useCallback(
    async (body: UserInviteInput): Promise<boolean> => {
      setBusy('invite');
      setNotice(null);
      try {
        const user = await api.inviteUser(body);
        setUsers((list) => withUser(list, user));
        setNotice({ kind: 'info', text: `${user.name} <${user.email}> was invited.` });
        return true;
      } catch (err) {
        setNotice({ kind: 'error', text: `The invitation was not sent: ${describeError(err)}` });
        return false;
      } finally {
        setBusy(null);
      }
    },
    [api],
  );

  /** Saves a change to a user as the table showed them; resolves true when it was saved. */
  const update = useCallback(
    async (before: OrgUser, change: UserChange): Promise<boolean> => {
      setBusy(before.id);
      setNotice(null);
      try {
        const user = await api.updateUser(before.id, change);
        setUsers((list) => withUser(list, user));
        setNotice({ kind: 'info', text: savedMessage(before, user) });
        return true;
      } catch (err) {
        setNotice({ kind: 'error', text: `The change was not saved: ${describeError(err)}` });
        return false;
      } finally {
        setBusy(null);
      }
    },
    [api],
  );

  return { users, state, busy, notice, reload, invite, update };
}
