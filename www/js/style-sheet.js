// Loads a page's own style sheet once, so pages keep their CSS beside them instead of growing style.css.

/** Adds <link rel="stylesheet" href="…"> to the document unless it is there already. */
export function useStyleSheet(href) {
  if (document.querySelector(`link[data-page-style="${href}"]`)) return;
  const link = document.createElement('link');
  link.rel = 'stylesheet';
  link.href = href;
  link.dataset.pageStyle = href;
  document.head.append(link);
}
