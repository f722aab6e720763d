// Tags: recently used tags with their numbers; a tag's page (#/tags/newsletter) shows its chart and the
// Running switch that pauses mail with that tag.

import { getJson, h } from '../core.js';
import { mountLivePanel } from '../live-panel.js';
import { runningToggle } from '../selection.js';
import { ITEM_REFRESH_MS, facts, format, itemHeading, pauseState, renderListPage } from '../lists.js';

export function render(view, context) {
  if (context.item) return renderTag(view, context.item);
  return renderListPage(view, {
    base: 'tags',
    endpoint: '/api/tags',
    lead: 'Recently used tags with their delivery and error counters.',
    nameOf: (t) => t.name,
    empty: 'No tag yet: tags appear when tagged mail is delivered.',
    columns: [['State', (t) => (t.paused ? h('span', { class: 'badge paused' }, 'Paused') : 'Running')]],
  });
}

function renderTag(view, tag) {
  itemHeading(view, 'tags', 'Tags', tag);
  const toggle = runningToggle({ tag }, { onChanged: () => refresh() });
  view.append(h('div', { class: 'item-bar' }, toggle.element,
    h('a', { href: `#/overview?tag=${encodeURIComponent(tag)}` }, 'Show on the Overview')));
  const panel = mountLivePanel(view, { filter: { tag } });
  const numbers = h('div');
  view.append(h('section', { class: 'panel', 'aria-labelledby': 'totals-title' }, h('h2', { id: 'totals-title' }, 'Since start'), numbers));

  let active = true;
  let timer = 0;
  async function refresh() {
    clearTimeout(timer);
    const item = await getJson(`/api/tags/${encodeURIComponent(tag)}`);
    if (!active) return;
    if (item) {
      toggle.update(pauseState(item));
      numbers.replaceChildren(facts([
        ['Attempts', format(item.totals?.attempts)],
        ['Deliveries', format(item.totals?.deliveries)],
        ['Errors', format(item.totals?.errors)],
      ]));
    }
    timer = setTimeout(refresh, ITEM_REFRESH_MS);
  }
  refresh();
  return () => {
    active = false;
    clearTimeout(timer);
    panel.destroy();
  };
}
