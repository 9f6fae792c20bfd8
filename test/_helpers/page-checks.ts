/**
 * What the browser checks on every page: axe-core's serious and critical violations, no horizontal
 * page scroll, nothing sticking out of a card. Each returns problems as short strings (rule id and
 * selectors, or the element that sticks out), empty when the page passes.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** The boxes that hold content: a child drawn past one of their edges overflows it. */
const CARD_SELECTOR = '.card, .console-nav, .pane, .saml-step, .card-section, .app-menu, .sidenav';

interface AxeViolation {
  id: string;
  impact: string | null;
  nodes: { target: unknown[] }[];
}

/**
 * axe-core's violations of impact serious or critical. The script goes in through the DevTools
 * protocol (page.evaluate), which the pages' nonce-based script-src does not apply to.
 */
export async function findAxeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.map((n) => n.target.map(String).join(' ')) }));
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) => `${v.id} (${v.impact}): ${v.targets.slice(0, 6).join(' | ')}${v.targets.length > 6 ? ` … ${v.targets.length} in all` : ''}`,
    );
}

/**
 * The layout checks, as plain script for the page (functions handed to page.evaluate would pick up
 * the test runner's transpiler helpers). `name` writes an element as tag#id.class.
 */
const LAYOUT_SCRIPT = `window.__layout = (() => {
  const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + [...el.classList].map((c) => '.' + c).join('');
  const path = (el) => [el.parentElement && el.parentElement.parentElement, el.parentElement, el].filter(Boolean).map(name).join(' > ');
  // Inside a scroll container an element may stick out without widening what holds the container
  // (unless it is positioned out of it: then its containing block may lie outside the container).
  const clipped = (el, top) => {
    if (['absolute', 'fixed'].includes(getComputedStyle(el).position)) return false;
    for (let p = el.parentElement; p && p !== top; p = p.parentElement) if (getComputedStyle(p).overflowX !== 'visible') return true;
    return false;
  };
  const innermost = (els) => els.filter((el) => !els.some((other) => other !== el && el.contains(other)));
  const byRightEdge = (a, b) => b.getBoundingClientRect().right - a.getBoundingClientRect().right;
  return {
    page() {
      const width = window.innerWidth;
      const scrollWidth = document.documentElement.scrollWidth;
      if (scrollWidth <= width) return [];
      const out = [...document.body.querySelectorAll('*')].filter((el) => el.getBoundingClientRect().right > width + 0.5 && !clipped(el, document.body));
      const widest = innermost(out).sort(byRightEdge).slice(0, 3).map((el) => {
        const box = el.getBoundingClientRect();
        return path(el) + ' (' + Math.round(box.width) + 'px wide, right edge ' + Math.round(box.right) + 'px)';
      });
      return ['the page is ' + scrollWidth + 'px wide at ' + width + 'px; widest: ' + widest.join('; ')];
    },
    cards(selector) {
      const problems = [];
      for (const card of document.querySelectorAll(selector)) {
        const box = card.getBoundingClientRect();
        if (box.width === 0) continue;
        const out = innermost([...card.querySelectorAll('*')].filter((el) => {
          const r = el.getBoundingClientRect();
          return r.width > 1 && (r.right > box.right + 0.5 || r.left < box.left - 0.5) && !clipped(el, card);
        })).sort(byRightEdge);
        if (out.length === 0) continue;
        const r = out[0].getBoundingClientRect();
        const by = Math.round(Math.max(r.right - box.right, box.left - r.left));
        problems.push(path(out[0]) + ' overflows ' + name(card) + ' by ' + by + 'px (' + out.length + ' element(s))');
      }
      return problems;
    },
    scrollers(selector) {
      return [...document.querySelectorAll(selector)]
        .filter((el) => el.scrollWidth > el.clientWidth + 1)
        .map((el) => path(el) + (el.getAttribute('aria-label') ? ' "' + el.getAttribute('aria-label') + '"' : '') + ' scrolls sideways: ' + el.scrollWidth + 'px of content in ' + el.clientWidth + 'px');
    },
  };
})();`;

interface LayoutChecks {
  page(): string[];
  cards(selector: string): string[];
  scrollers(selector: string): string[];
}

async function installLayout(page: Page): Promise<void> {
  if (!(await page.evaluate(() => '__layout' in window))) await page.evaluate(LAYOUT_SCRIPT);
}

/** The page scrolls sideways: which elements reach furthest past the viewport's right edge. */
export async function findPageOverflow(page: Page): Promise<string[]> {
  await installLayout(page);
  return page.evaluate(() => (window as unknown as { __layout: LayoutChecks }).__layout.page());
}

/** Elements drawn past the left or right edge of the card that holds them (scroll containers aside). */
export async function findCardOverflow(page: Page): Promise<string[]> {
  await installLayout(page);
  return page.evaluate((selector) => (window as unknown as { __layout: LayoutChecks }).__layout.cards(selector), CARD_SELECTOR);
}

/**
 * Tables whose region scrolls sideways. At desktop width a table fits its card (long values wrap):
 * the region is the phone's way out, never a card's hidden overflow.
 */
export async function findScrollingTables(page: Page): Promise<string[]> {
  await installLayout(page);
  return page.evaluate((selector) => (window as unknown as { __layout: LayoutChecks }).__layout.scrollers(selector), '.table-scroll');
}
