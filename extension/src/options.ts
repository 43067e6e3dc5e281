/** The options page: pairing with Haul and the capture rules. */
import { ext } from './browser-api';
import { HaulError, pair, unpair } from './haul-api';
import { cookiePermission, loadOptions, parsePairCode, saveOptions } from './options-store';
import { parseList } from './rules';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const code = $<HTMLInputElement>('pair-code');
const haulUrl = $<HTMLInputElement>('haul-url');
const pairStatus = $<HTMLSpanElement>('pair-status');
const capture = $<HTMLInputElement>('capture');
const minSize = $<HTMLInputElement>('min-size');
const captureTypes = $<HTMLInputElement>('capture-types');
const skipTypes = $<HTMLInputElement>('skip-types');
const skipSites = $<HTMLTextAreaElement>('skip-sites');
const sendCookies = $<HTMLInputElement>('send-cookies');
const cookieNote = $<HTMLParagraphElement>('cookie-permission');
const saveStatus = $<HTMLSpanElement>('save-status');

function say(element: HTMLElement, text: string, error = false): void {
  element.textContent = text;
  element.classList.toggle('error', error);
}

async function showCookiePermission(): Promise<void> {
  const granted = await ext.permissions.contains(cookiePermission);
  cookieNote.textContent = granted
    ? 'Cookie access is granted.'
    : 'Downloads go without the site’s cookies: tick the box and allow cookie access to send them.';
}

async function fill(): Promise<void> {
  const options = await loadOptions();
  haulUrl.value = options.haulUrl;
  capture.checked = options.capture;
  minSize.value = String(options.minSizeKb);
  captureTypes.value = options.captureTypes.join(' ');
  skipTypes.value = options.skipTypes.join(' ');
  skipSites.value = options.skipSites.join('\n');
  // Ticked only when cookies really go: the choice, and the browser's permission for it.
  sendCookies.checked = options.sendCookies && (await ext.permissions.contains(cookiePermission));
  say(pairStatus, options.token ? `Paired with ${options.haulUrl}.` : 'Not paired.');
  showPaired(options.token !== '');
  await showCookiePermission();
}

const unpairButton = $<HTMLButtonElement>('unpair');
function showPaired(paired: boolean): void {
  unpairButton.disabled = !paired;
}

/** Haul's address as typed: `127.0.0.1:8181` is taken as `http://127.0.0.1:8181`. */
function addressOf(typed: string): string {
  const text = typed.trim();
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`;
}

$('pair').addEventListener('click', () => {
  void (async () => {
    const parsed = parsePairCode(code.value);
    if (!parsed) return say(pairStatus, 'That is not a pairing code or a token.', true);
    const url = parsed.haulUrl ?? addressOf(haulUrl.value);
    if (!URL.canParse(url)) return say(pairStatus, 'Haul’s address is not a URL.', true);
    say(pairStatus, 'Pairing…');
    try {
      const answer = await pair({ haulUrl: url, token: parsed.token });
      await saveOptions({ haulUrl: url, token: parsed.token });
      haulUrl.value = url;
      code.value = '';
      say(pairStatus, `Paired with Haul ${answer.version} at ${url}.`);
      showPaired(true);
      await ext.action.setBadgeText({ text: '' });
    } catch (error) {
      const hint = error instanceof HaulError && error.refusal === 'offline' ? ' Start it, then pair again.' : '';
      say(pairStatus, `${error instanceof Error ? error.message : String(error)}${hint}`, true);
    }
  })();
});

$('unpair').addEventListener('click', () => {
  void (async () => {
    const options = await loadOptions();
    // Forget the token even when Haul is not there to hear it.
    await unpair(options).catch(() => undefined);
    await saveOptions({ token: '' });
    say(pairStatus, 'Not paired.');
    showPaired(false);
  })();
});

// Asked for in the click itself: browsers grant permissions only in answer to a user gesture.
sendCookies.addEventListener('change', () => {
  if (!sendCookies.checked) return;
  void ext.permissions.request(cookiePermission).then(
    (granted) => {
      if (!granted) sendCookies.checked = false;
      return showCookiePermission();
    },
    () => showCookiePermission(),
  );
});

$<HTMLFormElement>('rules').addEventListener('submit', (event) => {
  event.preventDefault();
  const size = Number(minSize.value);
  if (!Number.isInteger(size) || size < 0) return say(saveStatus, 'The minimum size is a whole number of KB.', true);
  void saveOptions({
    capture: capture.checked,
    minSizeKb: size,
    captureTypes: parseList(captureTypes.value),
    skipTypes: parseList(skipTypes.value),
    skipSites: skipSites.value
      .split(/[\s,]+/)
      .map((site) => site.trim())
      .filter(Boolean),
    sendCookies: sendCookies.checked,
  }).then(
    () => say(saveStatus, 'Saved.'),
    (error: unknown) => say(saveStatus, `Not saved: ${String(error)}`, true),
  );
});

void fill();
