// Enhancements for the mock Entra admin center; every page works without them.
// Copy buttons (shown only when this runs) copy a read-only field; "Show password" reveals the field.
(() => {
  async function copyText(input) {
    try {
      await navigator.clipboard.writeText(input.value);
      return true;
    } catch {
      input.select();
      return document.execCommand('copy');
    }
  }

  for (const button of document.querySelectorAll('button[data-copy-target]')) {
    const id = button.getAttribute('data-copy-target');
    const input = document.getElementById(id);
    const status = document.querySelector(`[data-copy-status="${id}"]`);
    if (!input) continue;
    button.hidden = false;
    button.addEventListener('click', async () => {
      const ok = await copyText(input);
      if (status) status.textContent = ok ? 'Copied to clipboard' : 'Press Ctrl+C to copy';
    });
  }

  for (const box of document.querySelectorAll('input[data-toggles]')) {
    const target = document.getElementById(box.getAttribute('data-toggles'));
    if (!target) continue;
    box.closest('[data-show-password]')?.removeAttribute('hidden');
    box.addEventListener('change', () => {
      target.type = box.checked ? 'text' : 'password';
    });
  }

  // "Auto-generate password": the generated value, read-only, while ticked; an empty field to type into otherwise.
  const auto = document.getElementById('autoPassword');
  const password = document.getElementById('password');
  if (auto && password) {
    const generated = password.getAttribute('data-generated') || '';
    auto.addEventListener('change', () => {
      password.readOnly = auto.checked;
      password.value = auto.checked ? generated : '';
      if (!auto.checked) password.focus();
    });
  }
})();
