// Enhancements for the mock Entra's sign-in pages; every page works without them.
// "Copy info to clipboard" on the error page (shown only when this runs) copies the Troubleshooting
// details as lines of "Label: value", as Entra's does. Without the clipboard API the details are
// selected instead, for Ctrl+C.
(() => {
  /** The details of a <dl>, one "Request Id: …" line for each dt and its dd. */
  function readDetails(list) {
    const lines = [];
    for (const term of list.querySelectorAll('dt')) {
      const value = term.nextElementSibling;
      if (value && value.tagName === 'DD') lines.push(`${term.textContent.trim()} ${value.textContent.trim()}`);
    }
    return lines.join('\n');
  }

  function selectContents(element) {
    const selection = window.getSelection();
    if (!selection) return;
    selection.removeAllRanges();
    selection.selectAllChildren(element);
  }

  for (const button of document.querySelectorAll('button[data-copy-details]')) {
    const id = button.getAttribute('data-copy-details');
    const list = document.getElementById(id);
    const status = document.querySelector(`[data-copy-status="${id}"]`);
    if (!list) continue;
    button.hidden = false;
    button.addEventListener('click', async () => {
      let copied = false;
      try {
        if (navigator.clipboard) {
          await navigator.clipboard.writeText(readDetails(list));
          copied = true;
        }
      } catch {
        copied = false;
      }
      if (!copied) selectContents(list);
      if (status) status.textContent = copied ? 'Copied to clipboard' : 'Press Ctrl+C to copy';
    });
  }
})();
