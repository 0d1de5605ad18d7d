import type { OrgUser, UserChange, UserInviteInput, UserList } from '@safer-places/schemas';

type RequestFn = <T>(method: string, path: string, init?: { body?: unknown; headers?: Record<string, string>; auth?: boolean; signal?: AbortSignal }) => Promise<T>;

/**
 * User administration calls (administrators only), to be added to the app's client like scopeApi: same token, same
 * errors (ApiError with the server's detail). The organisation is always the signed-in administrator's own.
 */
export function usersApi(request: RequestFn) {
  return {
    /** The organisation's users, by name. */
    listUsers: (signal?: AbortSignal) => request<UserList>('GET', '/api/users', signal ? { signal } : {}),
    /** Invites a user: on AWS Cognito e-mails them a temporary password; locally they can sign in by name at once. */
    inviteUser: (invite: UserInviteInput) => request<OrgUser>('POST', '/api/users', { body: invite }),
    /** Changes role, permissions (the whole list) or enabled; answers the user as they now are. */
    updateUser: (id: string, change: UserChange) => request<OrgUser>('PATCH', `/api/users/${encodeURIComponent(id)}`, { body: change }),
  };
}

export type UsersApi = ReturnType<typeof usersApi>;
