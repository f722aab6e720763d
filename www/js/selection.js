// Pausing a selection (MTA IP / domain / remote IP / tag) through MailerQ's REST API v1 with the console's
// session: POST /v1/pauses creates the pause, DELETE /v1/pauses with the same fields lifts it.
//
//   const toggle = runningToggle({ label: 'Running', describe: 'example.org' });
//   toggle.update(status)  // {pause, pausedBy} as /api/status "selection" or /api/domains/{d} answer them
//   toggle.onChange = async (running) => …

import { api, h } from './core.js';

/** The selection's fields as the REST API names them; unset ones left out (a pause with none pauses everything). */
export function pauseBody(selection) {
  const body = {};
  for (const key of ['mta', 'domain', 'ip', 'tag']) if (selection?.[key]) body[key] = selection[key];
  return body;
}

/** Pauses (running = false) or resumes (running = true) a selection; resolves to an error text or null. */
export async function setRunning(selection, running) {
  try {
    const response = await api(running ? 'DELETE' : 'POST', '/v1/pauses', pauseBody(selection));
    if (response.ok || (running && response.status === 404)) return null;
    const answer = await response.json().catch(() => null);
    return answer?.error ?? `HTTP ${response.status}`;
  } catch {
    return 'Cannot reach the server';
  }
}

function describePause(pause) {
  const parts = [];
  for (const key of ['mta', 'pool', 'domain', 'ip', 'tag']) if (pause[key]) parts.push(`${key} ${pause[key]}`);
  return parts.length ? parts.join(', ') : 'everything';
}

/**
 * A switch labelled `label` that shows whether a selection's mail flows. Checked = running. When a broader
 * pause stops the selection, the switch is off and says which pause; it can only be lifted where it was made.
 */
export function runningToggle(selection, { label = 'Running', onChanged = null } = {}) {
  const input = h('input', { type: 'checkbox', role: 'switch', checked: true });
  const note = h('span', { class: 'switch-note', 'aria-live': 'polite' });
  const element = h('label', { class: 'switch' }, input, h('span', { class: 'switch-label' }, label), note);
  let exact = null;
  let busy = false;

  input.addEventListener('change', async () => {
    const running = input.checked;
    busy = true;
    // Disabling drops the keyboard focus; give it back so Space works again without a Tab walk from the top.
    const focused = document.activeElement === input;
    input.disabled = true;
    const error = await setRunning(selection, running);
    busy = false;
    input.disabled = false;
    if (focused && (document.activeElement === document.body || document.activeElement === null)) input.focus();
    if (error) {
      input.checked = !running;
      note.textContent = error;
      return;
    }
    note.textContent = running ? '' : 'Paused';
    if (onChanged) onChanged(running);
  });

  return {
    element,
    input,
    /** {pause, pausedBy}: the pause this switch made, and the pause that stops the selection now. */
    update(state) {
      if (busy) return;
      exact = state?.pause ?? null;
      const by = state?.pausedBy ?? null;
      input.checked = !by && !exact;
      if (exact) {
        note.textContent = 'Paused';
      } else if (by) {
        note.textContent = `Paused by a broader pause (${describePause(by)})`;
      } else {
        note.textContent = '';
      }
      // A broader pause is lifted where it applies (Settings › Paused deliveries), not by this switch.
      input.disabled = Boolean(by && !exact);
      element.classList.toggle('paused', !input.checked);
    },
  };
}
