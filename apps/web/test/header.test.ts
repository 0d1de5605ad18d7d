import { describe, expect, it } from 'vitest';
import { signInButtonLabel } from '../src/app/Header';

describe('the local sign-in form', () => {
  it('offers "Sign in" only when signed out and "Switch role" once signed in, so Sign in and Sign out never show together', () => {
    expect(signInButtonLabel(false, false)).toBe('Sign in');
    expect(signInButtonLabel(false, true)).toBe('Signing in…');
    expect(signInButtonLabel(true, false)).toBe('Switch role');
    expect(signInButtonLabel(true, true)).toBe('Switching…');
  });
});
