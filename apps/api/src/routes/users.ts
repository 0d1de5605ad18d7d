import { Hono } from 'hono';
import { NotFoundError, UserAdminService, parseOrThrow, type UserDirectory } from '@safer-places/domain';
import { USER_ID_PATTERN, userChangeSchema, userInviteSchema, type OrgUser, type UserList } from '@safer-places/schemas';
import { noteAudit } from '../audit';
import { ApiProblem } from '../http-errors';
import { readJson, requireRole, type AppEnv } from '../middleware';

/**
 * User administration for administrators: `GET /api/users` (the organisation's users), `POST /api/users` (invite),
 * `PATCH /api/users/:id` (role, permissions, enabled). Always the administrator's own organisation, from the token.
 * Invitations and changes go into the audit log; a change to the covert-camera permission is a sensitive event.
 *
 * Without a directory (a server with neither Cognito nor the local store behind it) the routes exist but answer 404.
 */
export function userRoutes(directory: UserDirectory | undefined) {
  const app = new Hono<AppEnv>();
  const service = () => {
    if (!directory) throw new ApiProblem(404, 'not_available', 'user management is not available on this server (it has no user directory)');
    return new UserAdminService(directory);
  };
  const noStore = (c: { header(name: string, value: string): void }) => c.header('Cache-Control', 'private, no-store');

  app.get('/', requireRole('admin'), async (c) => {
    const users = await service().list(c.get('principal'));
    noStore(c);
    return c.json<UserList>({ users });
  });

  app.post('/', requireRole('admin'), async (c) => {
    const users = service();
    const invite = parseOrThrow(userInviteSchema, await readJson(c.req), 'invitation');
    const { user, detail, sensitive } = await users.invite(c.get('principal'), invite);
    noteAudit(c, { action: 'create', kind: 'users', itemIds: [user.id], detail, ...(sensitive && { sensitive }) });
    noStore(c);
    return c.json<OrgUser>(user, 201);
  });

  app.patch('/:id', requireRole('admin'), async (c) => {
    const users = service();
    const id = c.req.param('id');
    const principal = c.get('principal');
    if (!USER_ID_PATTERN.test(id)) throw new NotFoundError(`there is no user ${id.slice(0, 80)} in your organisation`);
    // The user first: an id outside the organisation is "not found" whatever the body says.
    await users.get(principal, id);
    const change = parseOrThrow(userChangeSchema, await readJson(c.req), 'user change');
    const { user, detail, sensitive } = await users.update(principal, id, change);
    noteAudit(c, { action: 'update', kind: 'users', itemIds: [id], detail, ...(sensitive && { sensitive }) });
    noStore(c);
    return c.json<OrgUser>(user);
  });

  return app;
}
