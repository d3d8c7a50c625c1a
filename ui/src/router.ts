/**
 * In-app navigation through the History API: every page state is a URL (deep links). Pages call {@link navigate};
 * the app shell (main.ts) tells the router how to render the current URL. Pages import this module, not main.ts,
 * so that no page imports the shell that imports it.
 */
let render: () => void = () => {};

/** Set once by the app shell: renders the page of the current URL. */
export function onNavigate(r: () => void): void {
  render = r;
}

export function navigate(to: string, replace = false): void {
  if (replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  render();
}
