import './style.css';
import { extractTraceId } from './dom';
import { renderSearch } from './pages/search';
import { renderServices } from './pages/services';
import { renderTrace } from './pages/trace';
import { navigate, onNavigate } from './router';

/** A page renders into the app element and returns a cleanup (listeners on window, pending fetches). */
export type Page = (app: HTMLElement, url: URL) => (() => void) | void;

let cleanup: (() => void) | void;

function route(): void {
  const url = new URL(location.href);
  const app = document.getElementById('app')!;
  if (cleanup) cleanup();
  app.replaceChildren();
  const path = url.pathname.replace(/\/+$/, '') || '/';
  const trace = /^\/trace\/([^/]+)$/.exec(path);
  document.querySelectorAll<HTMLAnchorElement>('header nav a').forEach((a) =>
    a.classList.toggle('active', path.startsWith(a.pathname)));
  if (trace) cleanup = renderTrace(app, decodeURIComponent(trace[1]), url);
  else if (path === '/services') cleanup = renderServices(app, url);
  else cleanup = renderSearch(app, url);
}

onNavigate(route);

document.addEventListener('click', (e) => {
  const a = (e.target as Element).closest?.('a[href]') as HTMLAnchorElement | null;
  if (!a || a.target || a.origin !== location.origin || e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
  if (a.pathname.startsWith('/api/')) return;
  e.preventDefault();
  navigate(a.pathname + a.search);
});
window.addEventListener('popstate', route);

document.getElementById('jump')!.addEventListener('submit', (e) => {
  e.preventDefault();
  const input = document.getElementById('jump-input') as HTMLInputElement;
  const id = extractTraceId(input.value);
  if (id) {
    input.value = '';
    navigate(`/trace/${id}`);
  } else {
    input.setCustomValidity('No trace id (16 or 32 hex characters) found');
    input.reportValidity();
    input.addEventListener('input', () => input.setCustomValidity(''), { once: true });
  }
});

route();
