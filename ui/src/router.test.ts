import { describe, expect, it, vi } from 'vitest';
import { navigate, onNavigate } from './router';

describe('router', () => {
  it('pushes or replaces the URL, then renders the page of the new URL', () => {
    const pushState = vi.fn();
    const replaceState = vi.fn();
    vi.stubGlobal('history', { pushState, replaceState });
    const seen: string[] = [];
    onNavigate(() => seen.push('rendered'));
    navigate('/search?service=a');
    navigate('/trace/abc', true);
    expect(pushState).toHaveBeenCalledWith(null, '', '/search?service=a');
    expect(replaceState).toHaveBeenCalledWith(null, '', '/trace/abc');
    expect(seen).toEqual(['rendered', 'rendered']);
    vi.unstubAllGlobals();
  });
});
