import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, apiFromPage, apiJson, openBrowserSession, ROLE_LABEL, waitForMapReady, type BrowserSession } from './browser';
import type { RunningApi } from './server';

/**
 * User administration as an administrator meets it (Reports → Users) on the local server, whose users live in the
 * local store: the list, inviting someone (a bad e-mail address is refused by the form, a taken one by the server),
 * changing role and the covert cameras permission, disabling, the keyboard, and what is announced. Other roles have
 * no Users entry, and an administrator without the covert cameras permission is not shown who has it.
 */

let api: RunningApi;
let page: Page;
let pageErrors: string[];
let session: BrowserSession;
beforeAll(async () => ({ api, page, pageErrors } = session = await openBrowserSession()), 300_000);
afterAll(() => session?.close());

interface ListedUser {
  id: string;
  email: string;
  name: string;
  role: string | null;
  permissions: string[];
  enabled: boolean;
}

const SEEDED = { email: 'sam.taylor@example.gov.uk', name: 'Sam Taylor', role: 'analyst' };
const INVITED = { email: 'robin.hale@example.gov.uk', name: 'Robin Hale' };
const BAD_EMAIL = 'E-mail must be an e-mail address such as alex.smith@example.gov.uk';

/** Signs out (when signed in) and signs in through the header with a role and, optionally, the covert cameras permission. */
async function signIn(p: Page, role: string, covert: boolean): Promise<void> {
  const signOut = p.getByRole('banner').getByRole('button', { name: 'Sign out' });
  if (await signOut.isVisible()) {
    await signOut.click();
    await p.getByTestId('signed-in-as').waitFor({ state: 'detached', timeout: 60_000 });
  }
  await p.getByTestId('role-select').selectOption(role);
  const box = p.getByTestId('covert-permission');
  if ((await box.isChecked()) !== covert) await box.click();
  await p.getByRole('button', { name: 'Sign in', exact: true }).click();
  await p.getByTestId('signed-in-as').filter({ hasText: ROLE_LABEL[role]! }).waitFor({ state: 'visible', timeout: 60_000 });
  await waitForMapReady(p);
}

const reports = (p: Page) => p.getByRole('region', { name: 'Reports' });
const usersButton = (p: Page) => reports(p).getByRole('button', { name: 'Users', exact: true });
const panel = (p: Page) => p.getByTestId('users-panel');

/** Opens Reports → Users and waits until the list has been read (the table, or the empty list's sentence). */
async function openUsers(p: Page): Promise<Locator> {
  await usersButton(p).click();
  const users = panel(p);
  await users.waitFor({ state: 'visible', timeout: 60_000 });
  await users.getByTestId('users-table').or(users.getByText('No users yet: invite the first one below.')).waitFor({ state: 'visible', timeout: 60_000 });
  return users;
}

async function closeUsers(p: Page): Promise<void> {
  await panel(p).getByRole('button', { name: 'Close users' }).click();
  await panel(p).waitFor({ state: 'detached', timeout: 60_000 });
}

const listUsers = async (p: Page) => (await apiJson<{ users: ListedUser[] }>(p, '/api/users')).users;

/** The table row of one user, found by the name in its row header. */
const rowOf = (users: Locator, name: string) => users.getByRole('row').filter({ has: users.page().getByRole('rowheader', { name, exact: true }) });

/** The text of one user's cell under a column heading (the columns differ with the covert cameras permission). */
async function cellText(users: Locator, name: string, column: string): Promise<string> {
  const headers = (await users.getByRole('columnheader').allInnerTexts()).map((h) => h.trim());
  const index = headers.indexOf(column);
  if (index < 0) throw new Error(`no column "${column}" among ${headers.join(', ')}`);
  return (await rowOf(users, name).locator('th, td').nth(index).innerText()).trim();
}

/** The option a select shows, as the user reads it. */
const shownOption = (select: Locator) => select.evaluate((s: HTMLSelectElement) => s.selectedOptions[0]?.textContent ?? '');

/** The announcement region of the panel (polite) with the given text. */
const announced = (users: Locator, text: string) => users.locator('[role="status"][aria-live="polite"]').filter({ hasText: text });

/** The focused element as a user of assistive technology would hear it: its kind and accessible name. */
async function focused(p: Page): Promise<string> {
  return p.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el) return 'nothing';
    const kind = el instanceof HTMLInputElement ? `input ${el.type}` : el.tagName.toLowerCase();
    const labelled = el.getAttribute('aria-label') ?? (el as HTMLInputElement).labels?.[0]?.textContent ?? el.textContent ?? '';
    return `${kind}: ${labelled.trim()}`;
  });
}

describe('user administration in a real browser', () => {
  it('gives other roles no Users entry, and the API refuses them', async () => {
    await page.goto(api.url);
    await signIn(page, 'analyst', false);
    await reports(page).getByRole('button', { name: 'Strategic assessment' }).waitFor({ state: 'visible', timeout: 60_000 });
    await expect(usersButton(page).count()).resolves.toBe(0);
    await expect(panel(page).count()).resolves.toBe(0);
    expect((await apiFromPage(page, '/api/users')).status).toBe(403);
  });

  it('shows an administrator the organisation’s users from the local store', async () => {
    await signIn(page, 'admin', true);
    await expect(usersButton(page).getAttribute('aria-expanded')).resolves.toBe('false');
    // A fresh local store has nobody in it yet.
    let users = await openUsers(page);
    await expect(usersButton(page).getAttribute('aria-expanded')).resolves.toBe('true');
    await expect(users.getByRole('heading', { level: 2 }).innerText()).resolves.toBe('Users');
    await expect(users.getByText('No users yet: invite the first one below.').isVisible()).resolves.toBe(true);
    await expect(users.getByRole('heading', { level: 3 }).innerText()).resolves.toBe('Invite a user');
    await expect(users.getByText('Locally there are no passwords: they sign in on the sign-in form with this name.').isVisible()).resolves.toBe(true);
    await closeUsers(page);
    await expect(usersButton(page).getAttribute('aria-expanded')).resolves.toBe('false');

    // Someone added through the API is in the list the next time the panel opens, as the API lists them.
    const added = await apiFromPage<ListedUser>(page, '/api/users', { method: 'POST', body: SEEDED });
    expect(added.status).toBe(201);
    users = await openUsers(page);
    const stored = await listUsers(page);
    expect(stored.map((u) => u.name)).toEqual([SEEDED.name]);
    await expect(users.getByRole('table').count()).resolves.toBe(1);
    await expect(users.getByRole('columnheader').allInnerTexts()).resolves.toEqual(['Name', 'E-mail', 'Role', 'Covert cameras', 'Sign-in', 'Actions']);
    await expect(users.getByRole('rowheader').allInnerTexts()).resolves.toEqual([SEEDED.name]);
    await expect(cellText(users, SEEDED.name, 'E-mail')).resolves.toBe(SEEDED.email);
    await expect(shownOption(users.getByLabel(`Role of ${SEEDED.name}`, { exact: true }))).resolves.toBe('Partnership analyst');
    await expect(users.getByLabel(`${SEEDED.name} may see covert cameras`, { exact: true }).isChecked()).resolves.toBe(false);
    await expect(cellText(users, SEEDED.name, 'Sign-in')).resolves.toMatch(/^Enabled\s*Active$/);
    // Nothing changed yet: Save is there but cannot be pressed, and there is nothing to undo.
    await expect(users.getByRole('button', { name: `Save changes to ${SEEDED.name}` }).isDisabled()).resolves.toBe(true);
    await expect(users.getByRole('button', { name: `Undo changes to ${SEEDED.name}` }).count()).resolves.toBe(0);
    await expect(users.getByRole('button', { name: `Disable ${SEEDED.name}` }).isEnabled()).resolves.toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, 'users-panel-1280x800.png') });
  });

  it('refuses a bad e-mail address in the form and adds nothing, then invites the user with their role', async () => {
    const users = panel(page);
    const email = users.getByLabel('E-mail address', { exact: true });
    const name = users.getByLabel('Name', { exact: true });
    await email.fill('robin.hale.example.gov.uk');
    await name.fill(INVITED.name);
    await users.getByLabel('Role', { exact: true }).selectOption('bid-writer');
    await users.getByRole('button', { name: 'Add user' }).click();

    const error = users.getByText(BAD_EMAIL, { exact: true });
    await error.waitFor({ state: 'visible', timeout: 60_000 });
    await expect(email.getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(email.getAttribute('aria-describedby')).resolves.toBe(await error.getAttribute('id'));
    await expect(email.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    await expect(name.getAttribute('aria-invalid')).resolves.toBeNull();
    expect((await listUsers(page)).map((u) => u.name)).toEqual([SEEDED.name]);
    await expect(rowOf(users, INVITED.name).count()).resolves.toBe(0);

    // Corrected (the address is stored in lower case, without the spaces), the invitation goes through.
    await email.fill('  Robin.Hale@Example.gov.uk ');
    await users.getByRole('button', { name: 'Add user' }).click();
    await announced(users, `${INVITED.name} <${INVITED.email}> was invited.`).waitFor({ state: 'visible', timeout: 60_000 });
    await expect(error.count()).resolves.toBe(0);
    await expect(email.getAttribute('aria-invalid')).resolves.toBeNull();
    await expect(users.getByRole('rowheader').allInnerTexts()).resolves.toEqual([INVITED.name, SEEDED.name]);
    await expect(cellText(users, INVITED.name, 'E-mail')).resolves.toBe(INVITED.email);
    await expect(shownOption(users.getByLabel(`Role of ${INVITED.name}`, { exact: true }))).resolves.toBe('Bid writer');
    await expect(users.getByLabel(`${INVITED.name} may see covert cameras`, { exact: true }).isChecked()).resolves.toBe(false);
    await expect(cellText(users, INVITED.name, 'Sign-in')).resolves.toMatch(/^Enabled\s*Active$/);
    // The form is empty again for the next invitation.
    await expect(email.inputValue()).resolves.toBe('');
    await expect(name.inputValue()).resolves.toBe('');
    await expect(users.getByLabel('Role', { exact: true }).inputValue()).resolves.toBe('viewer');

    const robin = (await listUsers(page)).find((u) => u.name === INVITED.name);
    expect(robin).toMatchObject({ email: INVITED.email, role: 'bid-writer', permissions: [], enabled: true });
  });

  it('says in an alert when the server refuses an invitation, and adds nobody', async () => {
    const users = panel(page);
    await users.getByLabel('E-mail address', { exact: true }).fill(INVITED.email);
    await users.getByLabel('Name', { exact: true }).fill('Robin Hale Junior');
    await users.getByRole('button', { name: 'Add user' }).click();
    const alert = users.getByRole('alert').filter({ hasText: /^The invitation was not sent: / });
    await alert.waitFor({ state: 'visible', timeout: 60_000 });
    // The server's reason, not a generic conflict text.
    expect(await alert.textContent()).toBe(`The invitation was not sent: a user with the e-mail address ${INVITED.email} already exists in your organisation`);
    // The address is taken: the form keeps what was typed, so it can be corrected.
    await expect(users.getByLabel('Name', { exact: true }).inputValue()).resolves.toBe('Robin Hale Junior');
    expect((await listUsers(page)).map((u) => u.name)).toEqual([INVITED.name, SEEDED.name]);
    await expect(users.getByRole('rowheader').allInnerTexts()).resolves.toEqual([INVITED.name, SEEDED.name]);
    await users.getByLabel('E-mail address', { exact: true }).fill('');
    await users.getByLabel('Name', { exact: true }).fill('');
  });

  it('changes the role and the covert cameras permission, and the list shows it after reopening', async () => {
    let users = panel(page);
    await users.getByLabel(`Role of ${INVITED.name}`, { exact: true }).selectOption('planner');
    await users.getByLabel(`${INVITED.name} may see covert cameras`, { exact: true }).check();
    const save = users.getByRole('button', { name: `Save changes to ${INVITED.name}` });
    await expect(save.isEnabled()).resolves.toBe(true);
    await expect(users.getByRole('button', { name: `Undo changes to ${INVITED.name}` }).isVisible()).resolves.toBe(true);
    // The other row is untouched.
    await expect(users.getByRole('button', { name: `Save changes to ${SEEDED.name}` }).isDisabled()).resolves.toBe(true);
    await save.click();
    await announced(users, `${INVITED.name}: role is now Planner, may now see covert cameras.`).waitFor({ state: 'visible', timeout: 60_000 });
    await expect(save.isDisabled()).resolves.toBe(true);
    await expect(users.getByRole('button', { name: `Undo changes to ${INVITED.name}` }).count()).resolves.toBe(0);

    await closeUsers(page);
    users = await openUsers(page);
    await expect(shownOption(users.getByLabel(`Role of ${INVITED.name}`, { exact: true }))).resolves.toBe('Planner');
    await expect(users.getByLabel(`${INVITED.name} may see covert cameras`, { exact: true }).isChecked()).resolves.toBe(true);
    await expect(shownOption(users.getByLabel(`Role of ${SEEDED.name}`, { exact: true }))).resolves.toBe('Partnership analyst');
    await expect(users.getByLabel(`${SEEDED.name} may see covert cameras`, { exact: true }).isChecked()).resolves.toBe(false);
    expect((await listUsers(page)).find((u) => u.name === INVITED.name)).toMatchObject({ role: 'planner', permissions: ['sensitive-cameras'], enabled: true });

    // Undo puts back an unsaved change.
    await users.getByLabel(`Role of ${SEEDED.name}`, { exact: true }).selectOption('viewer');
    await users.getByRole('button', { name: `Undo changes to ${SEEDED.name}` }).click();
    await expect(shownOption(users.getByLabel(`Role of ${SEEDED.name}`, { exact: true }))).resolves.toBe('Partnership analyst');
    await expect(users.getByRole('button', { name: `Save changes to ${SEEDED.name}` }).isDisabled()).resolves.toBe(true);
  });

  it('disables the user: the list shows them disabled, and they can no longer sign in', async () => {
    let users = panel(page);
    await users.getByRole('button', { name: `Disable ${INVITED.name}` }).click();
    await announced(users, `${INVITED.name}: is disabled and cannot sign in.`).waitFor({ state: 'visible', timeout: 60_000 });
    await expect(cellText(users, INVITED.name, 'Sign-in')).resolves.toBe('Disabled');
    await expect(users.getByRole('button', { name: `Enable ${INVITED.name}` }).isVisible()).resolves.toBe(true);
    await expect(users.getByRole('button', { name: `Disable ${INVITED.name}` }).count()).resolves.toBe(0);

    await closeUsers(page);
    users = await openUsers(page);
    await expect(cellText(users, INVITED.name, 'Sign-in')).resolves.toBe('Disabled');
    await expect(cellText(users, SEEDED.name, 'Sign-in')).resolves.toMatch(/^Enabled\s*Active$/);
    await expect(users.getByRole('button', { name: `Enable ${INVITED.name}` }).isVisible()).resolves.toBe(true);
    expect((await listUsers(page)).find((u) => u.name === INVITED.name)).toMatchObject({ role: 'planner', enabled: false });

    // Local sign-in is by name: the disabled user's is refused, with the reason.
    const res = await fetch(`${api.url}/api/dev/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ role: 'viewer', name: INVITED.name }) });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain(`${INVITED.name} is disabled in this organisation and cannot sign in`);
  });

  it('is worked from the keyboard, and announces what happened', async () => {
    // Escape closes the panel; Enter on Reports → Users opens it again with the focus on its heading.
    await page.keyboard.press('Escape');
    await panel(page).waitFor({ state: 'detached', timeout: 60_000 });
    await expect(usersButton(page).getAttribute('aria-expanded')).resolves.toBe('false');
    await usersButton(page).focus();
    await page.keyboard.press('Enter');
    const users = panel(page);
    await users.getByTestId('users-table').waitFor({ state: 'visible', timeout: 60_000 });
    await page.waitForFunction(() => document.activeElement?.tagName === 'H2' && document.activeElement.textContent === 'Users', undefined, { timeout: 60_000, polling: 100 });

    // Tab goes through every control in reading order (Save is skipped while there is nothing to save).
    const order: string[] = [];
    for (let i = 0; i < 30 && order.at(-1) !== 'button: Add user'; i++) {
      await page.keyboard.press('Tab');
      order.push(await focused(page));
    }
    expect(order).toEqual([
      'button: Close users',
      `select: Role of ${INVITED.name}`,
      `input checkbox: ${INVITED.name} may see covert cameras`,
      `button: Enable ${INVITED.name}`,
      `select: Role of ${SEEDED.name}`,
      `input checkbox: ${SEEDED.name} may see covert cameras`,
      `button: Disable ${SEEDED.name}`,
      'input email: E-mail address',
      'input text: Name',
      'select: Role',
      'input checkbox: May see covert cameras (every read is audited)',
      'button: Add user',
    ]);

    // Invite by keyboard alone: type, Tab, type, Space on the covert box, Enter.
    await users.getByLabel('E-mail address', { exact: true }).focus();
    await page.keyboard.type('kim.okafor@example.gov.uk');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Kim Okafor');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('input checkbox: May see covert cameras (every read is audited)');
    await page.keyboard.press('Space');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Shift+Tab');
    expect(await focused(page)).toBe('input text: Name');
    await page.keyboard.press('Enter');
    const status = announced(users, 'Kim Okafor <kim.okafor@example.gov.uk> was invited.');
    await status.waitFor({ state: 'visible', timeout: 60_000 });
    // The focus is back on the first field, ready for the next invitation.
    await page.waitForFunction(() => (document.activeElement as HTMLInputElement | null)?.labels?.[0]?.textContent === 'E-mail address', undefined, { timeout: 60_000, polling: 100 });
    await expect(shownOption(users.getByLabel('Role of Kim Okafor', { exact: true }))).resolves.toBe('Viewer (read only)');
    await expect(users.getByLabel('Kim Okafor may see covert cameras', { exact: true }).isChecked()).resolves.toBe(true);
    expect((await listUsers(page)).find((u) => u.name === 'Kim Okafor')).toMatchObject({ role: 'viewer', permissions: ['sensitive-cameras'] });

    // Enabling from the keyboard: Enter on the row's button, announced in the same polite region.
    await users.getByRole('button', { name: `Enable ${INVITED.name}` }).focus();
    await page.keyboard.press('Enter');
    await announced(users, `${INVITED.name}: is enabled.`).waitFor({ state: 'visible', timeout: 60_000 });
    await expect(cellText(users, INVITED.name, 'Sign-in')).resolves.toMatch(/^Enabled\s*Active$/);
    // One live region carries every outcome: the earlier announcement has been replaced.
    await expect(status.count()).resolves.toBe(0);
    await expect(users.getByRole('alert').count()).resolves.toBe(0);

    await users.getByRole('button', { name: 'Close users' }).focus();
    await page.keyboard.press('Enter');
    await panel(page).waitFor({ state: 'detached', timeout: 60_000 });
  });

  it('does not show an administrator without the covert cameras permission who has it', async () => {
    await signIn(page, 'admin', false);
    const users = await openUsers(page);
    await expect(users.getByRole('columnheader').allInnerTexts()).resolves.toEqual(['Name', 'E-mail', 'Role', 'Sign-in', 'Actions']);
    await expect(users.getByRole('checkbox').count()).resolves.toBe(0);
    await expect(users.getByText(/covert/i).count()).resolves.toBe(0);
    await expect(users.getByRole('rowheader').allInnerTexts()).resolves.toEqual(['Kim Okafor', INVITED.name, SEEDED.name]);
    await expect(shownOption(users.getByLabel(`Role of ${INVITED.name}`, { exact: true }))).resolves.toBe('Planner');
    expect((await listUsers(page)).every((u) => u.permissions.length === 0)).toBe(true);
    await closeUsers(page);
    expect(pageErrors).toEqual([]);
  });
});
